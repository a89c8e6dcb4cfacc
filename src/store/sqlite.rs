//! SQLite backend: the embedded default. WAL mode lets readers carry on
//! while one writer writes; a busy timeout queues concurrent writers.

use super::{
    ArticleCard, ArticleContent, ArticleDraft, ArticleView, CommentRecord, CommentView,
    DeskArticle, Listing, NewComment, Result, StoreError, TagRef, UserSummary,
};
use crate::domain::page::Cursor;
use crate::domain::user::{NewUser, Role, User};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    username: String,
    email: String,
    role: String,
}

impl UserRow {
    fn into_user(self) -> User {
        User {
            id: self.id,
            username: self.username,
            email: self.email,
            // The CHECK constraint admits only known roles; anything else
            // would be a hand-edited row, and the least power is the safe read.
            role: Role::parse(&self.role).unwrap_or(Role::Reader),
        }
    }
}

#[derive(FromRow)]
struct CardRow {
    id: i64,
    slug: String,
    headline: String,
    summary: String,
    author: String,
    published_at: i64,
    revised_at: Option<i64>,
    likes: i64,
    comments: i64,
    liked: bool,
}

impl CardRow {
    fn into_card(self) -> ArticleCard {
        ArticleCard {
            id: self.id,
            slug: self.slug,
            headline: self.headline,
            summary: self.summary,
            author: self.author,
            published_at: self.published_at,
            revised_at: self.revised_at,
            likes: self.likes,
            comments: self.comments,
            liked: self.liked,
            tags: Vec::new(),
        }
    }
}

/// The columns of an article card; `?` binds the viewer's id.
const CARD_COLUMNS: &str = "a.id, a.slug, a.headline, a.summary, u.username AS author, \
     a.published_at, a.revised_at, \
     (SELECT COUNT(*) FROM article_like l WHERE l.article_id = a.id) AS likes, \
     (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id \
        AND c.deleted_at IS NULL AND c.hidden_at IS NULL) AS comments, \
     EXISTS (SELECT 1 FROM article_like l WHERE l.article_id = a.id AND l.user_id = ";

