-- Pages show like and comment counts on every card; counting rows on every
-- view grows with the archive. The counts are kept on the article instead,
-- changed in the same transaction as the like or comment they count.
ALTER TABLE articles ADD COLUMN like_count BIGINT NOT NULL DEFAULT 0;
-- Visible comments only: not deleted, not hidden.
ALTER TABLE articles ADD COLUMN comment_count BIGINT NOT NULL DEFAULT 0;

UPDATE articles SET
    like_count = (SELECT COUNT(*) FROM article_like l WHERE l.article_id = articles.id),
    comment_count = (SELECT COUNT(*) FROM comments c WHERE c.article_id = articles.id
                     AND c.deleted_at IS NULL AND c.hidden_at IS NULL);
