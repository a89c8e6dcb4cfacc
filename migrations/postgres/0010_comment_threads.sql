-- An article's threads are paged by the id of their first comment, and a
-- page's replies are read by the range of those ids: both walk this index
-- rather than every comment of the article.
CREATE INDEX comments_threads ON comments (article_id, parent_id, id);
