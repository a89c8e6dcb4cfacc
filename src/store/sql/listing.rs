//! Reading articles in lists: the site's cards (front, tag and author
//! pages), filtered lists of entries with their authors' profiles (the API
//! and anyone else), the desk's list, and the tags of many articles at once.

use super::SqlStore;
use super::rows::{
    CARD_COLUMNS, COVER_JOIN, CardRow, ENTRY_COLUMNS, EntryRow, Numbering, placeholders, storable,
};
use crate::domain::page::Cursor;
use crate::store::{
    ArticleCard, ArticleEntry, ArticleFilter, DeskArticle, Listing, Result, TagRef,
};
use sqlx::{FromRow, Row};
use std::collections::HashMap;

/// What an API article list reads, shared by the page and its count. With
/// a tag it walks the tag's own index of live articles, as the site's tag
/// page does; the author, favorite and follow filters go through their own
/// indexes. So a list costs what it matches, not the size of the archive.
struct FilterQuery<'a> {
    filter: ArticleFilter<'a>,
}

impl<'a> FilterQuery<'a> {
    /// `None` when a filter could match nothing stored.
    fn of(filter: ArticleFilter<'a>) -> Option<Self> {
        let texts = [filter.tag_slug, filter.author, filter.favorited_by];
        storable(&texts.iter().flatten().copied().collect::<Vec<_>>()).then_some(Self { filter })
    }

    /// The text filters' values, in the order `tables_and_conditions` numbers them.
    fn texts(&self) -> impl Iterator<Item = &'a str> {
        [
            self.filter.tag_slug,
            self.filter.author,
            self.filter.favorited_by,
        ]
        .into_iter()
        .flatten()
    }

    /// `FROM … WHERE …` with "now" as placeholder `now_at` and the filters
    /// after it (the texts, then the follower); the columns to order by;
    /// and the next free placeholder. `authors` joins `users u`.
    fn tables_and_conditions(
        &self,
        now_at: usize,
        authors: bool,
    ) -> (String, [&'static str; 2], usize) {
        let mut numbers = Numbering::starting_at(now_at + 1);
        let join_authors = if authors {
            " JOIN users u ON u.id = a.author_id"
        } else {
            ""
        };
        let (mut sql, order) = match self.filter.tag_slug {
            Some(_) => (
                format!(
                    "FROM article_tag tl JOIN articles a ON a.id = tl.article_id{join_authors} \
                     WHERE tl.tag_id = (SELECT id FROM tags WHERE slug = {}) \
                     AND tl.published_at <= ${now_at} AND a.status = 'published'",
                    numbers.take()
                ),
                ["tl.published_at", "tl.article_id"],
            ),
            None => (
                format!(
                    "FROM articles a{join_authors} \
                     WHERE a.status = 'published' AND a.published_at <= ${now_at}"
                ),
                ["a.published_at", "a.id"],
            ),
        };
        if self.filter.author.is_some() {
            sql.push_str(&format!(
                " AND a.author_id = (SELECT id FROM users WHERE username = {})",
                numbers.take()
            ));
        }
        if self.filter.favorited_by.is_some() {
            sql.push_str(&format!(
                " AND a.id IN (SELECT l.article_id FROM article_like l \
                 WHERE l.user_id = (SELECT id FROM users WHERE username = {}))",
                numbers.take()
            ));
        }
        if self.filter.followed_by.is_some() {
            sql.push_str(&format!(
                " AND a.author_id IN (SELECT followee_id FROM user_follow WHERE follower_id = {})",
                numbers.take()
            ));
        }
        (sql, order, numbers.peek())
    }

    /// The count from the kept counts, when only the tag (or nothing)
    /// filters: published minus those scheduled for later. `$1` is now.
    fn kept_count_sql(&self) -> Option<&'static str> {
        let ArticleFilter {
            tag_slug,
            author: None,
            favorited_by: None,
            followed_by: None,
        } = self.filter
        else {
            return None;
        };
        Some(match tag_slug {
            None => {
                "SELECT (SELECT value FROM site_counts WHERE name = 'published_articles') \
                 - (SELECT COUNT(*) FROM articles WHERE status = 'published' AND published_at > $1)"
            }
            Some(_) => {
                "SELECT COALESCE((SELECT t.published_count - (SELECT COUNT(*) FROM article_tag tl \
                     WHERE tl.tag_id = t.id AND tl.published_at > $1) \
                 FROM tags t WHERE t.slug = $2), 0)"
            }
        })
    }
}

