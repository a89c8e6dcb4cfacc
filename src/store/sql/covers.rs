//! Cover images: setting, describing and removing an article's cover.

use super::SqlStore;
use crate::store::{NewImage, Result, StoreError};

impl SqlStore {
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
}

/// A cover is part of what readers see: changing it revises a live article.
pub(super) async fn cover_changed(
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
