-- Full-text search over articles, in the database itself: no search server
-- to run. The body's plain text (markup removed at save time) is kept on
-- the article so the index can always be rebuilt from the articles.
-- Rows written before this version have their Markdown as plain text.
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
UPDATE articles SET body_text = body_markdown;

-- One row per article (drafts too: queries join articles and keep the live
-- ones, so publishing and unpublishing need no index change), rowid = id.
-- porter stems English words; remove_diacritics lets "cafe" find "café".
CREATE VIRTUAL TABLE article_search USING fts5(
    headline, summary, body, tags, author,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO article_search (rowid, headline, summary, body, tags, author)
SELECT a.id, a.headline, a.summary, a.body_text,
       COALESCE((SELECT group_concat(t.name, ' ') FROM article_tag tl
                 JOIN tags t ON t.id = tl.tag_id WHERE tl.article_id = a.id), ''),
       u.username
FROM articles a JOIN users u ON u.id = a.author_id;
-- The backfill leaves the index in many segments; one is faster to search.
INSERT INTO article_search (article_search) VALUES ('optimize');
