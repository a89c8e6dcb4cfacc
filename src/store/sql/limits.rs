//! Rate-limit windows: one row per rule and subject (see migration 0009).

use super::SqlStore;
use crate::domain::rate::{Rate, Window};
use crate::store::Result;

impl SqlStore {
    /// Counts one action in `bucket`'s window under `rate`, as
    /// `domain::rate::decide` says, in one atomic upsert so instances racing
    /// on one subject never both pass: the window, or `None` when refused.
    pub async fn take_rate(&self, bucket: &str, rate: Rate, now: i64) -> Result<Option<Window>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "INSERT INTO rate_limits (bucket, resets_at, used) VALUES ($1, $2 + $3, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
               used = CASE WHEN rate_limits.resets_at <= $2 THEN 1 \
                           ELSE rate_limits.used + 1 END, \
               resets_at = CASE WHEN rate_limits.resets_at <= $2 THEN $2 + $3 \
                                ELSE rate_limits.resets_at END \
             WHERE rate_limits.resets_at <= $2 OR rate_limits.used < $4 \
             RETURNING resets_at, CAST(used AS BIGINT)",
        )
        .bind(bucket)
        .bind(now)
        .bind(rate.period_ms)
        .bind(i64::from(rate.count))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(resets_at, used)| Window {
            resets_at,
            used: u32::try_from(used).unwrap_or(u32::MAX),
        }))
    }

    /// `bucket`'s window, if it has one.
    pub async fn rate_window(&self, bucket: &str) -> Result<Option<Window>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT resets_at, CAST(used AS BIGINT) FROM rate_limits WHERE bucket = $1",
        )
        .bind(bucket)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(resets_at, used)| Window {
            resets_at,
            used: u32::try_from(used).unwrap_or(u32::MAX),
        }))
    }

    /// Forgets windows that have closed; how many.
    pub async fn prune_rates(&self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM rate_limits WHERE resets_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
