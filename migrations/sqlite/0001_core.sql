-- Core schema: accounts, sessions, articles, tags, likes and comments.
-- Times are Unix milliseconds (INTEGER) so ordering and keyset pagination
-- behave the same on every backend.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- Usernames and emails are stored lower-cased by the domain layer, so a
    -- plain UNIQUE is the case-insensitive guarantee.
    username      TEXT    NOT NULL UNIQUE,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'reader'
                  CHECK (role IN ('reader', 'author', 'editor', 'admin')),
    created_at    INTEGER NOT NULL
);

-- Only a hash of the session token is kept: a leaked database backup does
-- not hand out live sessions.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, counted per account and per client address over a window.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    subject   TEXT    NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

-- Keys generated once per site and shared by every instance.
CREATE TABLE site_keys (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    slug               TEXT    NOT NULL UNIQUE,
    author_id          INTEGER NOT NULL REFERENCES users (id),
    headline           TEXT    NOT NULL,
    summary            TEXT    NOT NULL,
    body_markdown      TEXT    NOT NULL,
    -- Rendered and sanitised once at save time, not on every page view.
    body_html          TEXT    NOT NULL,
    -- 'published' with a future published_at is a scheduled article.
    status             TEXT    NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'published')),
    published_at       INTEGER,
    -- Set on first publication; from then on the slug never changes.
    first_published_at INTEGER,
    -- Set when a published article is edited: readers see "Updated …".
    revised_at         INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX articles_published ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_author ON articles (author_id, status, published_at DESC, id DESC);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tag (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    -- Keeps the order the journalist typed the tags in.
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tag_tag ON article_tag (tag_id, article_id);

-- The composite key is what makes a like exact: one per user per article,
-- whatever the number of concurrent presses.
CREATE TABLE article_like (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    liked_at   INTEGER NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX article_like_user ON article_like (user_id);

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- One level of replies: the domain layer never points parent_id at a reply.
    parent_id     INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    body_markdown TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    -- Deleted comments stay as a placeholder while replies hang off them.
    deleted_at    INTEGER,
    hidden_at     INTEGER,
    hidden_by     INTEGER REFERENCES users (id)
);
CREATE INDEX comments_article ON comments (article_id, created_at, id);
