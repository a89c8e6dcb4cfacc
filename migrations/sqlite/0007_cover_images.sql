-- Cover images. The files (a cleaned original and resized variants) live in
-- the media store, in a folder named by the image's random id; the database
-- keeps what a page needs to show them.
CREATE TABLE images (
    id          TEXT   PRIMARY KEY,
    width       BIGINT NOT NULL,
    height      BIGINT NOT NULL,
    -- The variant widths, smallest first: "480,960,1600".
    widths      TEXT   NOT NULL,
    -- The original's file name in the folder: "original.jpg".
    original    TEXT   NOT NULL,
    alt         TEXT   NOT NULL,
    caption     TEXT   NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);

ALTER TABLE articles ADD COLUMN cover_image_id TEXT REFERENCES images (id);
