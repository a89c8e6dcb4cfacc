//! The storage interface. Handlers call `Store`; only the backend modules
//! below contain SQL. The backend is chosen at run time from the database
//! URL, so no database type leaks into handlers or `AppState`.
//!
//! One piece (over 500 lines) because it is one list: every storage call
//! the application makes, most written once by `delegate!` below; the few
//! written by hand are those that also touch the session cache or live
//! updates, which live beside it.

mod cache;
pub(crate) mod live;
mod sql;
mod views;

use crate::domain::article::{ArticleContent, Publication};
use crate::domain::page::Cursor;
use crate::domain::rate::{Rate, Window};
use crate::domain::search::{Filters, SearchCursor, SearchQuery};
use crate::domain::user::{NewUser, Role, User};
use cache::SessionCache;
use live::{ArticleChange, CommentRef, Hub};
pub use sql::{
    Dialect, Progress, SEARCH_WINDOW, SeedPlan, SqlStore, TagDetails, TaggingSource, seed_word,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
pub use views::*;

/// What can go wrong in storage, as the rest of the application needs to
/// tell it apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (named field) is already taken.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Config(String),
}

impl StoreError {
    /// The database cannot be reached right now (down, restarting, the
    /// connection dropped, the pool exhausted): worth a retry, not a bug.
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Database(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_) => true,
            // PostgreSQL's "connection exception" (08…) and "operator
            // intervention" (57P…: shutdown, terminated backend) classes.
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The storage interface handlers call, over the backend the database URL
/// names. It counts its calls, so tests can check that a page costs the same
/// number of them however much it shows.
#[derive(Clone, Debug)]
pub struct Store {
    backend: SqlStore,
    calls: Arc<AtomicU64>,
    sessions: Arc<SessionCache>,
    live: Arc<Hub>,
}

impl Store {
    /// Connects and brings the schema up to date: `sqlite://…` or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self> {
        let backend = SqlStore::connect(url).await?;
        let sessions = Arc::new(SessionCache::default());
        let live = Arc::new(Hub::default());
        if backend.dialect() == Dialect::Postgres {
            listen(
                url,
                &backend,
                Arc::downgrade(&sessions),
                Arc::downgrade(&live),
            )
            .await?;
        }
        Ok(Self {
            backend,
            calls: Arc::default(),
            sessions,
            live,
        })
    }

    /// The user of a live session: from this instance's cache when it has
    /// the session, else from the database.
    pub async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<User>> {
        if let Some(user) = self.sessions.get(token_hash, now) {
            metrics::counter!("cache_requests_total", "cache" => "sessions", "result" => "hit")
                .increment(1);
            return Ok(Some(user));
        }
        metrics::counter!("cache_requests_total", "cache" => "sessions", "result" => "miss")
            .increment(1);
        self.calls.fetch_add(1, Ordering::Relaxed);
        let found = self.backend.session(token_hash, now).await?;
        Ok(found.map(|(user, expires_at)| {
            self.sessions.put(token_hash, user.clone(), expires_at, now);
            user
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.backend.delete_session(token_hash).await?;
        self.forget(&cache::forget_session_message(token_hash))
            .await
    }

    /// Changes the password and ends the user's sessions everywhere.
    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.backend.set_password(user_id, password_hash).await?;
        self.forget(&cache::forget_user_message(user_id)).await
    }

    /// Changes account fields; a new password ends the user's sessions.
    /// Fails with `Conflict("username")` or `Conflict("email")` when taken.
    pub async fn update_account(&self, user_id: i64, update: &AccountUpdate) -> Result<Account> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let account = self.backend.update_account(user_id, update).await?;
        // Cached sessions hold the username and email too.
        self.forget(&cache::forget_user_message(user_id)).await?;
        Ok(account)
    }

    /// Changes a role; every instance sees it on the user's next request.
    pub async fn set_role(&self, user_id: i64, role: Role) -> Result<bool> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let changed = self.backend.set_role(user_id, role).await?;
        self.forget(&cache::forget_user_message(user_id)).await?;
        Ok(changed)
    }

