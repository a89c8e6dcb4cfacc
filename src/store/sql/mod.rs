//! The SQL behind `Store`, written once for both backends. Queries use
//! portable SQL (`$N` placeholders, `ON CONFLICT`, `RETURNING`, row-value
//! comparison) through sqlx's `Any` driver; where the dialects differ, the
//! code asks `Dialect`. Times are bound as Unix milliseconds.
//!
//! One file per resource, each adding an `impl SqlStore` block: `rows`
//! (row types, column lists and helpers every file shares), `users`,
//! `sessions`, `articles` (writing them, with their publication and search
//! index), `covers`, `likes`, `listing` (cards, filtered lists), `search`,
//! `comments`, `sitemaps`, `tags`, and `bulk` (seeding and copying sites).
//! This file connects, migrates and sets each connection up.

mod articles;
mod bulk;
mod comments;
mod covers;
mod likes;
mod limits;
mod listing;
mod rows;
mod search;
mod sessions;
mod sitemaps;
mod tags;
mod users;

pub use bulk::{Progress, SeedPlan, seed_word};
pub use search::SEARCH_WINDOW;
pub use tags::{TagDetails, TaggingSource};

use crate::store::{Result, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Executor};
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
