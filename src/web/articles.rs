//! Reader pages: the front page, tag and author pages (one list template
//! serves all three), and the article page with its comments.

use super::comments::{CommentForm, Thread, threads};
use super::visitor::{Nav, Visitor};
use super::{render, render_with_status};
use crate::app::AppState;
use crate::domain::page::{Cursor, PAGE_SIZE};
use crate::error::{AppError, AppResult};
use crate::store::{ArticleCard, ArticleView, Listing};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    before: Option<String>,
}

/// Formatting helpers the templates share.
pub mod fmt {
    /// Templates hand over a value or a reference (or a reference to one)
    /// depending on context; this reads any of them.
    pub trait Number {
        fn get(&self) -> i64;
    }

    impl Number for i64 {
        fn get(&self) -> i64 {
            *self
        }
    }

    impl<T: Number + ?Sized> Number for &T {
        fn get(&self) -> i64 {
            (**self).get()
        }
    }

    pub fn count(n: impl Number, one: &str, many: &str) -> String {
        match n.get() {
            1 => format!("1 {one}"),
            n => format!("{n} {many}"),
        }
    }

    pub fn when(millis: impl Number) -> String {
        crate::domain::time::display(millis.get())
    }

    pub fn machine(millis: impl Number) -> String {
        crate::domain::time::machine(millis.get())
    }
}

#[derive(Template)]
#[template(path = "articles/list.html")]
struct ListPage {
    nav: Nav,
    title: String,
    intro: Option<String>,
    cards: Vec<ArticleCard>,
    /// `?before=` value of the next page, when there is one.
    next_page: Option<String>,
    base_path: String,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    listing: Listing<'_>,
    query: PageQuery,
    title: String,
    intro: Option<String>,
    base_path: String,
) -> AppResult<Response> {
    let after = query.before.as_deref().and_then(Cursor::decode);
    // One extra row tells whether a next page exists.
    let mut cards = state
        .store
        .list_published(
            listing,
            after,
            PAGE_SIZE + 1,
            visitor.user_id(),
            state.now(),
        )
        .await?;
    let next_page = if cards.len() > PAGE_SIZE as usize {
        cards.truncate(PAGE_SIZE as usize);
        cards.last().map(|last| {
            Cursor {
                published_at: last.published_at,
                id: last.id,
            }
            .encode()
        })
    } else {
        None
    };
    render(&ListPage {
        nav: Nav::of(visitor),
        title,
        intro,
        cards,
        next_page,
        base_path,
    })
}

pub async fn front_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    list_page(
        &state,
        &visitor,
        Listing::All,
        query,
        "Latest news".to_owned(),
        None,
        "/".to_owned(),
    )
    .await
}

pub async fn tag_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let tag = state
        .store
        .tag_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let base_path = format!("/tags/{}", tag.slug);
    list_page(
        &state,
        &visitor,
        Listing::Tag(&tag.slug),
        query,
        tag.name,
        Some("Articles tagged with this topic, newest first.".to_owned()),
        base_path,
    )
    .await
}

pub async fn author_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let author = state
        .store
        .user_by_username(&username.to_lowercase())
        .await?
        .ok_or(AppError::NotFound)?;
    let base_path = format!("/authors/{}", author.username);
    let intro = Some(format!("Articles by {}, newest first.", author.username));
    list_page(
        &state,
        &visitor,
        Listing::Author(author.id),
        query,
        author.username,
        intro,
        base_path,
    )
    .await
}

#[derive(Template)]
#[template(path = "articles/show.html")]
pub struct ArticlePage {
    nav: Nav,
    signed_in: bool,
    csrf: String,
    article: ArticleView,
    threads: Vec<Thread>,
    form: CommentForm,
    description: String,
}

impl ArticlePage {
    /// The parent of the top-level comment form: none.
    fn top_level(&self) -> Option<i64> {
        None
    }

    fn login_link(&self) -> String {
        format!(
            "/login?next={}",
            super::encode_query(&format!("/articles/{}", self.article.card.slug))
        )
    }

    fn register_link(&self) -> String {
        format!(
            "/register?next={}",
            super::encode_query(&format!("/articles/{}", self.article.card.slug))
        )
    }
}

/// The live article at `slug` as `viewer` sees it, or the 404 page.
pub async fn live_article(
    state: &AppState,
    slug: &str,
    viewer: Option<i64>,
) -> AppResult<ArticleView> {
    state
        .store
        .published_article(slug, viewer, state.now())
        .await?
        .ok_or(AppError::NotFound)
}

/// Renders an article page; `form` carries a comment that failed validation.
pub async fn article_page(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    form: CommentForm,
) -> AppResult<Response> {
    let article = live_article(state, slug, visitor.user_id()).await?;
    let comments = state.store.article_comments(article.card.id).await?;
    let status = if form.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let description = if article.card.summary.is_empty() {
        article.card.headline.clone()
    } else {
        article.card.summary.clone()
    };
    let page = ArticlePage {
        nav: Nav::of(visitor),
        signed_in: visitor.user.is_some(),
        csrf: if visitor.user.is_some() {
            visitor.csrf_token()
        } else {
            String::new()
        },
        threads: threads(comments, visitor),
        article,
        form,
        description,
    };
    render_with_status(status, &page)
}

pub async fn show_article(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    article_page(&state, &visitor, &slug, CommentForm::default()).await
}
