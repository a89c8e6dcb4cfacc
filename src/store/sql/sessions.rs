//! Sessions, login throttling, notifications to other instances and the
//! site's keys.

use super::rows::UserRow;
use super::{Dialect, SqlStore};
use crate::domain::user::User;
use crate::store::Result;
use sqlx::{FromRow, Row};

impl SqlStore {
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
}
