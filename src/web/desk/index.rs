//! The desk's front: the articles one may edit, as drafts, scheduled and
//! published.

use super::writer;
use crate::domain::article::Stage;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::DeskArticle;
use crate::web::meta::Head;
use crate::web::render;
use crate::web::visitor::{Nav, SignedIn};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct DeskRow {
    pub article: DeskArticle,
    pub stage: Stage,
}

#[derive(Template)]
#[template(path = "desk/index.html")]
struct DeskPage {
    head: Head,
    nav: Nav,
    sections: [DeskSection; 3],
    editor: bool,
    /// Writers publish their own articles (open publishing).
    self_publishing: bool,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DeskQuery {
    deleted: Option<String>,
}

#[derive(Debug)]
struct DeskSection {
    title: &'static str,
    /// Drafts show when they were last saved, the others when they go live.
    drafts: bool,
    rows: Vec<DeskRow>,
}

pub async fn desk_index(
    State(state): State<AppState>,
    SignedIn(user, visitor): SignedIn,
    Query(query): Query<DeskQuery>,
) -> AppResult<Response> {
    writer(&state, &user)?;
    let scope = if user.role.can_edit_any() {
        None
    } else {
        Some(user.id)
    };
    let now = state.now();
    let (mut drafts, mut scheduled, mut published) = (Vec::new(), Vec::new(), Vec::new());
    for article in state.store.desk_articles(scope).await? {
        let stage = Stage::of(article.published, article.published_at, now);
        let row = DeskRow { article, stage };
        match stage {
            Stage::Draft => drafts.push(row),
            Stage::Scheduled => scheduled.push(row),
            Stage::Published => published.push(row),
        }
    }
    // Next to go live first; most recently live first.
    scheduled.sort_by_key(|row| row.article.published_at);
    published.sort_by_key(|row| std::cmp::Reverse(row.article.published_at));
    let sections = [
        DeskSection {
            title: "Drafts",
            drafts: true,
            rows: drafts,
        },
        DeskSection {
            title: "Scheduled",
            drafts: false,
            rows: scheduled,
        },
        DeskSection {
            title: "Published",
            drafts: false,
            rows: published,
        },
    ];
    render(&DeskPage {
        head: Head::private(&visitor.config, "Desk"),
        nav: Nav::of(&visitor),
        sections,
        editor: user.role.can_edit_any(),
        self_publishing: state.config.policy.may_publish(&user, user.id),
        notice: query
            .deleted
            .map(|headline| format!("Deleted “{headline}”.")),
    })
}
