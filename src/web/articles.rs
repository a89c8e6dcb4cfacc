//! Reader pages: the front page, tag and author pages (one list template
//! serves all three), and the article page with its comments.

use super::comments::{CommentForm, Thread, threads};
use super::meta::{Head, Social, SocialArticle, breadcrumbs, organization, person};
use super::visitor::{Nav, Visitor};
use super::{render, render_with_status};
use crate::domain::page::{Cursor, PAGE_SIZE};
use crate::domain::tag::TagKind;
use crate::domain::time::machine;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{ArticleCard, ArticleView, Listing, ThreadPage};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

/// The front, tag and author pages and the article page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(front_page))
        .route("/articles/{slug}", get(show_article))
        .route("/tags/{slug}", get(tag_page))
        .route("/authors/{username}", get(author_page))
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    before: Option<String>,
}

impl PageQuery {
    /// The address of this page of a list at `base_path`: each older page
    /// is a page of its own.
    fn path(&self, base_path: &str) -> String {
        match self.before.as_deref().and_then(Cursor::decode) {
            Some(cursor) => format!("{base_path}?before={}", cursor.encode()),
            None => base_path.to_owned(),
        }
    }
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
    head: Head,
    nav: Nav,
    title: String,
    intro: Option<String>,
    cards: Vec<ArticleCard>,
    /// `?before=` value of the next page, when there is one.
    next_page: Option<String>,
    base_path: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one list page serves three kinds"
)]
async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    head: Head,
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
        head,
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
    let config = &state.config;
    let site = config.site_name.as_str();
    let website = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site,
        "url": config.url("/"),
        "inLanguage": config.language.as_str(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": config.url("/search?q={search_term_string}"),
            },
            "query-input": "required name=search_term_string",
        },
    });
    let head = Head::public(
        config,
        "Latest news",
        format!("The latest news from {site}."),
        &query.path("/"),
    )
    .with_feeds("", site)
    .with_json_ld(&website);
    list_page(
        &state,
        &visitor,
        head,
        Listing::All,
        query,
        "Latest news".to_owned(),
        None,
        "/".to_owned(),
    )
    .await
}

/// How many related articles an article page shows.
const RELATED_SHOWN: usize = 5;

