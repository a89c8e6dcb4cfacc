//! Likes and the kept counts on the article row they change.

use super::SqlStore;
use crate::store::Result;

impl SqlStore {
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
}
