//! Errors in the specification's shape: `{"errors": {"field": ["message"]}}`.

use crate::domain::FieldErrors;
use crate::store::StoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::BTreeMap;

/// Every error body: the field (or "body" for the request as a whole, or
/// "token") and what is wrong with it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GenericErrorModel {
    #[schema(example = json!({ "title": ["The headline can't be empty."] }))]
    pub errors: BTreeMap<String, Vec<String>>,
}

#[derive(Debug)]
pub enum ApiError {
    /// No valid token where one is needed.
    Unauthorized,
    Forbidden,
    NotFound,
    /// No route matched: told apart from a missing article or user.
    NoSuchEndpoint,
    /// Field → messages, answered with 422.
    Validation(Vec<(String, String)>),
    /// Any other status with a message under "body".
    Status(StatusCode, String),
    Store(StoreError),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![(field.to_owned(), message.into())])
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(
            errors
                .iter()
                .map(|(field, message)| (field.to_owned(), message.to_owned()))
                .collect(),
        )
    }
}

impl From<crate::auth::register::RegisterError> for ApiError {
    fn from(e: crate::auth::register::RegisterError) -> Self {
        match e {
            crate::auth::register::RegisterError::Store(e) => ApiError::Store(e),
            crate::auth::register::RegisterError::Hash(e) => {
                ApiError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Store(e)
    }
}

fn body(status: StatusCode, errors: Vec<(String, String)>) -> Response {
    let mut model = GenericErrorModel {
        errors: BTreeMap::new(),
    };
    for (field, message) in errors {
        model.errors.entry(field).or_default().push(message);
    }
    (status, Json(model)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let one = |status: StatusCode, field: &str, message: &str| {
            body(status, vec![(field.to_owned(), message.to_owned())])
        };
        match self {
            ApiError::Unauthorized => {
                one(StatusCode::UNAUTHORIZED, "token", "is missing or invalid")
            }
            ApiError::Forbidden => one(StatusCode::FORBIDDEN, "body", "not allowed"),
            ApiError::NotFound => one(StatusCode::NOT_FOUND, "body", "not found"),
            ApiError::NoSuchEndpoint => one(StatusCode::NOT_FOUND, "body", "no such endpoint"),
            ApiError::Validation(errors) => body(StatusCode::UNPROCESSABLE_ENTITY, errors),
            ApiError::Status(status, message) => one(status, "body", &message),
            ApiError::Store(e) if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                one(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "body",
                    "the service is briefly unavailable",
                )
            }
            ApiError::Store(e) => {
                tracing::error!(error = %e, "storage failed");
                one(StatusCode::INTERNAL_SERVER_ERROR, "body", "internal error")
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