    /// A page of at most `size` hits for `query` narrowed by `filters`, and
    /// where the next page starts when there is one.
    pub async fn search_page(
        &self,
        query: &SearchQuery,
        filters: &Filters,
        after: Option<SearchCursor>,
        size: i64,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<(Vec<SearchHit>, Option<SearchCursor>)> {
        let request = SearchRequest {
            query,
            tag_slug: filters.tag_slug.as_deref(),
            author: filters.author.as_deref(),
            from: filters.from,
            until: filters.until,
            after,
            // One more than a page tells whether another page follows.
            limit: size + 1,
        };
        let mut hits = self.search(request, viewer, now).await?;
        let more = hits.len() as i64 > size;
        hits.truncate(usize::try_from(size).unwrap_or_default());
        let next = more.then(|| hits.last().map(|h| h.cursor)).flatten();
        Ok((hits, next))
    }

    /// The thread a reply to comment `parent_id` joins, if that comment is
    /// on `article_id` (see `CommentRecord::thread_on`).
    pub async fn reply_thread(&self, parent_id: i64, article_id: i64) -> Result<Option<i64>> {
        let parent = self.comment(parent_id).await?;
        Ok(parent.and_then(|p| p.thread_on(article_id)))
    }

    /// Forgets cached sessions here at once and on other instances through
    /// the database.
    async fn forget(&self, message: &str) -> Result<()> {
        self.sessions.apply(message);
        self.backend.notify(cache::CHANNEL, message).await
    }

    /// Changes to `article_id` from now on, for a page that shows it live.
    pub fn watch(&self, article_id: i64) -> tokio::sync::broadcast::Receiver<ArticleChange> {
        self.live.watch(article_id)
    }

    /// How many articles somebody here is watching live.
    pub fn watched_articles(&self) -> usize {
        self.live.watched_articles()
    }

    /// The like count, visible comment count and newest comment id of an
    /// article.
    pub async fn article_counts(&self, article_id: i64) -> Result<Option<(i64, i64, i64)>> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.backend.article_counts(article_id).await
    }

    /// Tells the article's watchers, here and on other instances, that its
    /// counts changed or a comment was written. Live updates are a nicety:
    /// failing to send one never fails the change that was made.
    async fn announce(&self, article_id: i64, comment: Option<CommentRef>) {
        let sent = match self.backend.dialect() {
            // Every instance, this one too, hears it through the listener.
            Dialect::Postgres => {
                self.backend
                    .notify(live::CHANNEL, &live::message(article_id, comment))
                    .await
            }
            Dialect::Sqlite => deliver(&self.live, &self.backend, article_id, comment).await,
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, article.id = article_id, "a live update was not sent");
        }
    }

    /// Sets the viewer's like; returns the new like count.
    pub async fn set_like(
        &self,
        article_id: i64,
        user_id: i64,
        liked: bool,
        now: i64,
    ) -> Result<i64> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let likes = self
            .backend
            .set_like(article_id, user_id, liked, now)
            .await?;
        self.announce(article_id, None).await;
        Ok(likes)
    }

    pub async fn add_comment(&self, comment: &NewComment<'_>, now: i64) -> Result<i64> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let id = self.backend.add_comment(comment, now).await?;
        let written = CommentRef {
            id,
            parent_id: comment.parent_id,
        };
        self.announce(comment.article_id, Some(written)).await;
        Ok(id)
    }

    pub async fn delete_comment(&self, id: i64, now: i64) -> Result<()> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(article_id) = self.backend.delete_comment(id, now).await? {
            self.announce(article_id, None).await;
        }
        Ok(())
    }

    pub async fn set_comment_hidden(
        &self,
        id: i64,
        hidden_by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(article_id) = self.backend.set_comment_hidden(id, hidden_by, now).await? {
            self.announce(article_id, None).await;
        }
        Ok(())
    }

    pub fn dialect(&self) -> Dialect {
        self.backend.dialect()
    }

    /// Connections in the pool: (open, idle).
    pub fn pool_connections(&self) -> (u32, usize) {
        self.backend.pool_connections()
    }

    /// Fills an empty database with a generated site (for benchmarks).
    pub async fn seed(
        &self,
        plan: SeedPlan,
        password_hash: &str,
        now: i64,
        progress: Progress<'_>,
    ) -> Result<()> {
        self.backend.seed(plan, password_hash, now, progress).await
    }

    /// Copies this site into an empty database, keeping ids, and checks the
    /// row counts; returns (table, rows) for each table copied.
    pub async fn copy_site_to(
        &self,
        to: &Store,
        progress: Progress<'_>,
    ) -> Result<Vec<(String, i64)>> {
        self.backend.copy_site_to(&to.backend, progress).await
    }

    /// How many storage calls this store (and its clones) has served.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}

