//! What the store hands out and takes in: views of articles, comments,
//! users and tags as pages and the API show them, and the inputs of
//! writes. Plain data; the SQL that fills them is in `sql/`.

use crate::domain::article::Stage;
use crate::domain::search::{SearchCursor, SearchQuery, SnippetPart};
use crate::domain::user::{Role, User};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    /// `None` until classified; a topic.
    pub kind: Option<crate::domain::tag::TagKind>,
}

/// An article's cover image, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// Names its folder in the media store.
    pub id: String,
    pub alt: String,
    pub caption: String,
    pub width: i64,
    pub height: i64,
    /// The widths of its variants, smallest first.
    pub widths: Vec<i64>,
}

/// A prepared cover image to record.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub id: String,
    pub width: i64,
    pub height: i64,
    pub widths: Vec<i64>,
    /// The original's file name.
    pub original: String,
    pub alt: String,
    pub caption: String,
    pub uploaded_by: i64,
}

/// An article as a list shows it: everything but the body, with its counts
/// and whether the viewer likes it.
#[derive(Debug, Clone)]
pub struct ArticleCard {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub author: String,
    pub published_at: i64,
    pub revised_at: Option<i64>,
    pub likes: i64,
    pub comments: i64,
    pub liked: bool,
    pub tags: Vec<TagRef>,
    pub cover: Option<Cover>,
}

/// A published article as its page shows it.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub card: ArticleCard,
    pub body_html: String,
}

/// Which published articles a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    All,
    Tag(&'a str),
    /// By username.
    Author(&'a str),
}

/// Everything the desk needs to edit an article.
#[derive(Debug, Clone)]
pub struct ArticleDraft {
    pub id: i64,
    pub slug: String,
    pub author_id: i64,
    pub author: String,
    pub headline: String,
    pub summary: String,
    pub body_markdown: String,
    pub tags: Vec<String>,
    pub published: bool,
    pub published_at: Option<i64>,
    pub first_published_at: Option<i64>,
    pub revised_at: Option<i64>,
    pub updated_at: i64,
    pub cover: Option<Cover>,
}

impl ArticleDraft {
    pub fn stage(&self, now: i64) -> Stage {
        Stage::of(self.published, self.published_at, now)
    }

    /// The slug is fixed once the article has been public at its URL.
    pub fn slug_locked(&self, now: i64) -> bool {
        self.first_published_at.is_some_and(|at| at <= now)
    }
}

/// A row of the desk's article list.
#[derive(Debug, Clone)]
pub struct DeskArticle {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub author: String,
    pub published: bool,
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub author: String,
    pub body_markdown: String,
    pub body_html: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted: bool,
    pub hidden: bool,
}

/// Which threads of an article's discussion a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadPage {
    /// The newest threads: where new comments arrive.
    Latest,
    /// Threads begun before the thread with this id.
    Before(i64),
    /// Threads begun after the thread with this id.
    After(i64),
    /// One thread alone, with more of its replies.
    Thread(i64),
}

/// One page of an article's threads, oldest first, with their replies.
#[derive(Debug, Clone, Default)]
pub struct ThreadsPage {
    /// Threads' first comments and their replies, oldest first.
    pub comments: Vec<CommentView>,
    /// The first thread shown, when older ones exist.
    pub older: Option<i64>,
    /// The last thread shown, when newer ones exist.
    pub newer: Option<i64>,
    /// Threads with replies beyond those shown, and how many more.
    pub more_replies: Vec<(i64, i64)>,
}

/// The facts about one comment that permission checks need.
#[derive(Debug, Clone)]
pub struct CommentRecord {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body_markdown: String,
    pub deleted: bool,
}

impl CommentRecord {
    /// The thread a reply to this comment belongs to, if it is on
    /// `article_id`: a reply to a reply joins its parent's thread, so
    /// replies stay one level deep.
    pub fn thread_on(&self, article_id: i64) -> Option<i64> {
        (self.article_id == article_id).then(|| self.parent_id.unwrap_or(self.id))
    }
}

#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body_markdown: &'a str,
    pub body_html: &'a str,
}

/// A user with their public profile fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: User,
    pub bio: String,
    pub image: Option<String>,
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountUpdate {
    pub username: Option<String>,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub bio: Option<String>,
    /// `Some(None)` removes the image.
    pub image: Option<Option<String>>,
}

/// An article with its author's profile and dates, without its body: what
/// filtered lists hold (live articles only) and what a lookup by slug finds
/// at any stage, for the caller to decide who may see it.
#[derive(Debug, Clone)]
pub struct ArticleEntry {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub summary: String,
    pub tags: Vec<TagRef>,
    pub author_id: i64,
    pub author: Profile,
    pub likes: i64,
    pub comments: i64,
    /// Whether the viewer likes it.
    pub liked: bool,
    pub published: bool,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ArticleEntry {
    pub fn stage(&self, now: i64) -> Stage {
        Stage::of(self.published, self.published_at, now)
    }
}

/// Which live articles a filtered list holds; the filters combine.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleFilter<'a> {
    pub tag_slug: Option<&'a str>,
    pub author: Option<&'a str>,
    /// Articles this username likes ("favorited").
    pub favorited_by: Option<&'a str>,
    /// Articles by authors this user follows (the feed).
    pub followed_by: Option<i64>,
}

/// A search: its words, optional filters, and where the previous page
/// ended.
#[derive(Debug, Clone, Copy)]
pub struct SearchRequest<'a> {
    pub query: &'a SearchQuery,
    pub tag_slug: Option<&'a str>,
    pub author: Option<&'a str>,
    /// Published at or after this time.
    pub from: Option<i64>,
    /// Published before this time.
    pub until: Option<i64>,
    pub after: Option<SearchCursor>,
    pub limit: i64,
}

/// A live article that matched a search.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub card: ArticleCard,
    /// Text from the body around the matches, matches highlighted.
    pub snippet: Vec<SnippetPart>,
    /// Where the results continue after this hit.
    pub cursor: SearchCursor,
}

/// A user as another user sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub username: String,
    pub bio: String,
    pub image: Option<String>,
    pub following: bool,
}

#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub created_at: i64,
}
