//! Comments: writing, editing, deleting and hiding them, with the kept
//! comment count of their article.

use super::SqlStore;
use crate::store::{CommentRecord, CommentView, NewComment, Result};
use sqlx::AnyConnection;
use sqlx::FromRow;

impl SqlStore {
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
    pub(super) async fn comment_views(
        &self,
        article_id: i64,
        only: Option<i64>,
    ) -> Result<Vec<CommentView>> {
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
}

pub(super) async fn adjust_comment_count(
    conn: &mut AnyConnection,
    article_id: i64,
    step: i64,
) -> Result<()> {
    sqlx::query("UPDATE articles SET comment_count = comment_count + $1 WHERE id = $2")
        .bind(step)
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