/// Gives this instance's watchers of an article its counts now, if anyone
/// here watches it: nobody watching costs a map lookup.
async fn deliver(
    hub: &Hub,
    backend: &SqlStore,
    article_id: i64,
    comment: Option<CommentRef>,
) -> Result<()> {
    if hub.watched(article_id)
        && let Some((likes, comments, _)) = backend.article_counts(article_id).await?
    {
        hub.send(
            article_id,
            ArticleChange {
                likes,
                comments,
                comment,
            },
        );
    }
    Ok(())
}

/// Applies notifications (this instance's own too) until the store is
/// dropped: session invalidations to the cache, article changes to the live
/// watchers. A lost connection may have lost notifications, so the cache is
/// emptied whenever the listener reconnects.
async fn listen(
    url: &str,
    backend: &SqlStore,
    cache: std::sync::Weak<SessionCache>,
    hub: std::sync::Weak<Hub>,
) -> Result<()> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen_all([cache::CHANNEL, live::CHANNEL]).await?;
    let backend = backend.clone();
    tokio::spawn(async move {
        loop {
            let received = listener.try_recv().await;
            let (Some(cache), Some(hub)) = (cache.upgrade(), hub.upgrade()) else {
                break;
            };
            match received {
                Ok(Some(notification)) if notification.channel() == live::CHANNEL => {
                    if let Some((article_id, comment)) = live::parse(notification.payload())
                        && let Err(e) = deliver(&hub, &backend, article_id, comment).await
                    {
                        tracing::warn!(error = %e, "a live update was not delivered");
                    }
                }
                Ok(Some(notification)) => cache.apply(notification.payload()),
                Ok(None) => cache.clear(),
                Err(e) => {
                    cache.clear();
                    tracing::warn!(error = %e, "the listener lost the database");
                    drop((cache, hub));
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

/// Writes each `Store` method once as a dispatch to the backend's method of
/// the same name and signature.
macro_rules! delegate {
    ($( $(#[$meta:meta])* fn $name:ident(&self $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$meta])*
                pub async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    self.calls.fetch_add(1, Ordering::Relaxed);
                    self.backend.$name($($arg),*).await
                }
            )*
        }
    };
}

delegate! {
    /// Fails with `Conflict("username")` or `Conflict("email")` when taken.
    fn create_user(&self, user: &NewUser, now: i64) -> Result<User>;
    /// By lower-cased username or email, with the password hash.
    fn user_for_login(&self, name_or_email: &str) -> Result<Option<(User, String)>>;
    fn user_by_username(&self, username: &str) -> Result<Option<User>>;
    fn list_users(&self) -> Result<Vec<UserSummary>>;
    fn account(&self, user_id: i64) -> Result<Option<Account>>;
    /// `username` as `viewer` sees them (whether the viewer follows them).
    fn profile(&self, username: &str, viewer: Option<i64>) -> Result<Option<Profile>>;
    /// Several users as `viewer` sees them, in one query.
    fn profiles(&self, usernames: &[String], viewer: Option<i64>) -> Result<Vec<Profile>>;
    /// Follows or unfollows; `None` when there is no such user.
    fn set_follow(&self, follower_id: i64, username: &str, follow: bool, now: i64) -> Result<Option<Profile>>;
    /// Names of the tags that have live articles, sorted.
    fn live_tags(&self, now: i64) -> Result<Vec<String>>;

    fn create_session(&self, token_hash: &str, user_id: i64, now: i64, expires_at: i64) -> Result<()>;

    fn record_login_failure(&self, subjects: &[&str], now: i64) -> Result<()>;
    fn count_login_failures(&self, subject: &str, since: i64) -> Result<i64>;
    /// Counts one action in a rate-limit window if the rule allows it: the
    /// window, or `None` when refused.
    fn take_rate(&self, bucket: &str, rate: Rate, now: i64) -> Result<Option<Window>>;
    fn rate_window(&self, bucket: &str) -> Result<Option<Window>>;
    /// Deletes windows that have closed.
    fn prune_rates(&self, now: i64) -> Result<u64>;

    /// The key stored under `name`, storing `candidate` first if there is none.
    fn site_key(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>>;

    /// Creates an article, a draft unless `publication` says otherwise, in
    /// one transaction. With `auto_suffix` a taken slug becomes `slug-2`,
    /// `slug-3`, …; without it a taken slug is `Conflict("slug")`.
    fn create_article(&self, author_id: i64, slug: &str, auto_suffix: bool, content: &ArticleContent, publication: Option<Publication>, now: i64) -> Result<(i64, String)>;
    /// Saves new content (and slug, when given) and any change of
    /// publication in one transaction. Marks the article revised when it is live.
    fn update_article(&self, id: i64, slug: Option<&str>, content: &ArticleContent, publication: Option<Publication>, now: i64) -> Result<()>;
    /// Publishes at `at` (now or later).
    fn publish_article(&self, id: i64, at: i64, now: i64) -> Result<()>;
    fn unpublish_article(&self, id: i64, now: i64) -> Result<()>;
    /// Sets (or with `None` removes) an article's cover in one
    /// transaction; returns the image it replaced, whose files can go.
    fn set_cover(&self, article_id: i64, image: Option<&NewImage>, now: i64) -> Result<Option<String>>;
    /// Changes the cover's alt text and caption; false when the article
    /// has no cover.
    fn describe_cover(&self, article_id: i64, alt: &str, caption: &str, now: i64) -> Result<bool>;
    /// Deletes an article with its tags, likes, comments and cover image
    /// record; false when there was none.
    fn delete_article(&self, id: i64) -> Result<bool>;
    fn article_draft(&self, id: i64) -> Result<Option<ArticleDraft>>;
    /// The id of the article at `slug`, whatever its stage.
    fn article_id(&self, slug: &str) -> Result<Option<i64>>;
    /// A live article with counts and the viewer's like.
    fn published_article(&self, slug: &str, viewer: Option<i64>, now: i64) -> Result<Option<ArticleView>>;
    /// The largest ids of articles, tags and users, to split sitemaps by id.
    fn largest_ids(&self) -> Result<(i64, i64, i64)>;
    /// Live articles with ids in `(from, to]`: (slug, last change).
    fn sitemap_articles(&self, from: i64, to: i64, now: i64) -> Result<Vec<(String, i64)>>;
    /// Tags with ids in `(from, to]` that have live articles: (slug, newest publication).
    fn sitemap_tags(&self, from: i64, to: i64, now: i64) -> Result<Vec<(String, i64)>>;
    /// Users with ids in `(from, to]` who have live articles: (username, newest publication).
    fn sitemap_authors(&self, from: i64, to: i64, now: i64) -> Result<Vec<(String, i64)>>;
    /// Live articles published since `since`, newest first, at most `limit`:
    /// (slug, headline, publication time).
    fn news_articles(&self, since: i64, limit: i64, now: i64) -> Result<Vec<(String, String, i64)>>;
    /// The rendered bodies of these articles, by id, in one query.
    fn article_bodies(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>>;
    /// Live articles newest first, strictly after `after`, at most `limit`.
    fn list_published(&self, listing: Listing<'_>, after: Option<Cursor>, limit: i64, viewer: Option<i64>, now: i64) -> Result<Vec<ArticleCard>>;
    /// All articles, or one author's, most recently changed first.
    fn desk_articles(&self, author_id: Option<i64>) -> Result<Vec<DeskArticle>>;
    fn tag_by_slug(&self, slug: &str) -> Result<Option<TagRef>>;
    /// Live articles matching the filter, newest first, `offset` from the start.
    fn filtered_articles(&self, filter: ArticleFilter<'_>, limit: i64, offset: i64, viewer: Option<i64>, now: i64) -> Result<Vec<ArticleEntry>>;
    /// The article at `slug` at any stage, with its Markdown body.
    fn article_entry(&self, slug: &str, viewer: Option<i64>) -> Result<Option<(ArticleEntry, String)>>;
    /// How many live articles the filter matches.
    fn count_filtered_articles(&self, filter: ArticleFilter<'_>, now: i64) -> Result<i64>;
    /// Live articles matching every word, most relevant first, with a
    /// highlighted snippet each; nothing for an empty query.
    fn search(&self, request: SearchRequest<'_>, viewer: Option<i64>, now: i64) -> Result<Vec<SearchHit>>;


    fn comment(&self, id: i64) -> Result<Option<CommentRecord>>;
    /// Every comment of an article, oldest first, hidden and deleted ones
    /// included so that the page can show placeholders.
    fn article_comments(&self, article_id: i64) -> Result<Vec<CommentView>>;
    /// One page of an article's threads with their first replies; `staff`
    /// see hidden comments.
    fn thread_page(&self, article_id: i64, page: ThreadPage, staff: bool, threads: i64, reply_limit: i64) -> Result<ThreadsPage>;
    /// One comment of an article, deleted or hidden ones included.
    fn article_comment(&self, article_id: i64, id: i64) -> Result<Option<CommentView>>;
    fn visible_comment_count(&self, article_id: i64) -> Result<i64>;
    /// Visible comments of an article written after comment `after`, at
    /// most `limit`: (id, parent id).
    fn comments_after(&self, article_id: i64, after: i64, limit: i64) -> Result<Vec<(i64, Option<i64>)>>;
    fn edit_comment(&self, id: i64, body_markdown: &str, body_html: &str, now: i64) -> Result<()>;

    /// Number of articles; the demo loader fills only an empty site.
    fn article_count(&self) -> Result<i64>;
    /// Likes and visible comments counted from their rows, to check the
    /// kept counts against.
    fn recount(&self, article_id: i64) -> Result<(i64, i64)>;
    /// Succeeds when the database answers and its schema is current.
    fn ready(&self) -> Result<()>;

    /// Person, organisation and place tags with their aliases.
    fn entity_tags(&self) -> Result<Vec<crate::domain::entities::TagEntry>>;
    fn tag_details(&self, slug: &str) -> Result<Option<TagDetails>>;
    /// Tags by use, most used first; of one kind when asked.
    fn list_tags(&self, kind: Option<crate::domain::tag::TagKind>, limit: i64) -> Result<Vec<TagDetails>>;
    /// Sets a tag's kind and aliases; `Conflict("aliases")` when another
    /// tag has one of them; false when there is no such tag.
    fn update_tag(&self, slug: &str, kind: crate::domain::tag::TagKind, aliases: &[(String, String)]) -> Result<bool>;
    /// The slug of the tag that has this alias key.
    fn alias_owner(&self, alias_key: &str) -> Result<Option<String>>;
    /// Kinds for tags nobody has classified yet.
    fn classify_tags(&self, kinds: &[(String, crate::domain::tag::TagKind)]) -> Result<()>;
    /// Remembers that a suggestion was turned down for an article.
    fn reject_suggestion(&self, article_id: i64, name_key: &str) -> Result<()>;
    fn rejected_suggestions(&self, article_id: i64) -> Result<Vec<String>>;
    /// Appends tags without marking the article revised; returns how many.
    fn add_tags(&self, article_id: i64, tags: &[(String, String)]) -> Result<usize>;
    /// Articles after an id, in id order, for backfills.
    fn articles_for_tagging(&self, after: i64, limit: i64) -> Result<Vec<TaggingSource>>;
    /// Live articles sharing tags with this one, rarer tags weighing more.
    fn related_articles(&self, article_id: i64, limit: usize, viewer: Option<i64>, now: i64) -> Result<Vec<ArticleCard>>;
}
