//! Setting an article's cover from an upload, as one step the desk calls:
//! prepare the image on the blocking pool (one upload per core at a time),
//! store its files, then record it with the article. A failure at any point
//! leaves no record pointing at missing files, and files nothing records
//! are removed; a removal that fails only leaves files behind, so it is
//! logged rather than failing the journalist's request.

use super::{MediaStore, new_image_id, prepare};
use crate::error::{AppError, AppResult};
use crate::store::{NewImage, Store};
use tokio::sync::Semaphore;

/// An uploaded cover: the file as sent, and its words for readers.
#[derive(Debug, Clone)]
pub struct NewCover {
    pub image: axum::body::Bytes,
    pub alt: String,
    pub caption: String,
    pub uploaded_by: i64,
}

/// Prepares the upload, stores its files and makes it the cover of
/// `article_id`, removing the image it replaces. An upload that is not a
/// usable image is `Invalid` on the field "image".
pub async fn set_cover(
    store: &Store,
    media: &MediaStore,
    image_work: &Semaphore,
    article_id: i64,
    cover: NewCover,
    now: i64,
) -> AppResult<()> {
    let upload = cover.image;
    let prepared = {
        let _turn = image_work
            .acquire()
            .await
            .map_err(|e| AppError::Internal(format!("image preparation: {e}")))?;
        crate::telemetry::spawn_blocking_in_span(move || prepare(&upload))
            .await
            .map_err(|e| AppError::Internal(format!("image preparation: {e}")))?
            .map_err(|e| AppError::field("image", e.to_string()))?
    };
    let image_id = new_image_id();
    for file in &prepared.files {
        if let Err(e) = media.put(&image_id, &file.name, &file.bytes).await {
            discard(media, &image_id).await;
            return Err(AppError::Internal(format!("storing an image: {e}")));
        }
    }
    let record = NewImage {
        id: image_id.clone(),
        width: i64::from(prepared.width),
        height: i64::from(prepared.height),
        widths: prepared.widths.iter().map(|w| i64::from(*w)).collect(),
        original: prepared.original,
        alt: cover.alt,
        caption: cover.caption,
        uploaded_by: cover.uploaded_by,
    };
    match store.set_cover(article_id, Some(&record), now).await {
        Ok(replaced) => {
            forget(media, replaced).await;
            Ok(())
        }
        Err(e) => {
            // Not recorded: its files would never be shown.
            discard(media, &image_id).await;
            Err(e.into())
        }
    }
}

/// Takes an article's cover away and removes its files.
pub async fn remove_cover(
    store: &Store,
    media: &MediaStore,
    article_id: i64,
    now: i64,
) -> AppResult<()> {
    let replaced = store.set_cover(article_id, None, now).await?;
    forget(media, replaced).await;
    Ok(())
}

/// Removes the files of an image nothing shows any more (a replaced cover,
/// or the cover of a deleted article).
pub async fn forget(media: &MediaStore, image: Option<String>) {
    if let Some(image) = image {
        discard(media, &image).await;
    }
}

async fn discard(media: &MediaStore, image: &str) {
    if let Err(e) = media.delete(image).await {
        tracing::warn!(error = %e, image, "an image's files were not removed");
    }
}
