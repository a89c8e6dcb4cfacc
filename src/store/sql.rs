//! The SQL behind `Store`, written once for both backends. Queries use
//! portable SQL (`$N` placeholders, `ON CONFLICT`, `RETURNING`, row-value
//! comparison) through sqlx's `Any` driver; where the dialects differ, the
//! code asks `Dialect`. Times are bound as Unix milliseconds.

use super::{
    Account, AccountUpdate, ApiArticle, ApiFilter, ArticleCard, ArticleDraft, ArticleView,
    CommentRecord, CommentView, Cover, DeskArticle, Listing, NewComment, NewImage, Profile, Result,
    SearchHit, SearchRequest, StoreError, TagRef, UserSummary,
};
use crate::domain::article::{ArticleContent, Publication, Slug};
use crate::domain::page::Cursor;
use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START, SearchCursor, snippet_parts};
use crate::domain::user::{NewUser, Role, User, Username};
use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor, FromRow, Row};
use std::collections::HashMap;
use std::sync::Once;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Which database the URL named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Dialect::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Dialect::Postgres)
        } else {
            None
        }
    }

    /// The search index's column holding the article id.
    fn search_id(self) -> &'static str {
        match self {
            Dialect::Sqlite => "rowid",
            Dialect::Postgres => "article_id",
        }
    }

    /// The articles' tag names joined by spaces (`tl` is the link, `t` the tag).
    fn tag_names(self) -> &'static str {
        match self {
            Dialect::Sqlite => "group_concat(t.name, ' ')",
            Dialect::Postgres => "string_agg(t.name, ' ' ORDER BY tl.position)",
        }
    }

    fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SqlStore {
    pub(super) pool: AnyPool,
    pub(super) dialect: Dialect,
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
pub(super) struct CardRow {
    id: i64,
    slug: String,
    headline: String,
    summary: String,
    author: String,
    published_at: i64,
    revised_at: Option<i64>,
    likes: i64,
    comments: i64,
    liked: i64,
    #[sqlx(flatten)]
    cover: CoverColumns,
}

impl CardRow {
    pub(super) fn into_card(self) -> ArticleCard {
        ArticleCard {
            cover: self.cover.into_cover(),
            id: self.id,
            slug: self.slug,
            headline: self.headline,
            summary: self.summary,
            author: self.author,
            published_at: self.published_at,
            revised_at: self.revised_at,
            likes: self.likes,
            comments: self.comments,
            liked: self.liked != 0,
            tags: Vec::new(),
        }
    }
}

#[derive(FromRow)]
struct ApiRow {
    id: i64,
    slug: String,
    headline: String,
    summary: String,
    author_id: i64,
    author: String,
    bio: String,
    image: Option<String>,
    following: i64,
    likes: i64,
    comments: i64,
    liked: i64,
    status: String,
    published_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl ApiRow {
    fn into_article(self, tags: Vec<TagRef>) -> ApiArticle {
        ApiArticle {
            id: self.id,
            slug: self.slug,
            headline: self.headline,
            summary: self.summary,
            tags,
            author_id: self.author_id,
            author: Profile {
                username: self.author,
                bio: self.bio,
                image: self.image,
                following: self.following != 0,
            },
            likes: self.likes,
            comments: self.comments,
            liked: self.liked != 0,
            published: self.status == "published",
            published_at: self.published_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A search ranks at most this many of the newest matching live articles.
pub const SEARCH_WINDOW: i64 = 1_000;

/// How much a match counts in each column of the SQLite search index
/// (headline, summary, body, tags, author); PostgreSQL weighs its document
/// the same way (A, B, D).
const SEARCH_WEIGHTS: &str = "10.0, 4.0, 1.0, 10.0, 4.0";

/// The columns of an API article (`ApiRow`); `$1` is the viewer's id.
const API_COLUMNS: &str = "a.id, a.slug, a.headline, a.summary, a.author_id, \
     u.username AS author, u.bio, u.image, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM user_follow f WHERE f.follower_id = $1 \
         AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) AS following, \
     a.like_count AS likes, a.comment_count AS comments, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM article_like l \
         WHERE l.article_id = a.id AND l.user_id = $1) THEN 1 ELSE 0 END AS BIGINT) AS liked, \
     a.status, a.published_at, a.created_at, a.updated_at";

/// An article's cover, from `COVER_JOIN`; all null when it has none.
macro_rules! cover_columns {
    () => {
        "i.id AS cover_id, i.alt AS cover_alt, i.caption AS cover_caption, \
         i.width AS cover_width, i.height AS cover_height, i.widths AS cover_widths"
    };
}
const COVER_COLUMNS: &str = cover_columns!();

/// The columns of an article card. `$1` is the viewer's id; the counts are
/// kept on the article, so a card costs no counting.
pub(super) const CARD_COLUMNS: &str = concat!(
    "a.id, a.slug, a.headline, a.summary, u.username AS author, \
     a.published_at, a.revised_at, a.like_count AS likes, a.comment_count AS comments, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM article_like l \
         WHERE l.article_id = a.id AND l.user_id = $1) THEN 1 ELSE 0 END AS BIGINT) AS liked, ",
    cover_columns!()
);

/// Joins an article (`a`) to its cover image (`i`), for `COVER_COLUMNS`.
pub(super) const COVER_JOIN: &str = "LEFT JOIN images i ON i.id = a.cover_image_id";

#[derive(FromRow)]
struct CoverColumns {
    cover_id: Option<String>,
    cover_alt: Option<String>,
    cover_caption: Option<String>,
    cover_width: Option<i64>,
    cover_height: Option<i64>,
    /// Comma-separated, smallest first.
    cover_widths: Option<String>,
}

impl CoverColumns {
    fn into_cover(self) -> Option<Cover> {
        Some(Cover {
            id: self.cover_id?,
            alt: self.cover_alt.unwrap_or_default(),
            caption: self.cover_caption.unwrap_or_default(),
            width: self.cover_width?,
            height: self.cover_height?,
            widths: self
                .cover_widths?
                .split(',')
                .filter_map(|w| w.parse().ok())
                .collect(),
        })
    }
}

/// Turns the unique-constraint failure of an insert into a field conflict.
pub(super) fn conflict_or(err: sqlx::Error, fields: &[&'static str]) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // SQLite names the column in the message ("users.email");
        // PostgreSQL names the constraint ("users_email_key").
        let names = format!("{} {}", db.message(), db.constraint().unwrap_or_default());
        let field = fields
            .iter()
            .find(|f| names.contains(&format!(".{f}")) || names.contains(&format!("_{f}_")))
            .or(fields.first())
            .copied()
            .unwrap_or("value");
        return StoreError::Conflict(field);
    }
    StoreError::Database(err)
}

/// Whether a lookup key can name anything stored: nothing stored holds a NUL
/// (the domain drops control characters), and PostgreSQL would reject one.
pub(super) fn storable(keys: &[&str]) -> bool {
    keys.iter().all(|k| !k.contains('\0'))
}

/// What an API article list reads, shared by the page and its count. With
/// a tag it walks the tag's own index of live articles, as the site's tag
/// page does; the author, favorite and follow filters go through their own
/// indexes. So a list costs what it matches, not the size of the archive.
struct ApiQuery<'a> {
    filter: ApiFilter<'a>,
}

impl<'a> ApiQuery<'a> {
    /// `None` when a filter could match nothing stored.
    fn of(filter: ApiFilter<'a>) -> Option<Self> {
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
        let mut next = now_at + 1;
        let mut placeholder = || {
            next += 1;
            format!("${}", next - 1)
        };
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
                    placeholder()
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
                placeholder()
            ));
        }
        if self.filter.favorited_by.is_some() {
            sql.push_str(&format!(
                " AND a.id IN (SELECT l.article_id FROM article_like l \
                 WHERE l.user_id = (SELECT id FROM users WHERE username = {}))",
                placeholder()
            ));
        }
        if self.filter.followed_by.is_some() {
            sql.push_str(&format!(
                " AND a.author_id IN (SELECT followee_id FROM user_follow WHERE follower_id = {})",
                placeholder()
            ));
        }
        (sql, order, next)
    }

    /// The count from the kept counts, when only the tag (or nothing)
    /// filters: published minus those scheduled for later. `$1` is now.
    fn kept_count_sql(&self) -> Option<&'static str> {
        let ApiFilter {
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

/// `$first, $first+1, …` for `count` values, for an `IN (…)` list.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlStore {
    pub async fn connect(url: &str) -> Result<Self> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let dialect = Dialect::of_url(url).ok_or_else(|| {
            StoreError::Config(format!(
                "unsupported database URL scheme '{}': use sqlite://PATH or postgres://…",
                url.split(':').next().unwrap_or_default()
            ))
        })?;
        let pool = AnyPoolOptions::new()
            .max_connections(match dialect {
                // Every connection to ":memory:" is a database of its own.
                Dialect::Sqlite if url.contains(":memory:") => 1,
                Dialect::Sqlite => 8,
                Dialect::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _| Box::pin(async move { prepare(conn, dialect).await }))
            .connect(url)
            .await?;
        // A failing migration rolls back and stops the start-up; on
        // PostgreSQL an advisory lock keeps instances starting together from
        // migrating twice.
        dialect.migrator().run(&pool).await?;
        Ok(Self { pool, dialect })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn pool_connections(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Answers when the database does and the schema is current.
    pub async fn ready(&self) -> Result<()> {
        let latest = self
            .dialect
            .migrator()
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await?;
        if applied.unwrap_or(0) < latest {
            return Err(StoreError::Config("migrations are not applied".to_owned()));
        }
        Ok(())
    }

    pub async fn create_user(&self, user: &NewUser, now: i64) -> Result<User> {
        let id: std::result::Result<i64, _> = sqlx::query_scalar(
            "INSERT INTO users (username, email, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.username.as_str())
        .bind(user.email.as_str())
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(now)
        .fetch_one(&self.pool)
        .await;
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                return Err(match conflict_or(e, &["username", "email"]) {
                    // When both are taken, the backends name different
                    // constraints first; the username is reported, on both.
                    StoreError::Conflict(_) => {
                        StoreError::Conflict(self.taken_field(&user.username).await?)
                    }
                    other => other,
                });
            }
        };
        Ok(User {
            id,
            username: user.username.as_str().to_owned(),
            email: user.email.as_str().to_owned(),
            role: user.role,
        })
    }

    /// After a unique violation on a new user: "username" when the username
    /// is taken, else "email".
    async fn taken_field(&self, username: &Username) -> Result<&'static str> {
        let username_taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                .bind(username.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(if username_taken.is_some() {
            "username"
        } else {
            "email"
        })
    }

    pub async fn user_for_login(&self, name_or_email: &str) -> Result<Option<(User, String)>> {
        if !storable(&[name_or_email]) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT id, username, email, role, password_hash FROM users \
             WHERE username = $1 OR email = $1",
        )
        .bind(name_or_email)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let hash: String = row.try_get("password_hash")?;
        Ok(Some((UserRow::from_row(&row)?.into_user(), hash)))
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        if !storable(&[username]) {
            return Ok(None);
        }
        let row: Option<UserRow> =
            sqlx::query_as("SELECT id, username, email, role FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(UserRow::into_user))
    }

    pub async fn list_users(&self) -> Result<Vec<UserSummary>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            username: String,
            email: String,
            role: String,
            created_at: i64,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, username, email, role, created_at FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| UserSummary {
                id: r.id,
                username: r.username,
                email: r.email,
                role: Role::parse(&r.role).unwrap_or(Role::Reader),
                created_at: r.created_at,
            })
            .collect())
    }

    pub async fn account(&self, user_id: i64) -> Result<Option<Account>> {
        let row =
            sqlx::query("SELECT id, username, email, role, bio, image FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Account {
            bio: row.try_get("bio")?,
            image: row.try_get("image")?,
            user: UserRow::from_row(&row)?.into_user(),
        }))
    }

    pub async fn update_account(&self, user_id: i64, update: &AccountUpdate) -> Result<Account> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE users SET username = COALESCE(CAST($1 AS TEXT), username), \
             email = COALESCE(CAST($2 AS TEXT), email), \
             password_hash = COALESCE(CAST($3 AS TEXT), password_hash), \
             bio = COALESCE(CAST($4 AS TEXT), bio), \
             image = CASE WHEN $5 = 1 THEN CAST($6 AS TEXT) ELSE image END \
             WHERE id = $7",
        )
        .bind(update.username.as_deref())
        .bind(update.email.as_deref())
        .bind(update.password_hash.as_deref())
        .bind(update.bio.as_deref())
        .bind(i64::from(update.image.is_some()))
        .bind(update.image.clone().flatten())
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, &["username", "email"]))?;
        if let Some(username) = &update.username {
            // Searching by author name finds the new name at once.
            sqlx::query(&format!(
                "UPDATE article_search SET author = $1 WHERE {} IN \
                 (SELECT id FROM articles WHERE author_id = $2)",
                self.dialect.search_id()
            ))
            .bind(username)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        if update.password_hash.is_some() {
            // A new password ends the sessions opened with the old one.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.account(user_id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn profile(&self, username: &str, viewer: Option<i64>) -> Result<Option<Profile>> {
        if !storable(&[username]) {
            return Ok(None);
        }
        let row: Option<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT u.username, u.bio, u.image, CAST(CASE WHEN EXISTS (SELECT 1 FROM user_follow f \
                 WHERE f.follower_id = $2 AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) \
             FROM users u WHERE u.username = $1",
        )
        .bind(username)
        .bind(viewer.unwrap_or(-1))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(username, bio, image, following)| Profile {
            username,
            bio,
            image,
            following: following != 0,
        }))
    }

    pub async fn profiles(
        &self,
        usernames: &[String],
        viewer: Option<i64>,
    ) -> Result<Vec<Profile>> {
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT u.username, u.bio, u.image, CAST(CASE WHEN EXISTS (SELECT 1 FROM user_follow f \
                 WHERE f.follower_id = $1 AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) \
             FROM users u WHERE u.username IN ({})",
            placeholders(2, usernames.len())
        );
        let mut query = sqlx::query_as::<_, (String, String, Option<String>, i64)>(&sql)
            .bind(viewer.unwrap_or(-1));
        for name in usernames {
            query = query.bind(name.as_str());
        }
        Ok(query
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(username, bio, image, following)| Profile {
                username,
                bio,
                image,
                following: following != 0,
            })
            .collect())
    }

    pub async fn set_follow(
        &self,
        follower_id: i64,
        username: &str,
        follow: bool,
        now: i64,
    ) -> Result<Option<Profile>> {
        if !storable(&[username]) {
            return Ok(None);
        }
        let followee: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(followee) = followee else {
            return Ok(None);
        };
        if follow && followee != follower_id {
            sqlx::query(
                "INSERT INTO user_follow (follower_id, followee_id, followed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (follower_id, followee_id) DO NOTHING",
            )
            .bind(follower_id)
            .bind(followee)
            .bind(now)
            .execute(&self.pool)
            .await?;
        } else if !follow {
            sqlx::query("DELETE FROM user_follow WHERE follower_id = $1 AND followee_id = $2")
                .bind(follower_id)
                .bind(followee)
                .execute(&self.pool)
                .await?;
        }
        self.profile(username, Some(follower_id)).await
    }

    pub async fn live_tags(&self, now: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT t.name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tag tl \
             WHERE tl.tag_id = t.id AND tl.published_at <= $1) ORDER BY t.name",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn set_role(&self, user_id: i64, role: Role) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
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
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        // Logins are rare next to page views: a good moment to drop the
        // sessions that have run out, so the table does not grow forever.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a live session, and when the session expires.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(User, i64)>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.email, u.role, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get("expires_at")?;
        Ok(Some((UserRow::from_row(&row)?.into_user(), expires_at)))
    }

    /// Tells every instance listening on PostgreSQL to forget cached data
    /// (see `cache`). SQLite serves one process, which forgets locally.
    pub async fn notify(&self, channel: &str, message: &str) -> Result<()> {
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(channel)
                .bind(message)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn record_login_failure(&self, subjects: &[&str], now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for subject in subjects {
            sqlx::query("INSERT INTO login_failures (subject, failed_at) VALUES ($1, $2)")
                .bind(*subject)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        // Old failures no longer count; pruning here keeps the table small.
        sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
            .bind(now - 24 * 3600 * 1000)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn count_login_failures(&self, subject: &str, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE subject = $1 AND failed_at >= $2",
        )
        .bind(subject)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn site_key(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>> {
        sqlx::query(
            "INSERT INTO site_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate.to_vec())
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM site_keys WHERE name = $1")
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

    pub async fn set_cover(
        &self,
        article_id: i64,
        image: Option<&NewImage>,
        now: i64,
    ) -> Result<Option<String>> {
        let mut tx = self.pool.begin().await?;
        // Lock the article first: two uploads at once must not both see the
        // same old cover, or the first one's image would be left unowned.
        let found =
            sqlx::query("UPDATE articles SET cover_image_id = cover_image_id WHERE id = $1")
                .bind(article_id)
                .execute(&mut *tx)
                .await?;
        if found.rows_affected() == 0 {
            // Rolled back now: a dropped transaction keeps its locks until
            // the connection is next used.
            tx.rollback().await?;
            return Err(StoreError::Database(sqlx::Error::RowNotFound));
        }
        let replaced: Option<String> =
            sqlx::query_scalar("SELECT cover_image_id FROM articles WHERE id = $1")
                .bind(article_id)
                .fetch_one(&mut *tx)
                .await?;
        if let Some(image) = image {
            sqlx::query(
                "INSERT INTO images (id, width, height, widths, original, alt, caption, \
                 uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&image.id)
            .bind(image.width)
            .bind(image.height)
            .bind(
                image
                    .widths
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            )
            .bind(&image.original)
            .bind(&image.alt)
            .bind(&image.caption)
            .bind(image.uploaded_by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE articles SET cover_image_id = $1 WHERE id = $2")
            .bind(image.map(|i| i.id.as_str()))
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        cover_changed(&mut tx, article_id, now).await?;
        if let Some(old) = &replaced {
            sqlx::query("DELETE FROM images WHERE id = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(replaced)
    }

    pub async fn describe_cover(
        &self,
        article_id: i64,
        alt: &str,
        caption: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let described = sqlx::query(
            "UPDATE images SET alt = $1, caption = $2 \
             WHERE id = (SELECT cover_image_id FROM articles WHERE id = $3)",
        )
        .bind(alt)
        .bind(caption)
        .bind(article_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if described {
            cover_changed(&mut tx, article_id, now).await?;
        }
        tx.commit().await?;
        Ok(described)
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

    pub async fn largest_ids(&self) -> Result<(i64, i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT COALESCE((SELECT MAX(id) FROM articles), 0), \
             COALESCE((SELECT MAX(id) FROM tags), 0), COALESCE((SELECT MAX(id) FROM users), 0)",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn sitemap_articles(
        &self,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT slug, CASE WHEN revised_at > published_at THEN revised_at \
             ELSE published_at END FROM articles \
             WHERE id > $1 AND id <= $2 AND status = 'published' AND published_at <= $3 \
             ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn sitemap_tags(&self, from: i64, to: i64, now: i64) -> Result<Vec<(String, i64)>> {
        // One seek in the tag's index of live articles per tag.
        Ok(sqlx::query_as(
            "SELECT slug, newest FROM (SELECT t.id, t.slug, \
                 (SELECT tl.published_at FROM article_tag tl WHERE tl.tag_id = t.id \
                  AND tl.published_at <= $3 ORDER BY tl.published_at DESC LIMIT 1) AS newest \
             FROM tags t WHERE t.id > $1 AND t.id <= $2) s \
             WHERE newest IS NOT NULL ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn sitemap_authors(
        &self,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        // One seek in the author's index of articles per user.
        Ok(sqlx::query_as(
            "SELECT username, newest FROM (SELECT u.id, u.username, \
                 (SELECT a.published_at FROM articles a WHERE a.author_id = u.id \
                  AND a.status = 'published' AND a.published_at <= $3 \
                  ORDER BY a.published_at DESC LIMIT 1) AS newest \
             FROM users u WHERE u.id > $1 AND u.id <= $2) s \
             WHERE newest IS NOT NULL ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn news_articles(
        &self,
        since: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT slug, headline, published_at FROM articles \
             WHERE status = 'published' AND published_at <= $1 AND published_at >= $2 \
             ORDER BY published_at DESC, id DESC LIMIT $3",
        )
        .bind(now)
        .bind(since)
        .bind(limit)
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

    pub async fn api_articles(
        &self,
        filter: ApiFilter<'_>,
        limit: i64,
        offset: i64,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<ApiArticle>> {
        let Some(query) = ApiQuery::of(filter) else {
            return Ok(Vec::new());
        };
        // $1 viewer, $2 now, then the filters, then limit and offset.
        let (from_where, [by_time, by_id], next) = query.tables_and_conditions(2, true);
        let sql = format!(
            "SELECT {API_COLUMNS} {from_where} ORDER BY {by_time} DESC, {by_id} DESC \
             LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let mut select = sqlx::query_as::<_, ApiRow>(&sql)
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

    pub async fn api_article(
        &self,
        slug: &str,
        viewer: Option<i64>,
    ) -> Result<Option<(ApiArticle, String)>> {
        if !storable(&[slug]) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {API_COLUMNS}, a.body_markdown FROM articles a \
             JOIN users u ON u.id = a.author_id WHERE a.slug = $2"
        );
        let row = sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get("body_markdown")?;
        let api_row = ApiRow::from_row(&row)?;
        let tags = self.tags_of(&[api_row.id]).await?.remove(&api_row.id);
        Ok(Some((api_row.into_article(tags.unwrap_or_default()), body)))
    }

    pub async fn api_article_count(&self, filter: ApiFilter<'_>, now: i64) -> Result<i64> {
        let Some(query) = ApiQuery::of(filter) else {
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

    pub async fn search(
        &self,
        request: SearchRequest<'_>,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<SearchHit>> {
        let texts: Vec<&str> = [request.tag_slug, request.author]
            .into_iter()
            .flatten()
            .collect();
        if request.query.is_empty() || !storable(&texts) {
            return Ok(Vec::new());
        }
        // The newest matching live articles (filters applied), at most
        // SEARCH_WINDOW, each with its score (lower is more relevant); the
        // page is the best of those. Ranking is what a search costs, so
        // bounding it bounds the cost whatever the words; a query matching
        // fewer articles than the window is ranked exactly.
        let (from_index, score, id, query_text) = match self.dialect {
            Dialect::Sqlite => (
                "article_search JOIN articles a ON a.id = article_search.rowid \
                 WHERE article_search MATCH $1"
                    .to_owned(),
                format!("bm25(article_search, {SEARCH_WEIGHTS})"),
                "article_search.rowid",
                request.query.fts5(),
            ),
            Dialect::Postgres => (
                "article_search s JOIN articles a ON a.id = s.article_id, \
                 plainto_tsquery('english', $1) AS q(query) WHERE s.document @@ q.query"
                    .to_owned(),
                "CAST(-ts_rank_cd(s.document, q.query) AS DOUBLE PRECISION)".to_owned(),
                "s.article_id",
                request.query.text(),
            ),
        };
        // $1 the query, $2 now, $3 the limit, then the filters.
        let mut window = format!(
            "SELECT {id} AS id, {score} AS score FROM {from_index} \
             AND a.status = 'published' AND a.published_at <= $2"
        );
        let mut next = 4;
        let mut placeholder = || {
            next += 1;
            format!("${}", next - 1)
        };
        if request.tag_slug.is_some() {
            window.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM article_tag tl WHERE tl.article_id = a.id \
                 AND tl.tag_id = (SELECT id FROM tags WHERE slug = {}))",
                placeholder()
            ));
        }
        if request.author.is_some() {
            window.push_str(&format!(
                " AND a.author_id = (SELECT id FROM users WHERE username = {})",
                placeholder()
            ));
        }
        if request.from.is_some() {
            window.push_str(&format!(" AND a.published_at >= {}", placeholder()));
        }
        if request.until.is_some() {
            window.push_str(&format!(" AND a.published_at < {}", placeholder()));
        }
        window.push_str(&format!(" ORDER BY {id} DESC LIMIT {SEARCH_WINDOW}"));
        let mut sql = format!("SELECT m.id, m.score FROM ({window}) m");
        if request.after.is_some() {
            let (score, id) = (placeholder(), placeholder());
            sql.push_str(&format!(
                " WHERE m.score > {score} OR (m.score = {score} AND m.id < {id})"
            ));
        }
        sql.push_str(" ORDER BY m.score, m.id DESC LIMIT $3");
        let mut ranked = sqlx::query_as::<_, (i64, f64)>(&sql)
            .bind(&query_text)
            .bind(now)
            .bind(request.limit);
        for text in texts {
            ranked = ranked.bind(text);
        }
        for time in [request.from, request.until].into_iter().flatten() {
            ranked = ranked.bind(time);
        }
        if let Some(cursor) = request.after {
            ranked = ranked.bind(cursor.score).bind(cursor.id);
        }
        let ranked = ranked.fetch_all(&self.pool).await?;
        if ranked.is_empty() {
            return Ok(Vec::new());
        }

        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id \
             {COVER_JOIN} WHERE a.id IN ({})",
            placeholders(2, ids.len())
        );
        let mut cards = sqlx::query_as::<_, CardRow>(&sql).bind(viewer.unwrap_or(-1));
        for id in &ids {
            cards = cards.bind(id);
        }
        let mut cards: Vec<ArticleCard> = cards
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(CardRow::into_card)
            .collect();
        self.attach_tags(&mut cards).await?;

        // Snippets for this page's hits only: making one reads the text.
        let (start, end) = (HIGHLIGHT_START.to_string(), HIGHLIGHT_END.to_string());
        let mut snippets = match self.dialect {
            Dialect::Sqlite => {
                let sql = format!(
                    "SELECT rowid, snippet(article_search, 2, $2, $3, '…', 24) \
                     FROM article_search WHERE article_search MATCH $1 AND rowid IN ({})",
                    placeholders(4, ids.len())
                );
                let query = sqlx::query_as::<_, (i64, String)>(&sql)
                    .bind(&query_text)
                    .bind(&start)
                    .bind(&end);
                ids.iter()
                    .fold(query, |q, id| q.bind(id))
                    .fetch_all(&self.pool)
                    .await?
            }
            Dialect::Postgres => {
                let sql = format!(
                    "SELECT article_id, ts_headline('english', body, \
                     plainto_tsquery('english', $1), $2) \
                     FROM article_search WHERE article_id IN ({})",
                    placeholders(3, ids.len())
                );
                let options = format!(
                    "StartSel={start}, StopSel={end}, MaxWords=30, MinWords=12, \
                     MaxFragments=2, FragmentDelimiter=\" … \""
                );
                let query = sqlx::query_as::<_, (i64, String)>(&sql)
                    .bind(&query_text)
                    .bind(options);
                ids.iter()
                    .fold(query, |q, id| q.bind(id))
                    .fetch_all(&self.pool)
                    .await?
            }
        }
        .into_iter()
        .collect::<HashMap<i64, String>>();
        let mut cards: HashMap<i64, ArticleCard> = cards.drain(..).map(|c| (c.id, c)).collect();
        Ok(ranked
            .into_iter()
            .filter_map(|(id, score)| {
                Some(SearchHit {
                    card: cards.remove(&id)?,
                    snippet: snippet_parts(&snippets.remove(&id).unwrap_or_default()),
                    cursor: SearchCursor { score, id },
                })
            })
            .collect())
    }

    /// The tags of many articles, in typed order, with one query.
    async fn tags_of(&self, article_ids: &[i64]) -> Result<HashMap<i64, Vec<TagRef>>> {
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

    pub async fn set_like(
        &self,
        article_id: i64,
        user_id: i64,
        liked: bool,
        now: i64,
    ) -> Result<i64> {
        // The primary key decides whether anything changed; the kept count
        // moves only then, in the same transaction.
        let mut tx = self.pool.begin().await?;
        let changed = if liked {
            sqlx::query(
                "INSERT INTO article_like (article_id, user_id, liked_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (article_id, user_id) DO NOTHING",
            )
            .bind(article_id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query("DELETE FROM article_like WHERE article_id = $1 AND user_id = $2")
                .bind(article_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
        };
        let step: i64 = match (changed.rows_affected(), liked) {
            (0, _) => 0,
            (_, true) => 1,
            (_, false) => -1,
        };
        let likes = sqlx::query_scalar(
            "UPDATE articles SET like_count = like_count + $1 WHERE id = $2 RETURNING like_count",
        )
        .bind(step)
        .bind(article_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(likes)
    }

    pub async fn add_comment(&self, comment: &NewComment<'_>, now: i64) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query_scalar(
            "INSERT INTO comments (article_id, parent_id, author_id, body_markdown, body_html, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(comment.article_id)
        .bind(comment.parent_id)
        .bind(comment.author_id)
        .bind(comment.body_markdown)
        .bind(comment.body_html)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        adjust_comment_count(&mut tx, comment.article_id, 1).await?;
        tx.commit().await?;
        Ok(id)
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
             FROM comments WHERE id = $1",
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
        self.comment_views(article_id, None).await
    }

    pub async fn article_comment(&self, article_id: i64, id: i64) -> Result<Option<CommentView>> {
        Ok(self.comment_views(article_id, Some(id)).await?.pop())
    }

    /// An article's comments, oldest first, or just comment `only`.
    async fn comment_views(&self, article_id: i64, only: Option<i64>) -> Result<Vec<CommentView>> {
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
             WHERE c.article_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR c.id = $2) \
             ORDER BY c.created_at, c.id",
        )
        .bind(article_id)
        .bind(only)
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
        Ok(
            sqlx::query_scalar("SELECT comment_count FROM articles WHERE id = $1")
                .bind(article_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn recount(&self, article_id: i64) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM article_like WHERE article_id = $1), \
                    (SELECT COUNT(*) FROM comments WHERE article_id = $1 \
                     AND deleted_at IS NULL AND hidden_at IS NULL)",
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
            "UPDATE comments SET body_markdown = $1, body_html = $2, edited_at = $3 \
             WHERE id = $4 AND deleted_at IS NULL",
        )
        .bind(body_markdown)
        .bind(body_html)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn delete_comment(&self, id: i64, now: i64) -> Result<Option<i64>> {
        // The text goes at once; the row stays so replies keep their thread.
        let mut tx = self.pool.begin().await?;
        let changed: Option<(i64, Option<i64>)> = sqlx::query_as(
            "UPDATE comments SET deleted_at = $1, body_markdown = '', body_html = '' \
             WHERE id = $2 AND deleted_at IS NULL RETURNING article_id, hidden_at",
        )
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let visible_change = match changed {
            Some((article_id, None)) => {
                adjust_comment_count(&mut tx, article_id, -1).await?;
                Some(article_id)
            }
            _ => None,
        };
        tx.commit().await?;
        Ok(visible_change)
    }

    pub async fn set_comment_hidden(
        &self,
        id: i64,
        hidden_by: Option<i64>,
        now: i64,
    ) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        // Only a change of state moves the count, and only for a comment
        // that is not deleted.
        let changed: Option<(i64, Option<i64>)> = match hidden_by {
            Some(editor) => {
                sqlx::query_as(
                    "UPDATE comments SET hidden_at = $1, hidden_by = $2 \
                     WHERE id = $3 AND hidden_at IS NULL RETURNING article_id, deleted_at",
                )
                .bind(now)
                .bind(editor)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            }
            None => {
                sqlx::query_as(
                    "UPDATE comments SET hidden_at = NULL, hidden_by = NULL \
                     WHERE id = $1 AND hidden_at IS NOT NULL RETURNING article_id, deleted_at",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            }
        };
        let visible_change = match changed {
            Some((article_id, None)) => {
                let step = if hidden_by.is_some() { -1 } else { 1 };
                adjust_comment_count(&mut tx, article_id, step).await?;
                Some(article_id)
            }
            _ => None,
        };
        tx.commit().await?;
        Ok(visible_change)
    }

    pub async fn article_counts(&self, article_id: i64) -> Result<Option<(i64, i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT like_count, comment_count, \
             COALESCE((SELECT MAX(id) FROM comments WHERE article_id = $1), 0) \
             FROM articles WHERE id = $1",
        )
        .bind(article_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn comments_after(
        &self,
        article_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Option<i64>)>> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id FROM comments WHERE article_id = $1 AND id > $2 \
             AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id LIMIT $3",
        )
        .bind(article_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn article_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// Per-connection settings. SQLite needs them on every connection: foreign
/// keys are off by default and a busy writer must be waited for, not failed.
async fn prepare(conn: &mut AnyConnection, dialect: Dialect) -> Result<(), sqlx::Error> {
    if dialect == Dialect::Sqlite {
        conn.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )
        .await?;
    }
    Ok(())
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
async fn set_publication(
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
async fn withdraw(conn: &mut AnyConnection, id: i64) -> Result<()> {
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
async fn count_published(conn: &mut AnyConnection, article_id: i64, step: i64) -> Result<()> {
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

async fn adjust_comment_count(conn: &mut AnyConnection, article_id: i64, step: i64) -> Result<()> {
    sqlx::query("UPDATE articles SET comment_count = comment_count + $1 WHERE id = $2")
        .bind(step)
        .bind(article_id)
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

/// A cover is part of what readers see: changing it revises a live article.
async fn cover_changed(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    article_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE articles SET updated_at = $1, \
         revised_at = CASE WHEN status = 'published' AND published_at <= $1 \
                      THEN $1 ELSE revised_at END WHERE id = $2",
    )
    .bind(now)
    .bind(article_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |m: &sqlx::migrate::Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&SQLITE_MIGRATIONS), names(&POSTGRES_MIGRATIONS));
        assert!(!names(&SQLITE_MIGRATIONS).is_empty());
    }

    #[test]
    fn database_urls_pick_the_dialect() {
        assert_eq!(Dialect::of_url("sqlite://x.db"), Some(Dialect::Sqlite));
        assert_eq!(Dialect::of_url("postgres://h/db"), Some(Dialect::Postgres));
        assert_eq!(
            Dialect::of_url("postgresql://h/db"),
            Some(Dialect::Postgres)
        );
        assert_eq!(Dialect::of_url("mysql://h/db"), None);
    }
}
