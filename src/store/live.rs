//! Live changes to articles for the pages readers have open: a like count,
//! a comment count, a new comment. Each instance keeps a broadcast channel
//! per article that somebody is watching, made by the first watcher and
//! dropped after the last, so a change nobody watches costs a map lookup.
//! On PostgreSQL every change is announced with NOTIFY on `CHANNEL`, and
//! each instance (the announcing one too) passes it to its own watchers.

use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

pub const CHANNEL: &str = "newsroom_articles";
/// Changes a slow watcher may fall behind by before it is told to resync.
const BACKLOG: usize = 32;

/// A comment that was just written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentRef {
    pub id: i64,
    pub parent_id: Option<i64>,
}

/// What watchers of an article are told: its counts now, and the comment
/// that was written, when that was the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleChange {
    pub likes: i64,
    pub comments: i64,
    pub comment: Option<CommentRef>,
}

#[derive(Default)]
pub struct Hub {
    channels: Mutex<HashMap<i64, broadcast::Sender<ArticleChange>>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hub")
    }
}

impl Hub {
    fn channels(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<i64, broadcast::Sender<ArticleChange>>> {
        // A panic while holding the lock leaves a map that is still valid.
        self.channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn watch(&self, article_id: i64) -> broadcast::Receiver<ArticleChange> {
        self.channels()
            .entry(article_id)
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe()
    }

    /// Whether anyone here watches the article; forgets its channel when
    /// the last watcher has gone.
    pub fn watched(&self, article_id: i64) -> bool {
        let mut channels = self.channels();
        match channels.get(&article_id) {
            Some(sender) if sender.receiver_count() > 0 => true,
            Some(_) => {
                channels.remove(&article_id);
                false
            }
            None => false,
        }
    }

    pub fn send(&self, article_id: i64, change: ArticleChange) {
        if let Some(sender) = self.channels().get(&article_id) {
            // No receiver left is not an error: nobody is watching.
            let _ = sender.send(change);
        }
    }

    /// Articles with watchers here, forgetting channels nobody holds.
    pub fn watched_articles(&self) -> usize {
        let mut channels = self.channels();
        channels.retain(|_, sender| sender.receiver_count() > 0);
        channels.len()
    }
}

/// The notification for a change: `article_id comment_id parent_id`, with
/// 0 for none.
pub fn message(article_id: i64, comment: Option<CommentRef>) -> String {
    let (id, parent) = comment.map_or((0, 0), |c| (c.id, c.parent_id.unwrap_or(0)));
    format!("{article_id} {id} {parent}")
}

pub fn parse(message: &str) -> Option<(i64, Option<CommentRef>)> {
    let mut parts = message.split(' ').map(str::parse::<i64>);
    let (article_id, id, parent) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let comment = (id > 0).then_some(CommentRef {
        id,
        parent_id: (parent > 0).then_some(parent),
    });
    Some((article_id, comment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back() {
        for comment in [
            None,
            Some(CommentRef {
                id: 7,
                parent_id: None,
            }),
            Some(CommentRef {
                id: 8,
                parent_id: Some(7),
            }),
        ] {
            assert_eq!(parse(&message(42, comment)), Some((42, comment)));
        }
        assert_eq!(parse("x"), None);
        assert_eq!(parse("1 2"), None);
    }

    #[test]
    fn channels_live_only_while_watched() {
        let hub = Hub::default();
        assert!(!hub.watched(1));
        let watcher = hub.watch(1);
        assert!(hub.watched(1) && hub.watched_articles() == 1);
        drop(watcher);
        assert!(!hub.watched(1));
        assert_eq!(hub.watched_articles(), 0, "forgotten");
        let change = ArticleChange {
            likes: 1,
            comments: 0,
            comment: None,
        };
        hub.send(1, change);
        let mut watcher = hub.watch(2);
        hub.send(2, change);
        assert_eq!(watcher.try_recv(), Ok(change));
    }
}
