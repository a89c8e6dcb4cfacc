//! One error type for every handler and every shared step, on both
//! surfaces. A handler or service returns `AppError`; its response carries
//! the status and an `ErrorReport` with the public wording for people and
//! for programs, and the surface's own middleware renders it: the site's
//! visitor layer as the site's error page (or JSON for our script), the
//! API's as `{"errors": …}`. So the surface picks the renderer, never the
//! variant. A 5xx is logged here, once, inside the request's span, and its
//! cause never reaches the client.

use crate::domain::FieldErrors;
use crate::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// No route matched: told apart from a missing article or user.
    #[error("no such endpoint")]
    NoSuchEndpoint,
    /// The page needs a logged-in user; `next` is where to return after login.
    #[error("login required")]
    LoginRequired { next: String },
    /// No valid API token where one is needed.
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid CSRF token")]
    Csrf,
    /// Fields to correct, with the reasons (the domain's field names).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The named unique field ("username", "email") belongs to another
    /// account; each surface words it for its own form.
    #[error("{0} is already taken")]
    Taken(&'static str),
    /// No such account, or the wrong password: deliberately not told apart.
    #[error("wrong credentials")]
    WrongCredentials,
    /// Too many recent failed logins for the account or the address.
    #[error("throttled")]
    Throttled,
    /// One client did something too often (`limits`).
    #[error("rate limited: {}", limit.name())]
    RateLimited {
        limit: crate::limits::Limit,
        retry_after_secs: u64,
    },
    /// A bounded resource (password hashing) stayed busy; try again soon.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
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

impl AppError {
    /// One field's problem.
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        AppError::Invalid(errors)
    }
}

/// What an error response says, put in its extensions for the surface's
/// middleware to render: `message` for people (the site's page), `fields`
/// for programs (the API's `{"errors": {field: [message]}}`).
#[derive(Debug, Clone)]
pub struct ErrorReport {
    pub status: StatusCode,
    pub message: String,
    pub fields: Vec<(String, String)>,
}

impl ErrorReport {
    /// The report for a status that reached us without one, such as a
    /// 405 from the router or a 408 from the timeout layer.
    pub fn for_status(status: StatusCode) -> Self {
        let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
        Self::new(status, site_message(status), "body", reason)
    }

    fn new(
        status: StatusCode,
        message: impl Into<String>,
        field: &str,
        api_message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            message: message.into(),
            fields: vec![(field.to_owned(), api_message.into())],
        }
    }

    /// The site's usual wording for the status, with the API's own.
    fn with_api(status: StatusCode, field: &str, api_message: &str) -> Self {
        Self::new(status, site_message(status), field, api_message)
    }
}

/// What the site's page says for a status when nothing more is known.
fn site_message(status: StatusCode) -> &'static str {
    match status {
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
    }
}

/// The API's names for the fields the domain reports on.
fn api_field(field: &str) -> &str {
    match field {
        "headline" => "title",
        "summary" => "description",
        "tags" => "tagList",
        "publish_at" => "publishedAt",
        "parent_id" => "parentId",
        other => other,
    }
}

