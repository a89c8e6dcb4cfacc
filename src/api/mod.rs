//! The JSON API under `/api`, shaped like the public RealWorld ("Conduit")
//! specification so existing clients work, on the same domain and store as
//! the site: the same accounts, rules and throttling.
//!
//! Authentication is `Authorization: Token <jwt>`; cookies are never read
//! here, which is why these routes need no CSRF token.

pub mod articles;
pub mod auth;
pub mod comments;
pub mod error;
pub mod openapi;
pub mod profiles;
pub mod search;
pub mod tags;
pub mod token;
pub mod users;

use crate::app::AppState;
use axum::extract::{FromRequest, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use error::ApiError;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every route of the API with its OpenAPI operation, and the document.
/// Each handler is registered once, with its annotation, so what is served
/// and what is documented cannot drift apart.
pub fn documented_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(users::register_user))
        .routes(routes!(users::login_user))
        .routes(routes!(users::current_user, users::update_user))
        .routes(routes!(profiles::show_profile))
        .routes(routes!(profiles::follow_user, profiles::unfollow_user))
        .routes(routes!(tags::list_tags))
        .routes(routes!(search::search_articles))
        .routes(routes!(articles::list_articles, articles::create_article))
        .routes(routes!(articles::feed_articles))
        .routes(routes!(
            articles::show_article,
            articles::update_article,
            articles::delete_article
        ))
        .routes(routes!(
            articles::favorite_article,
            articles::unfavorite_article
        ))
        .routes(routes!(comments::list_comments, comments::add_comment))
        .routes(routes!(comments::delete_comment))
        .routes(routes!(openapi::openapi_document))
        .split_for_parts()
}

pub fn routes() -> Router<AppState> {
    let (router, document) = documented_routes();
    // The document cannot fail to serialize: it is plain data built above.
    let json = document.to_pretty_json().unwrap_or_default();
    router
        .layer(Extension(openapi::Document(json.into())))
        .fallback(|| async { ApiError::NoSuchEndpoint })
        .layer(middleware::from_fn(json_errors))
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

/// Gives error responses that carry no body (a 405 from the router, a 408
/// from the timeout) the API's JSON error shape.
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error())
        && !response
            .headers()
            .contains_key(axum::http::header::CONTENT_TYPE)
    {
        let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
        return ApiError::Status(status, reason).into_response();
    }
    response
}

/// A JSON body. Each way a body can be wrong gets its own 4xx in the API's
/// error shape: no JSON content type 415, unreadable JSON 400, the wrong
/// fields or types 422, too large 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        use axum::http::StatusCode;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::Status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected a body of type application/json".to_owned(),
            )),
            Err(JsonRejection::JsonSyntaxError(e)) => {
                Err(ApiError::Status(StatusCode::BAD_REQUEST, e.body_text()))
            }
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::field("body", e.body_text())),
            Err(other) if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::Status(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is too large".to_owned(),
            )),
            Err(other) => Err(ApiError::Status(StatusCode::BAD_REQUEST, other.body_text())),
        }
    }
}
