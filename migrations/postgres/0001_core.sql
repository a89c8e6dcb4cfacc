-- Core schema: accounts, sessions, articles, tags, likes and comments.
-- The same tables, columns and meanings as migrations/sqlite/0001_core.sql.
-- Times are Unix milliseconds (BIGINT) so ordering and keyset pagination
-- behave the same on every backend.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    -- Stored lower-cased by the domain layer: UNIQUE is case-insensitive.
    username      TEXT   NOT NULL UNIQUE,
    email         TEXT   NOT NULL UNIQUE,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL DEFAULT 'reader'
                  CHECK (role IN ('reader', 'author', 'editor', 'admin')),
    created_at    BIGINT NOT NULL
);

-- Only a hash of the session token is kept.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id        BIGSERIAL PRIMARY KEY,
    subject   TEXT   NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

-- Keys generated once per site and shared by every instance.
CREATE TABLE site_keys (
    name  TEXT  PRIMARY KEY,
    value BYTEA NOT NULL
);

CREATE TABLE articles (
    id                 BIGSERIAL PRIMARY KEY,
    slug               TEXT   NOT NULL UNIQUE,
    author_id          BIGINT NOT NULL REFERENCES users (id),
    headline           TEXT   NOT NULL,
    summary            TEXT   NOT NULL,
    body_markdown      TEXT   NOT NULL,
    body_html          TEXT   NOT NULL,
    status             TEXT   NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'published')),
    published_at       BIGINT,
    first_published_at BIGINT,
    revised_at         BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX articles_published ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_author ON articles (author_id, status, published_at DESC, id DESC);

CREATE TABLE tags (
    id   BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tag (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tag_tag ON article_tag (tag_id, article_id);

-- One like per user per article, whatever the number of concurrent presses.
CREATE TABLE article_like (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    liked_at   BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX article_like_user ON article_like (user_id);

CREATE TABLE comments (
    id            BIGSERIAL PRIMARY KEY,
    article_id    BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id     BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    author_id     BIGINT NOT NULL REFERENCES users (id),
    body_markdown TEXT   NOT NULL,
    body_html     TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    edited_at     BIGINT,
    deleted_at    BIGINT,
    hidden_at     BIGINT,
    hidden_by     BIGINT REFERENCES users (id)
);
CREATE INDEX comments_article ON comments (article_id, created_at, id);
