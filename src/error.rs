//! One error type for every handler. A handler returns `AppError`; its
//! response carries the status and a short public message, and the visitor
//! middleware turns it into the site's own error page (or JSON for scripts).

use crate::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The page needs a logged-in user; `next` is where to return after login.
    #[error("login required")]
    LoginRequired { next: String },
    #[error("forbidden")]
    Forbidden,
    #[error("invalid CSRF token")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("payload too large")]
    PayloadTooLarge,
    /// An upload over the limit (in bytes).
    #[error("upload too large")]
    UploadTooLarge(usize),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

/// Put in the extensions of an error response; the middleware renders it.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub message: String,
}

impl ErrorPage {
    /// The page for a status that reached us without a message, such as a
    /// 405 from the router or a 408 from the timeout layer.
    pub fn for_status(status: StatusCode) -> Self {
        let message = match status {
            StatusCode::NOT_FOUND => "There is no page at this address.",
            StatusCode::FORBIDDEN => "You don't have permission to do that.",
            StatusCode::METHOD_NOT_ALLOWED => "That action isn't available at this address.",
            StatusCode::REQUEST_TIMEOUT => "That took too long. Please try again.",
            StatusCode::PAYLOAD_TOO_LARGE => "What you sent is too large.",
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts. Please wait a little.",
            StatusCode::SERVICE_UNAVAILABLE => {
                "The site is briefly unavailable. Please try again in a moment."
            }
            s if s.is_server_error() => "Something went wrong on our side. Please try again.",
            _ => "The request could not be understood.",
        };
        Self {
            status,
            message: message.to_owned(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match self {
            AppError::LoginRequired { next } => {
                let location = format!("/login?next={}", crate::web::encode_query(&next));
                return axum::response::Redirect::to(&location).into_response();
            }
            AppError::NotFound => ErrorPage::for_status(StatusCode::NOT_FOUND),
            AppError::Forbidden => ErrorPage::for_status(StatusCode::FORBIDDEN),
            AppError::Csrf => ErrorPage {
                status: StatusCode::FORBIDDEN,
                message: "This form has expired or did not come from this site. \
                          Go back, reload the page and try again."
                    .to_owned(),
            },
            AppError::BadRequest(message) => ErrorPage {
                status: StatusCode::BAD_REQUEST,
                message,
            },
            AppError::PayloadTooLarge => ErrorPage::for_status(StatusCode::PAYLOAD_TOO_LARGE),
            AppError::UploadTooLarge(limit) => ErrorPage {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: format!(
                    "That image is larger than {} MB, the most this site accepts. \
                     Go back and choose a smaller one.",
                    limit / (1024 * 1024)
                ),
            },
            AppError::Store(ref e) if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                ErrorPage::for_status(StatusCode::SERVICE_UNAVAILABLE)
            }
            AppError::Store(ref e) => {
                tracing::error!(error = %e, "storage failed");
                ErrorPage::for_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
            AppError::Internal(ref e) => {
                tracing::error!(error = %e, "internal error");
                ErrorPage::for_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        };
        let mut response = page.status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

impl From<crate::auth::register::RegisterError> for AppError {
    fn from(e: crate::auth::register::RegisterError) -> Self {
        match e {
            crate::auth::register::RegisterError::Store(e) => AppError::Store(e),
            crate::auth::register::RegisterError::Hash(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            // What the request named went away while it was answered (an
            // article deleted during an upload to it).
            StoreError::Database(sqlx::Error::RowNotFound) => AppError::NotFound,
            e => AppError::Store(e),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;
