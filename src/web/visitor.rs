//! Who is asking: the visitor middleware reads the session cookie once per
//! request, checks the CSRF token of every state-changing request, and
//! renders error responses as the site's own pages.

use crate::auth::csrf::{self, CsrfKey};
use crate::auth::session::{self, SESSION_COOKIE, VISITOR_COOKIE};
use crate::config::SiteConfig;
use crate::domain::user::User;
use crate::error::{AppError, ErrorReport};
use crate::http::{MAX_BODY_BYTES, client_address, upload_body_limit};
use crate::state::AppState;
use crate::web::meta::Head;
use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

/// What CSRF tokens of this visitor are derived from.
#[derive(Clone, Debug)]
enum CsrfBasis {
    Session(String),
    VisitorCookie(String),
    /// No cookie yet: one is issued the first time a page needs a token.
    Unissued(Arc<OnceLock<String>>),
}

/// The person behind a request, available to every handler and template.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub user: Option<User>,
    pub address: IpAddr,
    basis: CsrfBasis,
    key: Arc<CsrfKey>,
    session_hash: Option<String>,
    /// The page being shown (path and query), for links that should come
    /// back to it; none for forms, posts and the login pages themselves.
    page: Option<String>,
    /// The site's settings: its name and language for every page, its
    /// writing rules for what the pages offer this visitor.
    pub config: Arc<SiteConfig>,
}

impl Visitor {
    /// The token this visitor's forms carry.
    pub fn csrf_token(&self) -> String {
        let basis = match &self.basis {
            CsrfBasis::Session(token) | CsrfBasis::VisitorCookie(token) => token.as_str(),
            CsrfBasis::Unissued(cell) => cell.get_or_init(session::new_token).as_str(),
        };
        self.key.token_for(basis)
    }

    fn verify_csrf(&self, token: &str) -> bool {
        match &self.basis {
            CsrfBasis::Session(basis) | CsrfBasis::VisitorCookie(basis) => {
                self.key.verify(basis, token)
            }
            CsrfBasis::Unissued(_) => false,
        }
    }

    /// The stored hash of the current session, for logging out.
    pub fn session_hash(&self) -> Option<&str> {
        self.session_hash.as_deref()
    }

    pub fn can_write(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| self.config.policy.may_write(u))
    }

    pub fn can_edit_any(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_edit_any())
    }

    pub fn can_manage_users(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role.can_manage_users())
    }

    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    pub fn is(&self, user_id: i64) -> bool {
        self.user_id() == Some(user_id)
    }
}

/// What the site header shows: who is logged in and where they may go.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub username: Option<String>,
    pub can_write: bool,
    pub can_manage_users: bool,
    /// For the logout form; empty when nobody is logged in.
    pub csrf: String,
    /// `?next=…` for the Login and Register links, so that logging in or
    /// registering leads back to this page; empty where that makes no sense.
    pub return_here: String,
}

impl Nav {
    pub fn of(visitor: &Visitor) -> Self {
        Self {
            username: visitor.user.as_ref().map(|u| u.username.clone()),
            can_write: visitor.can_write(),
            can_manage_users: visitor.can_manage_users(),
            csrf: if visitor.user.is_some() {
                visitor.csrf_token()
            } else {
                String::new()
            },
            return_here: visitor
                .page
                .as_deref()
                .map(|page| format!("?next={}", crate::http::encode_query(page)))
                .unwrap_or_default(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| AppError::Internal("visitor middleware is not installed".to_owned()))
    }
}

/// A logged-in user; anyone else is sent to the login page and back.
pub struct SignedIn(pub User, pub Visitor);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.user.clone() {
            Some(user) => Ok(SignedIn(user, visitor)),
            None => {
                // After a POST the login should lead back to the page the
                // form was on, not to the POST-only address.
                let next = parts
                    .headers
                    .get(header::REFERER)
                    .and_then(|r| r.to_str().ok())
                    .filter(|_| parts.method != axum::http::Method::GET)
                    .and_then(local_path_of)
                    .unwrap_or_else(|| {
                        parts
                            .uri
                            .path_and_query()
                            .map_or("/".to_owned(), |pq| pq.as_str().to_owned())
                    });
                Err(AppError::LoginRequired { next })
            }
        }
    }
}

fn local_path_of(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map(|i| after_scheme[i..].to_owned())
}

