//! Comments: writing, editing, deleting and hiding them, with the kept
//! comment count of their article.

use super::SqlStore;
use crate::store::{CommentRecord, CommentView, NewComment, Result, ThreadPage, ThreadsPage};
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
        let rows: Vec<CommentRow> = sqlx::query_as(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id \
             WHERE c.article_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR c.id = $2) \
             ORDER BY c.created_at, c.id"
        ))
        .bind(article_id)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(CommentView::from).collect())
    }

    /// One page of `article_id`'s threads: at most `threads` of them, each
    /// with its first `reply_limit` replies. `staff` see hidden comments; others
    /// see a hidden or deleted thread start only where replies hang off it.
    pub async fn thread_page(
        &self,
        article_id: i64,
        page: ThreadPage,
        staff: bool,
        threads: i64,
        reply_limit: i64,
    ) -> Result<ThreadsPage> {
        let staff = i64::from(staff);
        let (keyset, order) = match page {
            ThreadPage::Latest => ("", "DESC"),
            ThreadPage::Before(_) => ("AND c.id < $3", "DESC"),
            ThreadPage::After(_) => ("AND c.id > $3", "ASC"),
            ThreadPage::Thread(_) => ("AND c.id = $3", "ASC"),
        };
        let limit = if keyset.is_empty() { "$3" } else { "$4" };
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id \
             WHERE c.article_id = $1 AND c.parent_id IS NULL {keyset} \
             AND ((c.deleted_at IS NULL AND (c.hidden_at IS NULL OR $2 = 1)) \
                  OR EXISTS (SELECT 1 FROM comments r WHERE r.article_id = c.article_id \
                             AND r.parent_id = c.id AND r.deleted_at IS NULL \
                             AND (r.hidden_at IS NULL OR $2 = 1))) \
             ORDER BY c.id {order} LIMIT {limit}"
        );
        let mut query = sqlx::query_as::<_, CommentRow>(&sql)
            .bind(article_id)
            .bind(staff);
        if let ThreadPage::Before(id) | ThreadPage::After(id) | ThreadPage::Thread(id) = page {
            query = query.bind(id);
        }
        let mut tops = query.bind(threads + 1).fetch_all(&self.pool).await?;
        let more = tops.len() as i64 > threads;
        tops.truncate(threads.max(0) as usize);
        if order == "DESC" {
            tops.reverse();
        }
        let (Some(first), Some(last)) = (tops.first().map(|c| c.id), tops.last().map(|c| c.id))
        else {
            return Ok(ThreadsPage::default());
        };
        let (older, newer) = match page {
            ThreadPage::Latest => (more.then_some(first), None),
            ThreadPage::Before(_) => (more.then_some(first), Some(last)),
            ThreadPage::After(_) => (Some(first), more.then_some(last)),
            ThreadPage::Thread(_) => (None, None),
        };

        #[derive(FromRow)]
        struct Reply {
            #[sqlx(flatten)]
            comment: CommentRow,
            total: i64,
        }
        // The shown threads are exactly those whose ids lie between the first
        // and the last shown, so their replies are one range of the index.
        let replies: Vec<Reply> = sqlx::query_as(&format!(
            "SELECT {COMMENT_COLUMNS}, c.total FROM (\
               SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.parent_id ORDER BY r.id) AS n, \
                      COUNT(*) OVER (PARTITION BY r.parent_id) AS total \
               FROM comments r WHERE r.article_id = $1 AND r.parent_id BETWEEN $2 AND $3 \
               AND r.deleted_at IS NULL AND (r.hidden_at IS NULL OR $4 = 1)) c \
             JOIN users u ON u.id = c.author_id WHERE c.n <= $5 ORDER BY c.id"
        ))
        .bind(article_id)
        .bind(first)
        .bind(last)
        .bind(staff)
        .bind(reply_limit)
        .fetch_all(&self.pool)
        .await?;
        let mut more_replies: Vec<(i64, i64)> = Vec::new();
        for reply in &replies {
            if let Some(parent) = reply.comment.parent_id
                && reply.total > reply_limit
                && !more_replies.iter().any(|(p, _)| *p == parent)
            {
                more_replies.push((parent, reply.total - reply_limit));
            }
        }
        let mut comments: Vec<CommentView> = tops.into_iter().map(CommentView::from).collect();
        comments.extend(replies.into_iter().map(|r| CommentView::from(r.comment)));
        Ok(ThreadsPage {
            comments,
            older,
            newer,
            more_replies,
        })
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

/// The columns of `CommentRow`, from comments `c` joined to users `u`.
const COMMENT_COLUMNS: &str = "c.id, c.parent_id, c.author_id, u.username AS author, \
     c.body_markdown, c.body_html, c.created_at, c.edited_at, c.deleted_at, c.hidden_at";

#[derive(FromRow)]
struct CommentRow {
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

impl From<CommentRow> for CommentView {
    fn from(r: CommentRow) -> Self {
        CommentView {
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
        }
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
