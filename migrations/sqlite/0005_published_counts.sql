-- API lists report how many articles match (articlesCount). Counting every
-- live article per request grows with the archive, so the number of
-- published articles (scheduled ones included) is kept, for the site and
-- per tag, and changed in the same transaction as the publication, retag or
-- deletion it counts. Readers subtract the few scheduled articles not yet
-- live through an index range.
CREATE TABLE site_counts (
    name  TEXT   PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO site_counts (name, value)
SELECT 'published_articles', COUNT(*) FROM articles WHERE status = 'published';

ALTER TABLE tags ADD COLUMN published_count BIGINT NOT NULL DEFAULT 0;
-- article_tag.published_at is set exactly while the article is published.
UPDATE tags SET published_count = (
    SELECT COUNT(*) FROM article_tag tl
    WHERE tl.tag_id = tags.id AND tl.published_at IS NOT NULL
);
