-- Full-text search over articles, in the database itself: no search server
-- to run. The body's plain text (markup removed at save time) is kept on
-- the article so the index can always be rebuilt from the articles.
-- Rows written before this version have their Markdown as plain text.
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
UPDATE articles SET body_text = body_markdown;

-- One row per article (drafts too: queries join articles and keep the live
-- ones, so publishing and unpublishing need no index change). The weighted
-- document is generated from the columns, so it can never disagree with
-- them; 'english' stems, 'simple' keeps usernames as they are.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    headline   TEXT NOT NULL,
    summary    TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL,
    author     TEXT NOT NULL,
    document   tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', headline), 'A')
        || setweight(to_tsvector('english', tags), 'A')
        || setweight(to_tsvector('english', summary), 'B')
        || setweight(to_tsvector('simple', author), 'B')
        || setweight(to_tsvector('english', body), 'D')
    ) STORED
);
CREATE INDEX article_search_document ON article_search USING GIN (document);
INSERT INTO article_search (article_id, headline, summary, body, tags, author)
SELECT a.id, a.headline, a.summary, a.body_text,
       COALESCE((SELECT string_agg(t.name, ' ' ORDER BY tl.position) FROM article_tag tl
                 JOIN tags t ON t.id = tl.tag_id WHERE tl.article_id = a.id), ''),
       u.username
FROM articles a JOIN users u ON u.id = a.author_id;
