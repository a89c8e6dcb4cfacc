//! The API's renderer of errors, in the specification's shape:
//! `{"errors": {"field": ["message"]}}`. Handlers return the one `AppError`
//! the site uses too; this turns its report into JSON on the way out.

use crate::error::ErrorReport;
use axum::Json;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
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

impl From<&ErrorReport> for GenericErrorModel {
    fn from(report: &ErrorReport) -> Self {
        let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (field, message) in &report.fields {
            errors
                .entry(field.clone())
                .or_default()
                .push(message.clone());
        }
        Self { errors }
    }
}

/// Renders error responses as JSON: those carrying an `AppError`'s report,
/// and those that came without a body (a 405 from the router, a 408 from
/// the timeout).
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let report = match response.extensions().get::<ErrorReport>() {
        Some(report) => report.clone(),
        None if (status.is_client_error() || status.is_server_error())
            && !response.headers().contains_key(header::CONTENT_TYPE) =>
        {
            ErrorReport::for_status(status)
        }
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = Json(GenericErrorModel::from(&report)).into_response();
    let (body_parts, body) = body.into_parts();
    parts.headers.extend(body_parts.headers);
    Response::from_parts(parts, body)
}
