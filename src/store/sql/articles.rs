//! Writing articles: creating, saving, publishing, withdrawing and
//! deleting them, and what changes with them in the same transaction (their
//! tags, the kept counts of published articles, the search index).

use super::rows::{
    CARD_COLUMNS, COVER_COLUMNS, COVER_JOIN, CardRow, CoverColumns, conflict_or, storable,
};
use super::{Dialect, SqlStore};
use crate::domain::article::{ArticleContent, Publication, Slug};
use crate::store::{ArticleDraft, ArticleView, Result, StoreError};
use sqlx::AnyConnection;
use sqlx::{FromRow, Row};

impl SqlStore {
    pub async fn create_article(
        &self,
        author_id: i64,
        slug: &str,
        auto_suffix: bool,
        content: &ArticleContent,
        publication: Option<Publication>,
        now: i64,
    ) -> Result<(i64, String)> {
        let mut attempt = 1;
        loop {
            let candidate = if attempt == 1 {
                slug.to_owned()
            } else {
                Slug::from_text(slug)
                    .with_suffix(attempt)
                    .as_str()
                    .to_owned()
            };
            let mut tx = self.pool.begin().await?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO articles (slug, author_id, headline, summary, body_markdown, \
                 body_html, body_text, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(&candidate)
            .bind(author_id)
            .bind(&content.headline)
            .bind(&content.summary)
            .bind(&content.body_markdown)
            .bind(&content.body_html)
            .bind(&content.body_text)
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(id) => {
                    replace_tags(&mut tx, id, &content.tags).await?;
                    index_for_search(&mut tx, self.dialect, Some(id)).await?;
                    if let Some(publication) = publication {
                        set_publication(&mut tx, id, publication, now).await?;
                    }
                    tx.commit().await?;
                    return Ok((id, candidate));
                }
                Err(e) => match conflict_or(e, &["slug"]) {
                    StoreError::Conflict(_) if auto_suffix && attempt < 1000 => attempt += 1,
                    other => return Err(other),
                },
            }
        }
    }