impl SqlStore {
    pub async fn live_tags(&self, now: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT t.name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tag tl \
             WHERE tl.tag_id = t.id AND tl.published_at <= $1) ORDER BY t.name",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn article_bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, body_html FROM articles WHERE id IN ({})",
            placeholders(1, ids.len())
        );
        let query = sqlx::query_as::<_, (i64, String)>(&sql);
        let rows = ids
            .iter()
            .fold(query, |q, id| q.bind(id))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn list_published(
        &self,
        listing: Listing<'_>,
        after: Option<Cursor>,
        limit: i64,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<ArticleCard>> {
        if let Listing::Tag(key) | Listing::Author(key) = listing
            && !storable(&[key])
        {
            return Ok(Vec::new());
        }
        // $1 viewer, $2 now, $3 limit, $4 the tag or author when filtered;
        // the cursor follows. A tag page walks the tag's own index of live
        // articles (article_tag.published_at), so its cost does not grow
        // with the number of articles carrying the tag.
        let (mut sql, order) = match listing {
            Listing::Tag(_) => (
                format!(
                    "SELECT {CARD_COLUMNS} FROM article_tag tl \
                     JOIN articles a ON a.id = tl.article_id \
                     JOIN users u ON u.id = a.author_id {COVER_JOIN} \
                     WHERE tl.tag_id = (SELECT id FROM tags WHERE slug = $4) \
                     AND tl.published_at <= $2 AND a.status = 'published'"
                ),
                ("tl.published_at", "tl.article_id"),
            ),
            Listing::All | Listing::Author(_) => (
                format!(
                    "SELECT {CARD_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id \
                     {COVER_JOIN} WHERE a.status = 'published' AND a.published_at <= $2"
                ),
                ("a.published_at", "a.id"),
            ),
        };
        let mut next = 4;
        match listing {
            Listing::All => {}
            Listing::Tag(_) => next += 1,
            Listing::Author(_) => {
                sql.push_str(" AND a.author_id = (SELECT id FROM users WHERE username = $4)");
                next += 1;
            }
        }
        if after.is_some() {
            // $2 is then the lower of "now" and the cursor's time, so the
            // index range starts at the cursor; the tie-break on id is a
            // filter on the rows at exactly that time. (A row-value
            // comparison beside "<= now" let SQLite start the range at now
            // and walk every newer row.)
            sql.push_str(&format!(
                " AND ({} < ${} OR {} < ${})",
                order.0,
                next,
                order.1,
                next + 1
            ));
        }
        sql.push_str(&format!(
            " ORDER BY {} DESC, {} DESC LIMIT $3",
            order.0, order.1
        ));

        let upper = after.map_or(now, |cursor| cursor.published_at.min(now));
        let mut query = sqlx::query_as::<_, CardRow>(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(upper)
            .bind(limit);
        match listing {
            Listing::All => {}
            Listing::Tag(slug) => query = query.bind(slug),
            Listing::Author(username) => query = query.bind(username),
        }
        if let Some(cursor) = after {
            query = query.bind(cursor.published_at).bind(cursor.id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut cards: Vec<ArticleCard> = rows.into_iter().map(CardRow::into_card).collect();
        self.attach_tags(&mut cards).await?;
        Ok(cards)
    }

    pub async fn filtered_articles(
        &self,
        filter: ArticleFilter<'_>,
        limit: i64,
        offset: i64,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<ArticleEntry>> {
        let Some(query) = FilterQuery::of(filter) else {
            return Ok(Vec::new());
        };
        // $1 viewer, $2 now, then the filters, then limit and offset.
        let (from_where, [by_time, by_id], next) = query.tables_and_conditions(2, true);
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} {from_where} ORDER BY {by_time} DESC, {by_id} DESC \
             LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let mut select = sqlx::query_as::<_, EntryRow>(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(now);
        for text in query.texts() {
            select = select.bind(text);
        }
        if let Some(follower) = filter.followed_by {
            select = select.bind(follower);
        }
        let rows = select
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let mut tags = self
            .tags_of(&rows.iter().map(|r| r.id).collect::<Vec<_>>())
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let article_tags = tags.remove(&row.id).unwrap_or_default();
                row.into_article(article_tags)
            })
            .collect())
    }

    pub async fn article_entry(
        &self,
        slug: &str,
        viewer: Option<i64>,
    ) -> Result<Option<(ArticleEntry, String)>> {
        if !storable(&[slug]) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {ENTRY_COLUMNS}, a.body_markdown FROM articles a \
             JOIN users u ON u.id = a.author_id WHERE a.slug = $2"
        );
        let row = sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get("body_markdown")?;
        let api_row = EntryRow::from_row(&row)?;
        let tags = self.tags_of(&[api_row.id]).await?.remove(&api_row.id);
        Ok(Some((api_row.into_article(tags.unwrap_or_default()), body)))
    }

    pub async fn count_filtered_articles(
        &self,
        filter: ArticleFilter<'_>,
        now: i64,
    ) -> Result<i64> {
        let Some(query) = FilterQuery::of(filter) else {
            return Ok(0);
        };
        if let Some(sql) = query.kept_count_sql() {
            let mut count = sqlx::query_scalar::<_, i64>(sql).bind(now);
            for text in query.texts() {
                count = count.bind(text);
            }
            return Ok(count.fetch_one(&self.pool).await?);
        }
        let (from_where, _, _) = query.tables_and_conditions(1, false);
        let sql = format!("SELECT COUNT(*) {from_where}");
        let mut count = sqlx::query_scalar::<_, i64>(&sql).bind(now);
        for text in query.texts() {
            count = count.bind(text);
        }
        if let Some(follower) = filter.followed_by {
            count = count.bind(follower);
        }
        Ok(count.fetch_one(&self.pool).await?)
    }

    /// The tags of many articles, in typed order, with one query.
    pub(super) async fn tags_of(&self, article_ids: &[i64]) -> Result<HashMap<i64, Vec<TagRef>>> {
        let mut by_article: HashMap<i64, Vec<TagRef>> = HashMap::new();
        if article_ids.is_empty() {
            return Ok(by_article);
        }
        let sql = format!(
            "SELECT at.article_id, t.name, t.slug, t.kind FROM article_tag at \
             JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN ({}) \
             ORDER BY at.article_id, at.position",
            placeholders(1, article_ids.len())
        );
        let mut query = sqlx::query_as::<_, (i64, String, String, Option<String>)>(&sql);
        for id in article_ids {
            query = query.bind(id);
        }
        for (article_id, name, slug, kind) in query.fetch_all(&self.pool).await? {
            by_article.entry(article_id).or_default().push(TagRef {
                name,
                slug,
                kind: super::tags::kind_of(kind),
            });
        }
        Ok(by_article)
    }

    /// Fills in the tags of many cards with one query.
    pub(super) async fn attach_tags(&self, cards: &mut [ArticleCard]) -> Result<()> {
        let mut tags = self
            .tags_of(&cards.iter().map(|c| c.id).collect::<Vec<_>>())
            .await?;
        for card in cards {
            card.tags = tags.remove(&card.id).unwrap_or_default();
        }
        Ok(())
    }

    pub async fn desk_articles(&self, author_id: Option<i64>) -> Result<Vec<DeskArticle>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            slug: String,
            headline: String,
            author: String,
            status: String,
            published_at: Option<i64>,
            updated_at: i64,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT a.id, a.slug, a.headline, u.username AS author, a.status, a.published_at, \
             a.updated_at FROM articles a JOIN users u ON u.id = a.author_id \
             WHERE CAST($1 AS BIGINT) IS NULL OR a.author_id = $1 \
             ORDER BY a.updated_at DESC, a.id DESC",
        )
        .bind(author_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DeskArticle {
                id: r.id,
                slug: r.slug,
                headline: r.headline,
                author: r.author,
                published: r.status == "published",
                published_at: r.published_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<TagRef>> {
        if !storable(&[slug]) {
            return Ok(None);
        }
        let row: Option<(String, String, Option<String>)> =
            sqlx::query_as("SELECT name, slug, kind FROM tags WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(name, slug, kind)| TagRef {
            name,
            slug,
            kind: super::tags::kind_of(kind),
        }))
    }
}
