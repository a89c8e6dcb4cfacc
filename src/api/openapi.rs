//! The OpenAPI 3.1 document of the API, generated from the handlers' own
//! annotations as each module's `router()` registers them, and served at
//! `/api/openapi.json`.

use crate::state::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::Modify;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_document))
}

/// The parts of the document that are not about one operation. Paths and
/// schemas are added by `api::documented_routes` from each handler's annotation.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Newsroom API",
        description = "The JSON API of a Newsroom site. It follows the RealWorld (\"Conduit\") \
            API specification, so Conduit clients work unchanged, and extends it where a news \
            platform needs more: article status and publication time, comment replies \
            (`parentId`), comment counts. Accounts, likes (favorites), comments and articles \
            are the site's own; the same roles and rules apply.",
        license(name = "MIT"),
    ),
    servers((url = "/api", description = "This site")),
    tags(
        (name = "User and Authentication", description = "Accounts and tokens"),
        (name = "Profile", description = "Users as others see them, and following"),
        (name = "Articles", description = "Reading and writing articles"),
        (name = "Comments", description = "Comments and replies"),
        (name = "Favorites", description = "Favorites, the site's likes"),
        (name = "Tags", description = "Tags of live articles"),
        (name = "Search", description = "Full-text search (extension)"),
        (name = "Meta", description = "This document"),
    ),
    modifiers(&TokenScheme),
)]
pub struct ApiDoc;

/// `Authorization: Token <jwt>`, as the specification names it.
struct TokenScheme;

impl Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "Token",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    "Authorization",
                    "`Token <jwt>`, with a token from registering or logging in. \
                     Tokens expire (30 days by default).",
                ))),
            );
    }
}

/// The serialized document, made once when the router is built.
#[derive(Clone)]
pub struct Document(pub Bytes);

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "Meta",
    operation_id = "GetOpenApiDocument",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json"),
    )
)]
pub async fn openapi_document(Extension(document): Extension<Document>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document.0)
}
