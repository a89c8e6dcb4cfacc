-- Tag pages list a tag's live articles newest first. Filtering the whole
-- archive by tag and then sorting costs more as the tag grows; keeping the
-- article's publication time on the tag link lets one index range answer
-- a page. NULL while the article is not published.
ALTER TABLE article_tag ADD COLUMN published_at INTEGER;

UPDATE article_tag SET published_at = (
    SELECT a.published_at FROM articles a
    WHERE a.id = article_tag.article_id AND a.status = 'published');

CREATE INDEX article_tag_listing ON article_tag (tag_id, published_at DESC, article_id DESC);