/// Turns the unique-constraint failure of an insert into a field conflict.
fn conflict_or(err: sqlx::Error, fields: &[&'static str]) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // SQLite names the failing column in the message ("users.email").
        let message = db.message();
        let field = fields
            .iter()
            .find(|f| message.contains(&format!(".{f}")))
            .or(fields.first())
            .copied()
            .unwrap_or("value");
        return StoreError::Conflict(field);
    }
    StoreError::Database(err)
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    pub async fn create_user(&self, user: &NewUser, now: i64) -> Result<User> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, email, password_hash, role, created_at) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(user.username.as_str())
        .bind(user.email.as_str())
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| conflict_or(e, &["username", "email"]))?;
        Ok(User {
            id,
            username: user.username.as_str().to_owned(),
            email: user.email.as_str().to_owned(),
            role: user.role,
        })
    }

    pub async fn user_for_login(&self, name_or_email: &str) -> Result<Option<(User, String)>> {
        let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, username, email, role, password_hash FROM users \
             WHERE username = ?1 OR email = ?1",
        )
        .bind(name_or_email)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, username, email, role, hash)| {
            let user = UserRow {
                id,
                username,
                email,
                role,
            }
            .into_user();
            (user, hash)
        }))
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as("SELECT id, username, email, role FROM users WHERE username = ?")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(UserRow::into_user))
    }

    pub async fn list_users(&self) -> Result<Vec<UserSummary>> {
        let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, username, email, role, created_at FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, username, email, role, created_at)| UserSummary {
                id,
                username,
                email,
                role: Role::parse(&role).unwrap_or(Role::Reader),
                created_at,
            })
            .collect())
    }

    pub async fn set_role(&self, user_id: i64, role: Role) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET role = ? WHERE id = ?")
            .bind(role.as_str())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        // Logins are rare next to page views: a good moment to drop the
        // sessions that have run out, so the table does not grow forever.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT u.id, u.username, u.email, u.role FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(UserRow::into_user))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn record_login_failure(&self, subjects: &[&str], now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for subject in subjects {
            sqlx::query("INSERT INTO login_failures (subject, failed_at) VALUES (?, ?)")
                .bind(subject)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        // Old failures no longer count; pruning here keeps the table small.
        sqlx::query("DELETE FROM login_failures WHERE failed_at < ?")
            .bind(now - 24 * 3600 * 1000)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn count_login_failures(&self, subject: &str, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE subject = ? AND failed_at >= ?",
        )
        .bind(subject)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn site_key(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>> {
        sqlx::query(
            "INSERT INTO site_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM site_keys WHERE name = ?")
                .bind(name)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn create_article(
        &self,
        author_id: i64,
        slug: &str,
        auto_suffix: bool,
        content: &ArticleContent,
        now: i64,
    ) -> Result<(i64, String)> {
        let mut attempt = 1;
        loop {
            let candidate = if attempt == 1 {
                slug.to_owned()
            } else {
                crate::domain::article::Slug::from_text(slug)
                    .with_suffix(attempt)
                    .as_str()
                    .to_owned()
            };
            let mut tx = self.pool.begin().await?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO articles (slug, author_id, headline, summary, body_markdown, body_html, \
                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&candidate)
            .bind(author_id)
            .bind(&content.headline)
            .bind(&content.summary)
            .bind(&content.body_markdown)
            .bind(&content.body_html)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(id) => {
                    replace_tags(&mut tx, id, &content.tags).await?;
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
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE articles SET slug = COALESCE(?, slug), headline = ?, summary = ?, \
             body_markdown = ?, body_html = ?, updated_at = ?, \
             revised_at = CASE WHEN status = 'published' AND published_at <= ? \
                          THEN ? ELSE revised_at END \
             WHERE id = ?",
        )
        .bind(slug)
        .bind(&content.headline)
        .bind(&content.summary)
        .bind(&content.body_markdown)
        .bind(&content.body_html)
        .bind(now)
        .bind(now)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, &["slug"]))?;
        replace_tags(&mut tx, id, &content.tags).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn publish_article(&self, id: i64, at: i64, now: i64) -> Result<()> {
        // first_published_at keeps the first time the article went live; a
        // scheduled time that has not arrived yet may still move.
        sqlx::query(
            "UPDATE articles SET status = 'published', published_at = ?1, updated_at = ?2, \
             first_published_at = CASE WHEN first_published_at IS NOT NULL \
                 AND first_published_at <= ?2 THEN first_published_at ELSE ?1 END \
             WHERE id = ?3",
        )
        .bind(at)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn unpublish_article(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE articles SET status = 'draft', updated_at = ?, \
             first_published_at = CASE WHEN first_published_at <= ? THEN first_published_at END \
             WHERE id = ?",
        )
        .bind(now)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
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
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT a.id, a.slug, a.author_id, u.username AS author, a.headline, a.summary, \
             a.body_markdown, a.status, a.published_at, a.first_published_at, a.revised_at, \
             a.updated_at FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let tags = sqlx::query_scalar(
            "SELECT t.name FROM article_tag at JOIN tags t ON t.id = at.tag_id \
             WHERE at.article_id = ? ORDER BY at.position",
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
        }))
    }

    pub async fn published_article(
        &self,
        slug: &str,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Option<ArticleView>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} ?) AS liked, a.body_html FROM articles a \
             JOIN users u ON u.id = a.author_id \
             WHERE a.slug = ? AND a.status = 'published' AND a.published_at <= ?"
        );
        let row = sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(slug)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let body_html: String = sqlx::Row::try_get(&row, "body_html")?;
        let mut cards = vec![CardRow::from_row(&row)?.into_card()];
        self.attach_tags(&mut cards).await?;
        let card = cards.pop().ok_or(sqlx::Error::RowNotFound)?;
        Ok(Some(ArticleView { card, body_html }))
    }

    pub async fn list_published(
        &self,
        listing: Listing<'_>,
        after: Option<Cursor>,
        limit: i64,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<ArticleCard>> {
        let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {CARD_COLUMNS}"));
        query.push_bind(viewer.unwrap_or(-1));
        query.push(") AS liked FROM articles a JOIN users u ON u.id = a.author_id ");
        query.push("WHERE a.status = 'published' AND a.published_at <= ");
        query.push_bind(now);
        match listing {
            Listing::All => {}
            Listing::Tag(slug) => {
                query.push(
                    " AND a.id IN (SELECT at.article_id FROM article_tag at \
                     JOIN tags t ON t.id = at.tag_id WHERE t.slug = ",
                );
                query.push_bind(slug.to_owned());
                query.push(")");
            }
            Listing::Author(author_id) => {
                query.push(" AND a.author_id = ");
                query.push_bind(author_id);
            }
        }
        if let Some(cursor) = after {
            query.push(" AND (a.published_at, a.id) < (");
            query.push_bind(cursor.published_at);
            query.push(", ");
            query.push_bind(cursor.id);
            query.push(")");
        }
        query.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ");
        query.push_bind(limit);
        let rows: Vec<CardRow> = query.build_query_as().fetch_all(&self.pool).await?;
        let mut cards: Vec<ArticleCard> = rows.into_iter().map(CardRow::into_card).collect();
        self.attach_tags(&mut cards).await?;
        Ok(cards)
    }

    /// Fills in the tags of many cards with one query.
    async fn attach_tags(&self, cards: &mut [ArticleCard]) -> Result<()> {
        if cards.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(&cards.iter().map(|c| c.id).collect::<Vec<_>>())
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT at.article_id, t.name, t.slug FROM article_tag at \
             JOIN tags t ON t.id = at.tag_id \
             WHERE at.article_id IN (SELECT value FROM json_each(?)) \
             ORDER BY at.article_id, at.position",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        let mut by_article: HashMap<i64, Vec<TagRef>> = HashMap::new();
        for (article_id, name, slug) in rows {
            by_article
                .entry(article_id)
                .or_default()
                .push(TagRef { name, slug });
        }
        for card in cards {
            card.tags = by_article.remove(&card.id).unwrap_or_default();
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
             WHERE ?1 IS NULL OR a.author_id = ?1 \
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
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, slug FROM tags WHERE slug = ?")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(name, slug)| TagRef { name, slug }))
    }

    pub async fn set_like(
        &self,
        article_id: i64,
        user_id: i64,
        liked: bool,
        now: i64,
    ) -> Result<i64> {
        // One statement each way: the primary key, not a prior read, decides.
        if liked {
            sqlx::query(
                "INSERT INTO article_like (article_id, user_id, liked_at) VALUES (?, ?, ?) \
                 ON CONFLICT (article_id, user_id) DO NOTHING",
            )
            .bind(article_id)
            .bind(user_id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        } else {
            sqlx::query("DELETE FROM article_like WHERE article_id = ? AND user_id = ?")
                .bind(article_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM article_like WHERE article_id = ?")
                .bind(article_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn add_comment(&self, comment: &NewComment<'_>, now: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO comments (article_id, parent_id, author_id, body_markdown, body_html, \
             created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(comment.article_id)
        .bind(comment.parent_id)
        .bind(comment.author_id)
        .bind(comment.body_markdown)
        .bind(comment.body_html)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn comment(&self, id: i64) -> Result<Option<CommentRecord>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            article_id: i64,
            parent_id: Option<i64>,
            author_id: i64,
            body_markdown: String,
            deleted_at: Option<i64>,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, article_id, parent_id, author_id, body_markdown, deleted_at \
             FROM comments WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| CommentRecord {
            id: r.id,
            article_id: r.article_id,
            parent_id: r.parent_id,
            author_id: r.author_id,
            body_markdown: r.body_markdown,
            deleted: r.deleted_at.is_some(),
        }))
    }

    pub async fn article_comments(&self, article_id: i64) -> Result<Vec<CommentView>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            parent_id: Option<i64>,
            author_id: i64,
            author: String,
            body_markdown: String,
            body_html: String,
            created_at: i64,
            edited_at: Option<i64>,
            deleted_at: Option<i64>,
            hidden_at: Option<i64>,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT c.id, c.parent_id, c.author_id, u.username AS author, c.body_markdown, \
             c.body_html, c.created_at, c.edited_at, c.deleted_at, c.hidden_at \
             FROM comments c JOIN users u ON u.id = c.author_id \
             WHERE c.article_id = ? ORDER BY c.created_at, c.id",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| CommentView {
                id: r.id,
                parent_id: r.parent_id,
                author_id: r.author_id,
                author: r.author,
                body_markdown: r.body_markdown,
                body_html: r.body_html,
                created_at: r.created_at,
                edited_at: r.edited_at,
                deleted: r.deleted_at.is_some(),
                hidden: r.hidden_at.is_some(),
            })
            .collect())
    }

    pub async fn visible_comment_count(&self, article_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments WHERE article_id = ? \
             AND deleted_at IS NULL AND hidden_at IS NULL",
        )
        .bind(article_id)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn edit_comment(
        &self,
        id: i64,
        body_markdown: &str,
        body_html: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE comments SET body_markdown = ?, body_html = ?, edited_at = ? \
             WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(body_markdown)
        .bind(body_html)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn delete_comment(&self, id: i64, now: i64) -> Result<()> {
        // The text goes at once; the row stays so replies keep their thread.
        sqlx::query(
            "UPDATE comments SET deleted_at = ?, body_markdown = '', body_html = '' \
             WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_comment_hidden(
        &self,
        id: i64,
        hidden_by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE comments SET hidden_at = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END, \
             hidden_by = ?1 WHERE id = ?3",
        )
        .bind(hidden_by)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn article_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// Replaces an article's tags inside the caller's transaction, creating
/// tags on first use.
async fn replace_tags(
    conn: &mut SqliteConnection,
    article_id: i64,
    tags: &[(String, String)],
) -> Result<()> {
    sqlx::query("DELETE FROM article_tag WHERE article_id = ?")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for (position, (name, slug)) in tags.iter().enumerate() {
        // DO UPDATE (a no-op) rather than DO NOTHING so RETURNING yields the
        // existing row's id too.
        let tag_id: i64 = sqlx::query_scalar(
            "INSERT INTO tags (name, slug) VALUES (?, ?) \
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(name)
        .bind(slug)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query("INSERT INTO article_tag (article_id, tag_id, position) VALUES (?, ?, ?)")
            .bind(article_id)
            .bind(tag_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
