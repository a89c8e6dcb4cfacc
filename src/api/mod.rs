//! The JSON API under `/api`, shaped like the public RealWorld ("Conduit")
//! specification so existing clients work, on the same domain and store as
//! the site: the same accounts, rules and throttling.
//!
//! Authentication is `Authorization: Token <jwt>`; cookies are never read
//! here, which is why these routes need no CSRF token.

pub(crate) mod articles;
pub(crate) mod auth;
pub(crate) mod comments;
pub(crate) mod error;
pub(crate) mod openapi;
pub(crate) mod profiles;
pub(crate) mod search;
pub(crate) mod tags;
pub(crate) mod users;

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request};
use axum::middleware;
use axum::{Extension, Router};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Every route of the API with its OpenAPI operation, and the document,
/// one module per resource. Each handler is registered once, with its
/// annotation, so what is served and what is documented cannot drift apart.
pub fn documented_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(users::router())
        .merge(profiles::router())
        .merge(tags::router())
        .merge(search::router())
        .merge(articles::router())
        .merge(comments::router())
        .merge(openapi::router())
        .split_for_parts()
}

/// The API, with its document served and errors rendered as JSON.
pub fn router() -> Router<AppState> {
    let (router, document) = documented_routes();
    // The document cannot fail to serialize: it is plain data built above.
    let json = document.to_pretty_json().unwrap_or_default();
    router
        .layer(Extension(openapi::Document(json.into())))
        .fallback(|| async { AppError::NoSuchEndpoint })
        .layer(middleware::from_fn(error::json_errors))
}

/// Cross-origin access for browser front ends, only for the configured
/// origins. Tokens travel in a header, never in cookies, so no credentials
/// mode is needed.
pub fn cors(config: &crate::config::SiteConfig) -> tower_http::cors::CorsLayer {
    use axum::http::{HeaderValue, Method, header};
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins = if config.cors_origins.iter().any(|o| o.trim() == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            config
                .cors_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim().trim_end_matches('/')).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(3600))
}

/// A JSON body. Each way a body can be wrong gets its own 4xx in the API's
/// error shape: no JSON content type 415, unreadable JSON 400, the wrong
/// fields or types 422, too large 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        use axum::http::StatusCode;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::UnsupportedMediaType(
                "expected a body of type application/json".to_owned(),
            )),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(AppError::BadRequest(e.body_text())),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::field("body", e.body_text())),
            Err(other) if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::PayloadTooLarge)
            }
            Err(other) => Err(AppError::BadRequest(other.body_text())),
        }
    }
}
