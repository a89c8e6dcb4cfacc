-- Profiles for the JSON API (the RealWorld "Conduit" shape): a short bio and
-- an image address per user, and who follows whom.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN image TEXT;

-- One row per follow; the key makes following twice a no-op.
CREATE TABLE user_follow (
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_at INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX user_follow_followee ON user_follow (followee_id);