pub async fn tag_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let tag = state
        .store
        .tag_details(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let config = &state.config;
    let base_path = format!("/tags/{}", tag.slug);
    let kind = tag.shown_kind();
    let intro = match kind {
        TagKind::Topic => "Articles on this topic, newest first.",
        TagKind::Person => "Articles about this person, newest first.",
        TagKind::Organisation => "Articles about this organisation, newest first.",
        TagKind::Place => "Articles about this place, newest first.",
    };
    let head = Head::public(
        config,
        tag.name.clone(),
        format!(
            "Articles about {} from {}, newest first.",
            tag.name,
            config.site_name.as_str()
        ),
        &query.path(&base_path),
    )
    .with_feeds(
        &base_path,
        &format!("{}: {}", config.site_name.as_str(), tag.name),
    );
    list_page(
        &state,
        &visitor,
        head,
        Listing::Tag(&tag.slug),
        query,
        tag.name,
        Some(format!("{} · {intro}", kind.label())),
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
        .profile(&username.to_lowercase(), None)
        .await?
        .ok_or(AppError::NotFound)?;
    let config = &state.config;
    let base_path = format!("/authors/{}", author.username);
    let intro = Some(format!("Articles by {}, newest first.", author.username));
    let description = if author.bio.is_empty() {
        format!(
            "Articles by {} on {}, newest first.",
            author.username,
            config.site_name.as_str()
        )
    } else {
        author.bio.clone()
    };
    let mut document = person(config, &author.username, Some(&author.bio));
    document["@context"] = json!("https://schema.org");
    let head = Head::public(
        config,
        author.username.clone(),
        description,
        &query.path(&base_path),
    )
    .with_feeds(
        &base_path,
        &format!("{}: {}", config.site_name.as_str(), author.username),
    )
    .with_json_ld(&document);
    list_page(
        &state,
        &visitor,
        head,
        Listing::Author(&author.username),
        query,
        author.username.clone(),
        intro,
        base_path,
    )
    .await
}

#[derive(Template)]
#[template(path = "articles/show.html")]
pub struct ArticlePage {
    head: Head,
    nav: Nav,
    signed_in: bool,
    csrf: String,
    article: ArticleView,
    threads: Vec<Thread>,
    /// Links to the threads before and after these, when there are any.
    older_comments: Option<String>,
    newer_comments: Option<String>,
    /// One thread alone (its own page, with more of its replies).
    single_thread: bool,
    form: CommentForm,
    /// Live articles sharing its tags, most related first.
    related: Vec<ArticleCard>,
}

impl ArticlePage {
    /// The parent of the top-level comment form: none.
    fn top_level(&self) -> Option<i64> {
        None
    }

    fn login_link(&self) -> String {
        format!(
            "/login?next={}",
            crate::http::encode_query(&format!("/articles/{}", self.article.card.slug))
        )
    }

    fn register_link(&self) -> String {
        format!(
            "/register?next={}",
            crate::http::encode_query(&format!("/articles/{}", self.article.card.slug))
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

/// Threads on one page of an article: a flood of comments makes more
/// pages, never a bigger one.
const THREADS_PER_PAGE: i64 = 50;
/// Replies shown under each thread on the article's pages, and on the
/// thread's own page.
const REPLIES_SHOWN: i64 = 50;
const REPLIES_ON_THREAD_PAGE: i64 = 1000;

/// Which comments an article page shows: `?before=ID` and `?after=ID` page
/// through the threads, `?thread=ID` shows one thread with more replies.
#[derive(Debug, Default, Deserialize)]
pub struct CommentsQuery {
    before: Option<String>,
    after: Option<String>,
    thread: Option<String>,
}

impl CommentsQuery {
    fn page(&self) -> AppResult<ThreadPage> {
        let id = |raw: &str| {
            raw.trim()
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("That comment page does not exist.".to_owned()))
        };
        Ok(match (&self.thread, &self.before, &self.after) {
            (Some(raw), _, _) => ThreadPage::Thread(id(raw)?),
            (None, Some(raw), _) => ThreadPage::Before(id(raw)?),
            (None, None, Some(raw)) => ThreadPage::After(id(raw)?),
            (None, None, None) => ThreadPage::Latest,
        })
    }
}

/// Renders an article page with one page of its comments; `form` carries
/// a comment that failed validation.
pub async fn article_page(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    comments: ThreadPage,
    form: CommentForm,
) -> AppResult<Response> {
    let article = live_article(state, slug, visitor.user_id()).await?;
    let replies = match comments {
        ThreadPage::Thread(_) => REPLIES_ON_THREAD_PAGE,
        _ => REPLIES_SHOWN,
    };
    let page = state
        .store
        .thread_page(
            article.card.id,
            comments,
            visitor.can_edit_any(),
            THREADS_PER_PAGE,
            replies,
        )
        .await?;
    let link =
        |key: &str, id: Option<i64>| id.map(|id| format!("/articles/{slug}?{key}={id}#comments"));
    let older_comments = link("before", page.older);
    let newer_comments = link("after", page.newer);
    let related = state
        .store
        .related_articles(
            article.card.id,
            RELATED_SHOWN,
            visitor.user_id(),
            state.now(),
        )
        .await?;
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
        head: article_head(state, &article, &description),
        nav: Nav::of(visitor),
        signed_in: visitor.user.is_some(),
        csrf: if visitor.user.is_some() {
            visitor.csrf_token()
        } else {
            String::new()
        },
        threads: threads(page, visitor),
        older_comments,
        newer_comments,
        single_thread: matches!(comments, ThreadPage::Thread(_)),
        article,
        form,
        related,
    };
    render_with_status(status, &page)
}

/// The article's metadata: NewsArticle and BreadcrumbList JSON-LD, and
/// OpenGraph article facts.
fn article_head(state: &AppState, article: &ArticleView, description: &str) -> Head {
    let config = &state.config;
    let card = &article.card;
    let path = format!("/articles/{}", card.slug);
    let url = config.url(&path);
    let published = machine(card.published_at);
    let modified = machine(card.revised_at.unwrap_or(card.published_at));
    let tags: Vec<&str> = card.tags.iter().map(|t| t.name.as_str()).collect();
    let author = person(config, &card.author, None);
    let image = card.cover.as_ref().map(|cover| cover.shared(config));
    let mut news_article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.headline,
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": config.language.as_str(),
        "author": [author],
        "publisher": organization(config),
        "keywords": tags,
    });
    // The people, organisations and places it is about, from its tags.
    let about: Vec<serde_json::Value> = card
        .tags
        .iter()
        .filter_map(|tag| {
            let kind = match tag.kind? {
                TagKind::Person => "Person",
                TagKind::Organisation => "Organization",
                TagKind::Place => "Place",
                TagKind::Topic => return None,
            };
            Some(json!({
                "@type": kind,
                "name": tag.name,
                "url": config.url(&format!("/tags/{}", tag.slug)),
            }))
        })
        .collect();
    if !about.is_empty() {
        news_article["about"] = json!(about);
    }
    if let (Some(image), Some(cover)) = (&image, &card.cover) {
        let mut object = json!({
            "@type": "ImageObject",
            "url": image.url,
            "width": image.width,
            "height": image.height,
        });
        if !cover.caption.is_empty() {
            object["caption"] = json!(cover.caption);
        }
        news_article["image"] = json!([object]);
    }
    let mut trail = vec![(config.site_name.as_str(), config.url("/"))];
    if let Some(tag) = card.tags.first() {
        trail.push((
            tag.name.as_str(),
            config.url(&format!("/tags/{}", tag.slug)),
        ));
    }
    trail.push((card.headline.as_str(), url.clone()));
    let mut head = Head::public(config, card.headline.clone(), description, &path)
        .with_feeds("", config.site_name.as_str())
        .with_json_ld(&news_article)
        .with_json_ld(&breadcrumbs(&trail));
    head.social = Some(Social {
        kind: "article",
        url,
        article: Some(SocialArticle {
            published_time: published,
            modified_time: modified,
            author_url: config.url(&format!("/authors/{}", card.author)),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        }),
        image,
    });
    head
}

pub async fn show_article(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<CommentsQuery>,
) -> AppResult<Response> {
    let comments = query.page()?;
    article_page(&state, &visitor, &slug, comments, CommentForm::default()).await
}
