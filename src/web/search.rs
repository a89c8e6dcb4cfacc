//! The search page: `/search?q=…` with optional tag, author and date
//! filters, most relevant first, a highlighted snippet per hit, and a link
//! to the next page of results.

use super::meta::Head;
use super::render_with_status;
use super::visitor::{Nav, Visitor};
use crate::domain::FieldErrors;
use crate::domain::page::PAGE_SIZE;
use crate::domain::search::{FilterInput, SearchCursor, SearchQuery};
use crate::error::AppResult;
use crate::http::encode_query;
use crate::limits::{Limit, Subject};
use crate::state::AppState;
use crate::store::SearchHit;
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search_page))
}

/// The search form as submitted; every field may be absent.
#[derive(Debug, Default)]
pub struct SearchForm {
    q: String,
    tag: String,
    author: String,
    from: String,
    to: String,
    after: Option<String>,
}

impl SearchForm {
    /// Reads any query string: unknown fields are ignored, a repeated one
    /// counts once, and text that is not well encoded is read as it is.
    pub fn read(raw: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default();
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        Self {
            q: field("q").unwrap_or_default(),
            tag: field("tag").unwrap_or_default(),
            author: field("author").unwrap_or_default(),
            from: field("from").unwrap_or_default(),
            to: field("to").unwrap_or_default(),
            after: field("after"),
        }
    }

    fn has_filters(&self) -> bool {
        [&self.tag, &self.author, &self.from, &self.to]
            .iter()
            .any(|f| !f.trim().is_empty())
    }

    /// This search's address, continuing after `cursor`.
    fn next_page(&self, cursor: SearchCursor) -> String {
        let mut path = format!("/search?q={}", encode_query(&self.q));
        for (name, value) in [
            ("tag", &self.tag),
            ("author", &self.author),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.trim().is_empty() {
                path.push_str(&format!("&{name}={}", encode_query(value)));
            }
        }
        path.push_str(&format!("&after={}", encode_query(&cursor.encode())));
        path
    }
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct SearchPage {
    head: Head,
    nav: Nav,
    form: SearchForm,
    /// The words searched for; empty when nothing was asked.
    words: String,
    errors: FieldErrors,
    hits: Vec<SearchHit>,
    /// Whether this page continues an earlier one.
    continued: bool,
    next_page: Option<String>,
}

pub async fn search_page(
    State(state): State<AppState>,
    visitor: Visitor,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let form = SearchForm::read(raw.as_deref());
    let query = SearchQuery::parse(&form.q);
    let mut errors = FieldErrors::default();
    let filters = FilterInput {
        tag: Some(&form.tag),
        author: Some(&form.author),
        from: Some(&form.from),
        to: Some(&form.to),
    }
    .parse(&mut errors);
    let after = form.after.as_deref().and_then(SearchCursor::decode);
    let (hits, next) = if errors.is_empty() {
        state
            .limiter
            .check(
                &state.store,
                Limit::SearchesPerAddress,
                Subject::Address(visitor.address),
                state.now(),
            )
            .await?;
        state
            .store
            .search_page(
                &query,
                &filters,
                after,
                PAGE_SIZE,
                visitor.user_id(),
                state.now(),
            )
            .await?
    } else {
        (Vec::new(), None)
    };
    let next_page = next.map(|cursor| form.next_page(cursor));
    let words = query.text();
    let title = if words.is_empty() {
        "Search".to_owned()
    } else {
        format!("Search: {words}")
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SearchPage {
        head: Head::private(&state.config, title),
        nav: Nav::of(&visitor),
        form,
        words,
        errors,
        hits,
        continued: after.is_some(),
        next_page,
    };
    render_with_status(status, &page)
}