impl AppError {
    /// The public report of this error; logs the ones that are our fault.
    fn report(self) -> ErrorReport {
        use StatusCode as S;
        match self {
            AppError::NotFound => ErrorReport::with_api(S::NOT_FOUND, "body", "not found"),
            AppError::NoSuchEndpoint => {
                ErrorReport::with_api(S::NOT_FOUND, "body", "no such endpoint")
            }
            AppError::Unauthorized | AppError::LoginRequired { .. } => ErrorReport::new(
                S::UNAUTHORIZED,
                "Please log in first.",
                "token",
                "is missing or invalid",
            ),
            AppError::Forbidden => ErrorReport::with_api(S::FORBIDDEN, "body", "not allowed"),
            AppError::Csrf => ErrorReport::new(
                S::FORBIDDEN,
                "This form has expired or did not come from this site. \
                 Go back, reload the page and try again.",
                "body",
                "invalid CSRF token",
            ),
            AppError::Invalid(errors) => ErrorReport {
                status: S::UNPROCESSABLE_ENTITY,
                message: errors
                    .iter()
                    .map(|(_, message)| message)
                    .collect::<Vec<_>>()
                    .join(" "),
                fields: errors
                    .iter()
                    .map(|(field, message)| (api_field(field).to_owned(), message.to_owned()))
                    .collect(),
            },
            AppError::Taken(field) => ErrorReport::new(
                S::UNPROCESSABLE_ENTITY,
                format!("That {field} is already taken."),
                field,
                "has already been taken",
            ),
            AppError::WrongCredentials => ErrorReport::new(
                S::UNAUTHORIZED,
                "That username or email and password don't match an account.",
                "body",
                "email or password is invalid",
            ),
            AppError::Throttled => ErrorReport::new(
                S::TOO_MANY_REQUESTS,
                "Too many failed attempts. Please wait 15 minutes and try again.",
                "body",
                "too many failed attempts; wait 15 minutes",
            ),
            AppError::RateLimited {
                limit,
                retry_after_secs,
            } => ErrorReport::new(
                S::TOO_MANY_REQUESTS,
                format!(
                    "You're {} too often. Please wait {} and try again.",
                    limit.doing(),
                    crate::limits::wait_words(retry_after_secs)
                ),
                "body",
                format!(
                    "too many requests ({}); retry after {retry_after_secs} s",
                    limit.name()
                ),
            ),
            AppError::Busy { .. } => ErrorReport::new(
                S::SERVICE_UNAVAILABLE,
                "Many people are logging in right now. Please try again in a moment.",
                "body",
                "the service is busy; try again shortly",
            ),
            AppError::BadRequest(message) => {
                ErrorReport::new(S::BAD_REQUEST, message.clone(), "body", message)
            }
            AppError::UnsupportedMediaType(message) => {
                ErrorReport::new(S::UNSUPPORTED_MEDIA_TYPE, message.clone(), "body", message)
            }
            AppError::PayloadTooLarge => {
                ErrorReport::with_api(S::PAYLOAD_TOO_LARGE, "body", "the body is too large")
            }
            AppError::UploadTooLarge(limit) => ErrorReport::new(
                S::PAYLOAD_TOO_LARGE,
                format!(
                    "That image is larger than {} MB, the most this site accepts. \
                     Go back and choose a smaller one.",
                    limit / (1024 * 1024)
                ),
                "image",
                format!("is larger than {} MB", limit / (1024 * 1024)),
            ),
            AppError::Store(e) if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                ErrorReport::with_api(
                    S::SERVICE_UNAVAILABLE,
                    "body",
                    "the service is briefly unavailable",
                )
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "storage failed");
                ErrorReport::with_api(S::INTERNAL_SERVER_ERROR, "body", "internal error")
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                ErrorReport::with_api(S::INTERNAL_SERVER_ERROR, "body", "internal error")
            }
        }
    }
}

/// A refusal that passes with time (too many attempts, a busy server):
/// forms show its message above what was typed instead of an error page.
#[derive(Debug, Clone)]
pub struct TryLater {
    pub status: StatusCode,
    pub message: String,
    pub retry_after_secs: u64,
}

impl TryLater {
    /// Adds `Retry-After` to a response (the form shown again).
    pub fn tag(&self, mut response: Response) -> Response {
        *response.status_mut() = self.status;
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            self.retry_after_secs.into(),
        );
        response
    }
}

impl AppError {
    /// The refusal to show in a form, when this is one that passes with time.
    pub fn try_later(&self) -> Option<TryLater> {
        let retry_after_secs = self.retry_after_secs()?;
        let report = match self {
            AppError::Throttled => AppError::Throttled.report(),
            AppError::Busy { retry_after_secs } => AppError::Busy {
                retry_after_secs: *retry_after_secs,
            }
            .report(),
            AppError::RateLimited {
                limit,
                retry_after_secs,
            } => AppError::RateLimited {
                limit: *limit,
                retry_after_secs: *retry_after_secs,
            }
            .report(),
            _ => return None,
        };
        Some(TryLater {
            status: report.status,
            message: report.message,
            retry_after_secs,
        })
    }

    /// When a refused client may try again, for `Retry-After`.
    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::Throttled => Some((crate::auth::throttle::WINDOW_MS / 1000) as u64),
            AppError::Busy { retry_after_secs }
            | AppError::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::LoginRequired { next } = &self {
            let location = format!("/login?next={}", crate::http::encode_query(next));
            return axum::response::Redirect::to(&location).into_response();
        }
        let retry_after = self.retry_after_secs();
        let report = self.report();
        let mut response = report.status.into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response.extensions_mut().insert(report);
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            // What the request named went away while it was answered (an
            // article deleted during an upload to it).
            StoreError::Database(sqlx::Error::RowNotFound) => AppError::NotFound,
            StoreError::Conflict(field) => AppError::Taken(field),
            e => AppError::Store(e),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_never_show_their_cause() {
        for error in [
            AppError::Internal("secret path /var/lib/x".to_owned()),
            AppError::Store(StoreError::Config("postgres://user:pw@db".to_owned())),
        ] {
            let report = error.report();
            assert_eq!(report.status, StatusCode::INTERNAL_SERVER_ERROR);
            let said = format!("{} {:?}", report.message, report.fields);
            assert!(!said.contains("secret") && !said.contains("pw@"), "{said}");
        }
    }

    #[test]
    fn field_errors_take_the_api_names() {
        let mut errors = FieldErrors::default();
        errors.add("headline", "The headline can't be empty.");
        errors.add("body", "The text can't be empty.");
        let report = AppError::Invalid(errors).report();
        assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = report.fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["title", "body"]);
    }
}