    pub async fn update_article(
        &self,
        id: i64,
        slug: Option<&str>,
        content: &ArticleContent,
        publication: Option<Publication>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE articles SET slug = COALESCE(CAST($1 AS TEXT), slug), headline = $2, \
             summary = $3, body_markdown = $4, body_html = $5, body_text = $6, updated_at = $7, \
             revised_at = CASE WHEN status = 'published' AND published_at <= $7 \
                          THEN $7 ELSE revised_at END \
             WHERE id = $8",
        )
        .bind(slug)
        .bind(&content.headline)
        .bind(&content.summary)
        .bind(&content.body_markdown)
        .bind(&content.body_html)
        .bind(&content.body_text)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, &["slug"]))?;
        replace_tags(&mut tx, id, &content.tags).await?;
        index_for_search(&mut tx, self.dialect, Some(id)).await?;
        if let Some(publication) = publication {
            set_publication(&mut tx, id, publication, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn publish_article(&self, id: i64, at: i64, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        set_publication(&mut tx, id, Publication::At(at), now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn unpublish_article(&self, id: i64, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        set_publication(&mut tx, id, Publication::Withdraw, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_article(&self, id: i64) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        // Uncounted first, while its tag links still say which tags count it.
        withdraw(&mut tx, id).await?;
        // SQLite's full-text table has no foreign key to cascade from.
        sqlx::query(&format!(
            "DELETE FROM article_search WHERE {} = $1",
            self.dialect.search_id()
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        // Tag links, likes and comments go with it (ON DELETE CASCADE); its
        // cover as it is at the moment of deletion goes next.
        let deleted: Option<Option<String>> =
            sqlx::query_scalar("DELETE FROM articles WHERE id = $1 RETURNING cover_image_id")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(Some(image)) = &deleted {
            sqlx::query("DELETE FROM images WHERE id = $1")
                .bind(image)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(deleted.is_some())
    }

    pub async fn article_id(&self, slug: &str) -> Result<Option<i64>> {
        if !storable(&[slug]) {
            return Ok(None);
        }
        Ok(
            sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn article_draft(&self, id: i64) -> Result<Option<ArticleDraft>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            slug: String,
            author_id: i64,
            author: String,
            headline: String,
            summary: String,
            body_markdown: String,
            status: String,
            published_at: Option<i64>,
            first_published_at: Option<i64>,
            revised_at: Option<i64>,
            updated_at: i64,
            #[sqlx(flatten)]
            cover: CoverColumns,
        }
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT a.id, a.slug, a.author_id, u.username AS author, a.headline, a.summary, \
             a.body_markdown, a.status, a.published_at, a.first_published_at, a.revised_at, \
             a.updated_at, {COVER_COLUMNS} \
             FROM articles a JOIN users u ON u.id = a.author_id {COVER_JOIN} WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let tags = sqlx::query_scalar(
            "SELECT t.name FROM article_tag at JOIN tags t ON t.id = at.tag_id \
             WHERE at.article_id = $1 ORDER BY at.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(ArticleDraft {
            id: row.id,
            slug: row.slug,
            author_id: row.author_id,
            author: row.author,
            headline: row.headline,
            summary: row.summary,
            body_markdown: row.body_markdown,
            tags,
            published: row.status == "published",
            published_at: row.published_at,
            first_published_at: row.first_published_at,
            revised_at: row.revised_at,
            updated_at: row.updated_at,
            cover: row.cover.into_cover(),
        }))
    }

    pub async fn published_article(
        &self,
        slug: &str,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Option<ArticleView>> {
        if !storable(&[slug]) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {CARD_COLUMNS}, a.body_html FROM articles a \
             JOIN users u ON u.id = a.author_id {COVER_JOIN} \
             WHERE a.slug = $2 AND a.status = 'published' AND a.published_at <= $3"
        );
        let row = sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(slug)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let body_html: String = row.try_get("body_html")?;
        let mut cards = vec![CardRow::from_row(&row)?.into_card()];
        self.attach_tags(&mut cards).await?;
        let card = cards.pop().ok_or(sqlx::Error::RowNotFound)?;
        Ok(Some(ArticleView { card, body_html }))
    }
}

/// Writes the search index's row for one article (or, with `None`, for
/// every article) from the articles, their tags and authors, inside the
/// caller's transaction.
pub(super) async fn index_for_search(
    conn: &mut AnyConnection,
    dialect: Dialect,
    article_id: Option<i64>,
) -> Result<()> {
    let id = dialect.search_id();
    let (delete, only) = match article_id {
        Some(_) => (
            format!("DELETE FROM article_search WHERE {id} = $1"),
            "WHERE a.id = $1",
        ),
        None => ("DELETE FROM article_search".to_owned(), ""),
    };
    let insert = format!(
        "INSERT INTO article_search ({id}, headline, summary, body, tags, author) \
         SELECT a.id, a.headline, a.summary, a.body_text, \
             COALESCE((SELECT {names} FROM article_tag tl JOIN tags t ON t.id = tl.tag_id \
                       WHERE tl.article_id = a.id), ''), \
             u.username \
         FROM articles a JOIN users u ON u.id = a.author_id {only}",
        names = dialect.tag_names()
    );
    for sql in [delete, insert] {
        let mut query = sqlx::query(&sql);
        if let Some(article_id) = article_id {
            query = query.bind(article_id);
        }
        query.execute(&mut *conn).await?;
    }
    if article_id.is_none() && dialect == Dialect::Sqlite {
        // A bulk build leaves the index in many segments, and every query
        // visits each one: merging them made searches ten times faster.
        sqlx::query("INSERT INTO article_search (article_search) VALUES ('optimize')")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Publishes (now or later) or withdraws an article inside the caller's
/// transaction, keeping the tag index's copy of the publication time and
/// the kept counts of published articles.
pub(super) async fn set_publication(
    conn: &mut AnyConnection,
    id: i64,
    publication: Publication,
    now: i64,
) -> Result<()> {
    match publication {
        Publication::At(at) => {
            // The status flips in its own statement, whose row count says
            // whether this transaction made the article published: a
            // concurrent publish waits for the row and then finds nothing
            // to flip, so nothing is counted twice.
            let flipped = sqlx::query(
                "UPDATE articles SET status = 'published' WHERE id = $1 AND status <> 'published'",
            )
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if flipped > 0 {
                count_published(conn, id, 1).await?;
            }
            // first_published_at keeps the first time the article went live;
            // a scheduled time that has not arrived yet may still move.
            sqlx::query(
                "UPDATE articles SET published_at = $1, updated_at = $2, \
                 first_published_at = CASE WHEN first_published_at IS NOT NULL \
                     AND first_published_at <= $2 THEN first_published_at ELSE $1 END \
                 WHERE id = $3",
            )
            .bind(at)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            sqlx::query("UPDATE article_tag SET published_at = $1 WHERE article_id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Publication::Withdraw => {
            withdraw(conn, id).await?;
            sqlx::query(
                "UPDATE articles SET updated_at = $1, \
                 first_published_at = CASE WHEN first_published_at <= $1 \
                     THEN first_published_at END \
                 WHERE id = $2",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Makes a published article a draft, uncounting it and taking it out of
/// its tags' index of live articles; nothing when it is a draft already.
pub(super) async fn withdraw(conn: &mut AnyConnection, id: i64) -> Result<()> {
    let flipped =
        sqlx::query("UPDATE articles SET status = 'draft' WHERE id = $1 AND status = 'published'")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if flipped > 0 {
        count_published(conn, id, -1).await?;
        sqlx::query("UPDATE article_tag SET published_at = NULL WHERE article_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Adds `step` to the site's count of published articles and to the count
/// of each of the article's tags.
pub(super) async fn count_published(
    conn: &mut AnyConnection,
    article_id: i64,
    step: i64,
) -> Result<()> {
    sqlx::query("UPDATE site_counts SET value = value + $1 WHERE name = 'published_articles'")
        .bind(step)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE tags SET published_count = published_count + $1 \
         WHERE id IN (SELECT tag_id FROM article_tag WHERE article_id = $2)",
    )
    .bind(step)
    .bind(article_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the kept counts of published articles from the rows, after a bulk
/// load that wrote articles and tags directly.
pub(super) async fn recount_published(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query(
        "UPDATE site_counts SET value = \
         (SELECT COUNT(*) FROM articles WHERE status = 'published') \
         WHERE name = 'published_articles'",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE tags SET published_count = (SELECT COUNT(*) FROM article_tag tl \
         WHERE tl.tag_id = tags.id AND tl.published_at IS NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces an article's tags inside the caller's transaction, creating
/// tags on first use.
pub(super) async fn replace_tags(
    conn: &mut AnyConnection,
    article_id: i64,
    tags: &[(String, String)],
) -> Result<()> {
    // A published article's links are counted on their tags (the link's
    // published_at is set exactly then): uncount the old, count the new.
    let relink_count = "UPDATE tags SET published_count = published_count + $1 \
         WHERE id IN (SELECT tag_id FROM article_tag \
             WHERE article_id = $2 AND published_at IS NOT NULL)";
    sqlx::query(relink_count)
        .bind(-1_i64)
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM article_tag WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for (position, (name, slug)) in tags.iter().enumerate() {
        // DO UPDATE (a no-op) rather than DO NOTHING so RETURNING yields the
        // existing row's id too.
        let tag_id: i64 = sqlx::query_scalar(
            "INSERT INTO tags (name, slug) VALUES ($1, $2) \
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(name)
        .bind(slug)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO article_tag (article_id, tag_id, position, published_at) \
             SELECT $1, $2, $3, CASE WHEN status = 'published' THEN published_at END \
             FROM articles WHERE id = $1",
        )
        .bind(article_id)
        .bind(tag_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(relink_count)
        .bind(1_i64)
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
