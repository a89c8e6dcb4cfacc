-- A tag names a topic or an entity: a person, an organisation or a place.
-- NULL is a tag nobody has classified yet, shown as a topic; the desk fills
-- it in from the extractor when the tag is accepted, and never overrides
-- an editor's choice.
ALTER TABLE tags ADD COLUMN kind TEXT
    CHECK (kind IN ('topic', 'person', 'organisation', 'place'));

-- Other names of a tag ("Merkel" for Angela Merkel, "ECB"): the extractor
-- recognises them as the tag. A name can stand for one tag only.
CREATE TABLE tag_aliases (
    alias_key TEXT PRIMARY KEY,
    tag_id    BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL
);
CREATE INDEX tag_aliases_tag ON tag_aliases (tag_id);

-- Suggestions a journalist turned down for an article, by name key, so the
-- desk does not offer them again.
CREATE TABLE tag_rejections (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    name_key   TEXT NOT NULL,
    PRIMARY KEY (article_id, name_key)
);
