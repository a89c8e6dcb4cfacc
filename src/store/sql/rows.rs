//! What every query file shares: the row types that become the store's
//! views, the column lists that fill them, and small helpers (placeholder
//! numbering, lookup keys, unique-constraint conflicts).

use crate::domain::user::{Role, User};
use crate::store::{ArticleCard, ArticleEntry, Cover, Profile, StoreError, TagRef};
use sqlx::FromRow;

#[derive(FromRow)]
pub(super) struct UserRow {
    id: i64,
    username: String,
    email: String,
    role: String,
}

impl UserRow {
    pub(super) fn into_user(self) -> User {
        User {
            id: self.id,
            username: self.username,
            email: self.email,
            // The CHECK constraint admits only known roles; anything else
            // would be a hand-edited row, and the least power is the safe read.
            role: Role::parse(&self.role).unwrap_or(Role::Reader),
        }
    }
}

#[derive(FromRow)]
pub(super) struct CardRow {
    id: i64,
    slug: String,
    headline: String,
    summary: String,
    author: String,
    published_at: i64,
    revised_at: Option<i64>,
    likes: i64,
    comments: i64,
    liked: i64,
    #[sqlx(flatten)]
    cover: CoverColumns,
}

impl CardRow {
    pub(super) fn into_card(self) -> ArticleCard {
        ArticleCard {
            cover: self.cover.into_cover(),
            id: self.id,
            slug: self.slug,
            headline: self.headline,
            summary: self.summary,
            author: self.author,
            published_at: self.published_at,
            revised_at: self.revised_at,
            likes: self.likes,
            comments: self.comments,
            liked: self.liked != 0,
            tags: Vec::new(),
        }
    }
}

#[derive(FromRow)]
pub(super) struct EntryRow {
    pub(super) id: i64,
    slug: String,
    headline: String,
    summary: String,
    author_id: i64,
    author: String,
    bio: String,
    image: Option<String>,
    following: i64,
    likes: i64,
    comments: i64,
    liked: i64,
    status: String,
    published_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl EntryRow {
    pub(super) fn into_article(self, tags: Vec<TagRef>) -> ArticleEntry {
        ArticleEntry {
            id: self.id,
            slug: self.slug,
            headline: self.headline,
            summary: self.summary,
            tags,
            author_id: self.author_id,
            author: Profile {
                username: self.author,
                bio: self.bio,
                image: self.image,
                following: self.following != 0,
            },
            likes: self.likes,
            comments: self.comments,
            liked: self.liked != 0,
            published: self.status == "published",
            published_at: self.published_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// Whether the viewer (`$1`) likes the article `a`, as 0 or 1.
macro_rules! liked_by_viewer {
    () => {
        "CAST(CASE WHEN EXISTS (SELECT 1 FROM article_like l \
         WHERE l.article_id = a.id AND l.user_id = $1) THEN 1 ELSE 0 END AS BIGINT) AS liked"
    };
}

/// The columns of an article entry (`EntryRow`); `$1` is the viewer's id.
pub(super) const ENTRY_COLUMNS: &str = concat!(
    "a.id, a.slug, a.headline, a.summary, a.author_id, \
     u.username AS author, u.bio, u.image, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM user_follow f WHERE f.follower_id = $1 \
         AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) AS following, \
     a.like_count AS likes, a.comment_count AS comments, ",
    liked_by_viewer!(),
    ", a.status, a.published_at, a.created_at, a.updated_at"
);

/// An article's cover, from `COVER_JOIN`; all null when it has none.
macro_rules! cover_columns {
    () => {
        "i.id AS cover_id, i.alt AS cover_alt, i.caption AS cover_caption, \
         i.width AS cover_width, i.height AS cover_height, i.widths AS cover_widths"
    };
}
pub(super) const COVER_COLUMNS: &str = cover_columns!();

/// The columns of an article card. `$1` is the viewer's id; the counts are
/// kept on the article, so a card costs no counting.
pub(super) const CARD_COLUMNS: &str = concat!(
    "a.id, a.slug, a.headline, a.summary, u.username AS author, \
     a.published_at, a.revised_at, a.like_count AS likes, a.comment_count AS comments, ",
    liked_by_viewer!(),
    ", ",
    cover_columns!()
);

/// Joins an article (`a`) to its cover image (`i`), for `COVER_COLUMNS`.
pub(super) const COVER_JOIN: &str = "LEFT JOIN images i ON i.id = a.cover_image_id";

#[derive(FromRow)]
pub(super) struct CoverColumns {
    cover_id: Option<String>,
    cover_alt: Option<String>,
    cover_caption: Option<String>,
    cover_width: Option<i64>,
    cover_height: Option<i64>,
    /// Comma-separated, smallest first.
    cover_widths: Option<String>,
}

impl CoverColumns {
    pub(super) fn into_cover(self) -> Option<Cover> {
        Some(Cover {
            id: self.cover_id?,
            alt: self.cover_alt.unwrap_or_default(),
            caption: self.cover_caption.unwrap_or_default(),
            width: self.cover_width?,
            height: self.cover_height?,
            widths: self
                .cover_widths?
                .split(',')
                .filter_map(|w| w.parse().ok())
                .collect(),
        })
    }
}

/// Turns the unique-constraint failure of an insert into a field conflict.
pub(super) fn conflict_or(err: sqlx::Error, fields: &[&'static str]) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // SQLite names the column in the message ("users.email");
        // PostgreSQL names the constraint ("users_email_key").
        let names = format!("{} {}", db.message(), db.constraint().unwrap_or_default());
        let field = fields
            .iter()
            .find(|f| names.contains(&format!(".{f}")) || names.contains(&format!("_{f}_")))
            .or(fields.first())
            .copied()
            .unwrap_or("value");
        return StoreError::Conflict(field);
    }
    StoreError::Database(err)
}

/// Whether a lookup key can name anything stored: nothing stored holds a NUL
/// (the domain drops control characters), and PostgreSQL would reject one.
pub(super) fn storable(keys: &[&str]) -> bool {
    keys.iter().all(|k| !k.contains('\0'))
}

/// `$first, $first+1, …` for `count` values, for an `IN (…)` list.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Numbers the `$N` placeholders of a query whose optional filters each add
/// one, in the order they are written (and so must be bound).
pub(super) struct Numbering {
    next: usize,
}

impl Numbering {
    pub(super) fn starting_at(first: usize) -> Self {
        Self { next: first }
    }

    /// The next placeholder, `$N`.
    pub(super) fn take(&mut self) -> String {
        self.next += 1;
        format!("${}", self.next - 1)
    }

    /// The number the next placeholder would get.
    pub(super) fn peek(&self) -> usize {
        self.next
    }
}