fn cookie_header(parts: &Parts) -> String {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn visitor_layer(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let json = super::wants_json(&parts.headers);
    let cookies = cookie_header(&parts);
    let session_token = session::read_cookie(&cookies, SESSION_COOKIE)
        .filter(|t| session::is_well_formed(t))
        .map(str::to_owned);
    let visitor_cookie = session::read_cookie(&cookies, VISITOR_COOKIE)
        .filter(|t| session::is_well_formed(t))
        .map(str::to_owned);

    let mut user = None;
    let mut session_hash = None;
    if let Some(token) = &session_token {
        let hash = session::token_hash(token);
        match state.store.session_user(&hash, state.now()).await {
            Ok(found) => {
                user = found;
                session_hash = user.as_ref().map(|_| hash);
            }
            Err(e) => {
                return finish_error(AppError::from(e).into_response(), &state.config, None, json);
            }
        }
    }
    let basis = match (&user, session_token, visitor_cookie) {
        (Some(_), Some(token), _) => CsrfBasis::Session(token),
        (_, _, Some(cookie)) => CsrfBasis::VisitorCookie(cookie),
        _ => CsrfBasis::Unissued(Arc::default()),
    };
    let stale_session = user.is_none() && session::read_cookie(&cookies, SESSION_COOKIE).is_some();
    let visitor = Visitor {
        user,
        address: client_address(&parts, state.config.trust_forwarded_for),
        basis,
        key: state.csrf.clone(),
        session_hash,
        page: Some(&parts.uri)
            .filter(|_| parts.method == axum::http::Method::GET)
            .and_then(|uri| uri.path_and_query())
            .map(|p| p.as_str().to_owned())
            .filter(|p| {
                !["/login", "/register"]
                    .iter()
                    .any(|form| p.starts_with(form))
            }),
        config: state.config.clone(),
    };

    let body = if parts.method.is_safe() {
        body
    } else {
        let upload = parts
            .extensions
            .get::<axum::extract::MatchedPath>()
            .is_some_and(|route| route.as_str() == crate::web::desk::COVER_UPLOAD_ROUTE);
        let limit = if upload {
            upload_body_limit(state.config.max_upload_bytes)
        } else {
            MAX_BODY_BYTES
        };
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => bytes,
            Err(_) => {
                let error = if upload {
                    AppError::UploadTooLarge(state.config.max_upload_bytes)
                } else {
                    AppError::PayloadTooLarge
                };
                return finish_error(error.into_response(), &state.config, Some(&visitor), json);
            }
        };
        let token = match parts
            .headers
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok())
        {
            Some(token) => Some(token.to_owned()),
            None => match multipart_boundary(&parts.headers) {
                Some(boundary) => multipart_field(bytes.clone(), boundary, csrf::FIELD).await,
                None => form_field(&bytes, csrf::FIELD),
            },
        };
        if !token.is_some_and(|t| visitor.verify_csrf(&t)) {
            tracing::warn!(path = %parts.uri.path(), "rejected a request without a valid CSRF token");
            return finish_error(
                AppError::Csrf.into_response(),
                &state.config,
                Some(&visitor),
                json,
            );
        }
        Body::from(bytes)
    };

    parts.extensions.insert(visitor.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;

    let secure = state.config.secure_cookies;
    if let CsrfBasis::Unissued(cell) = &visitor.basis
        && let Some(issued) = cell.get()
    {
        let max_age = session::SESSION_DAYS * 24 * 3600;
        append_cookie(
            &mut response,
            &session::cookie(VISITOR_COOKIE, issued, max_age, secure),
        );
    }
    if stale_session {
        append_cookie(
            &mut response,
            &session::clear_cookie(SESSION_COOKIE, secure),
        );
    }
    finish_error(response, &state.config, Some(&visitor), json)
}

fn multipart_boundary(headers: &axum::http::HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(content_type).ok()
}

/// A text field of a multipart body; forms put the token first, so reading
/// stops there.
async fn multipart_field(body: axum::body::Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut fields = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = fields.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate<'a> {
    head: Head,
    nav: Nav,
    status: u16,
    title: &'static str,
    message: &'a str,
}

/// Gives error responses a body: the site's error page, or JSON for our
/// script. Responses that already have a body pass through untouched.
fn finish_error(
    response: Response,
    config: &SiteConfig,
    visitor: Option<&Visitor>,
    json: bool,
) -> Response {
    let status = response.status();
    let page = match response.extensions().get::<ErrorReport>() {
        Some(page) => page.clone(),
        None if (status.is_client_error() || status.is_server_error())
            && !response.headers().contains_key(header::CONTENT_TYPE) =>
        {
            ErrorReport::for_status(status)
        }
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    let body = if json {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Body::from(serde_json::json!({ "error": page.message }).to_string())
    } else {
        let template = ErrorTemplate {
            head: Head::private(config, error_title(page.status)),
            nav: visitor.map(Nav::of).unwrap_or_default(),
            status: page.status.as_u16(),
            title: error_title(page.status),
            message: &page.message,
        };
        match template.render() {
            Ok(html) => {
                parts.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                Body::from(html)
            }
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                return (StatusCode::INTERNAL_SERVER_ERROR, Html("Internal error")).into_response();
            }
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

fn error_title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::TOO_MANY_REQUESTS => "Slow down",
        StatusCode::SERVICE_UNAVAILABLE => "Back in a moment",
        s if s.is_server_error() => "Something went wrong",
        _ => "Bad request",
    }
}
