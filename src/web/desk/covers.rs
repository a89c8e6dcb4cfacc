//! An article's cover in the desk: the upload form (the image pipeline is
//! `media::covers`) and removing the cover.

use super::articles::{form_page, input_of};
use super::{editable, writer};
use crate::domain::user::User;
use crate::domain::{FieldErrors, bounded_text};
use crate::error::{AppError, AppResult};
use crate::media::covers::{self, NewCover};
use crate::state::AppState;
use crate::store::ArticleDraft;
use crate::web::visitor::{SignedIn, Visitor};
use crate::web::{render_with_status, see_other};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;

/// A cover's description for readers who cannot see it.
pub const ALT_MAX: usize = 300;
pub const CAPTION_MAX: usize = 500;

/// The cover form as posted.
#[derive(Default)]
struct CoverUpload {
    image: Option<axum::body::Bytes>,
    alt: String,
    caption: String,
}

async fn read_cover_form(mut form: Multipart) -> AppResult<CoverUpload> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("The upload could not be read: {}", e.body_text()))
    };
    let mut upload = CoverUpload::default();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("image") => upload.image = Some(field.bytes().await.map_err(unreadable)?),
            Some("alt") => upload.alt = field.text().await.map_err(unreadable)?,
            Some("caption") => upload.caption = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    Ok(upload)
}

/// Takes a cover image for an article: checked, cleaned, resized and
/// stored, then recorded; the image it replaces is removed.
pub async fn upload_cover(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Path(id): Path<String>,
    form: Multipart,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = editable(&state, &user, &id).await?;
    let mut upload = read_cover_form(form).await?;
    let mut errors = FieldErrors::default();
    let alt = errors.check(
        "alt",
        bounded_text(&upload.alt, "The description", 1, ALT_MAX),
    );
    let caption = errors.check(
        "caption",
        bounded_text(&upload.caption, "The caption", 0, CAPTION_MAX),
    );
    let image = upload.image.take().filter(|bytes| !bytes.is_empty());
    let limit = state.config.max_upload_bytes;
    if image.is_none() && draft.cover.is_none() {
        errors.add("image", "Choose an image to upload.");
    } else if image.as_ref().is_some_and(|bytes| bytes.len() > limit) {
        // The request limit leaves room for the form around the file.
        errors.add(
            "image",
            format!(
                "The image is larger than {} MB; choose a smaller one.",
                limit / (1024 * 1024)
            ),
        );
    }
    let (Some(alt), Some(caption), true) = (alt, caption, errors.is_empty()) else {
        return cover_refused(&state, &visitor, &user, &draft, errors, upload);
    };
    let now = state.now();
    let Some(image) = image else {
        // No new file: the words about the current cover change.
        state
            .store
            .describe_cover(draft.id, &alt, &caption, now)
            .await?;
        return Ok(saved(draft.id));
    };
    let cover = NewCover {
        image,
        alt,
        caption,
        uploaded_by: user.id,
    };
    let set = covers::set_cover(
        &state.store,
        &state.media,
        &state.image_work,
        draft.id,
        cover,
        now,
    )
    .await;
    match set {
        Ok(()) => Ok(saved(draft.id)),
        Err(AppError::Invalid(errors)) => {
            cover_refused(&state, &visitor, &user, &draft, errors, upload)
        }
        Err(e) => Err(e),
    }
}

fn saved(article_id: i64) -> Response {
    see_other(&format!("/desk/articles/{article_id}?saved=cover#cover"))
}

/// The article form again, with what was wrong with the cover form and
/// the text typed into it.
fn cover_refused(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    draft: &ArticleDraft,
    errors: FieldErrors,
    upload: CoverUpload,
) -> AppResult<Response> {
    let mut page = form_page(state, visitor, user, Some(draft), input_of(draft));
    page.errors = errors;
    page.cover_alt = upload.alt;
    page.cover_caption = upload.caption;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn remove_cover(
    State(state): State<AppState>,
    SignedIn(user, _): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let draft = editable(&state, &user, &id).await?;
    covers::remove_cover(&state.store, &state.media, draft.id, state.now()).await?;
    Ok(see_other(&format!(
        "/desk/articles/{}?saved=cover-removed#cover",
        draft.id
    )))
}
