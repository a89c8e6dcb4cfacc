//! Live updates for an open article page, as Server-Sent Events at
//! `/articles/{slug}/events`: its like and comment counts whenever they
//! change, and each new comment (the page fetches it as the reader sees
//! it). A comment event's id is the comment's, so a browser that reconnects
//! (EventSource does so by itself) sends the last one it saw and is sent
//! the comments it missed. Streams end when the server shuts down.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::live::ArticleChange;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

pub fn router() -> Router<AppState> {
    Router::new().route("/articles/{slug}/events", get(article_events))
}

/// Comments a reconnecting page is sent at most; more than that and it is
/// as quick to reload.
const CATCH_UP_MAX: i64 = 100;
/// How often an idle stream says it is alive, so proxies keep it open and
/// a gone reader is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting.
const RETRY: Duration = Duration::from_secs(2);

fn counts(likes: i64, comments: i64) -> Event {
    Event::default()
        .event("counts")
        .data(json!({ "likes": likes, "comments": comments }).to_string())
}

fn comment(id: i64, parent_id: Option<i64>) -> Event {
    Event::default()
        .event("comment")
        .id(id.to_string())
        .data(json!({ "id": id, "parent_id": parent_id }).to_string())
}

pub async fn article_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let article = state
        .store
        .published_article(&slug, None, state.now())
        .await?
        .ok_or(AppError::NotFound)?;
    let id = article.card.id;
    // Watch before reading the counts, so no change falls in between.
    let changes = state.store.watch(id);
    let (likes, comments, newest) = state
        .store
        .article_counts(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut queue = VecDeque::from([counts(likes, comments).id(newest.to_string()).retry(RETRY)]);
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    if let Some(seen) = last_seen.filter(|seen| *seen < newest) {
        for (missed, parent) in state.store.comments_after(id, seen, CATCH_UP_MAX).await? {
            queue.push_back(comment(missed, parent));
        }
    }
    let stopping = state.stop_streams.subscribe();
    let stream = futures_util::stream::unfold(
        (queue, changes, stopping),
        |(mut queue, mut changes, mut stopping)| async move {
            loop {
                if let Some(event) = queue.pop_front() {
                    return Some((Ok::<_, Infallible>(event), (queue, changes, stopping)));
                }
                tokio::select! {
                    received = changes.recv() => match received {
                        Ok(ArticleChange { likes, comments, comment: written }) => {
                            queue.push_back(counts(likes, comments));
                            if let Some(c) = written {
                                queue.push_back(comment(c.id, c.parent_id));
                            }
                        }
                        // Fallen behind, or the article's channel is gone:
                        // ending the stream makes the browser reconnect
                        // and catch up.
                        Err(RecvError::Lagged(_) | RecvError::Closed) => return None,
                    },
                    _ = stopping.changed() => return None,
                }
            }
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response())
}
