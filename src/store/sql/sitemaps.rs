//! What sitemaps and the news sitemap list, in id ranges so that each file
//! costs one index range.

use super::SqlStore;
use crate::store::Result;

impl SqlStore {
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
        self.in_id_range(
            "SELECT slug, CASE WHEN revised_at > published_at THEN revised_at \
             ELSE published_at END FROM articles \
             WHERE id > $1 AND id <= $2 AND status = 'published' AND published_at <= $3 \
             ORDER BY id",
            from,
            to,
            now,
        )
        .await
    }

    pub async fn sitemap_tags(&self, from: i64, to: i64, now: i64) -> Result<Vec<(String, i64)>> {
        // One seek in the tag's index of live articles per tag.
        self.in_id_range(
            "SELECT slug, newest FROM (SELECT t.id, t.slug, \
                 (SELECT tl.published_at FROM article_tag tl WHERE tl.tag_id = t.id \
                  AND tl.published_at <= $3 ORDER BY tl.published_at DESC LIMIT 1) AS newest \
             FROM tags t WHERE t.id > $1 AND t.id <= $2) s \
             WHERE newest IS NOT NULL ORDER BY id",
            from,
            to,
            now,
        )
        .await
    }

    pub async fn sitemap_authors(
        &self,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        // One seek in the author's index of articles per user.
        self.in_id_range(
            "SELECT username, newest FROM (SELECT u.id, u.username, \
                 (SELECT a.published_at FROM articles a WHERE a.author_id = u.id \
                  AND a.status = 'published' AND a.published_at <= $3 \
                  ORDER BY a.published_at DESC LIMIT 1) AS newest \
             FROM users u WHERE u.id > $1 AND u.id <= $2) s \
             WHERE newest IS NOT NULL ORDER BY id",
            from,
            to,
            now,
        )
        .await
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

    /// A sitemap's rows, (address key, last change), from `sql` whose `$1`
    /// and `$2` bound an id range (`from`, `to`] and whose `$3` is now.
    async fn in_id_range(
        &self,
        sql: &'static str,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .bind(now)
            .fetch_all(&self.pool)
            .await?)
    }
}
