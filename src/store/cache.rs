//! Sessions cached in each instance. A page view by a logged-in reader then
//! costs no session query; a logout, password change or role change on any
//! instance removes the entries everywhere: locally at once, and on other
//! instances through PostgreSQL's LISTEN/NOTIFY on `CHANNEL`.

use crate::domain::user::User;
use std::collections::HashMap;
use std::sync::Mutex;

pub const CHANNEL: &str = "newsroom_invalidate";
/// A bound on staleness should a notification ever be missed.
const TTL_MS: i64 = 5 * 60 * 1000;
/// A bound on memory: past it, the cache starts again empty.
const CAPACITY: usize = 50_000;

struct Cached {
    user: User,
    /// The earlier of the session's expiry and the TTL.
    valid_until: i64,
}

#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Cached>>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionCache")
    }
}

/// What a notification tells other instances to forget.
pub fn forget_session_message(token_hash: &str) -> String {
    format!("session:{token_hash}")
}

pub fn forget_user_message(user_id: i64) -> String {
    format!("user:{user_id}")
}

impl SessionCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        // A panic while holding the lock leaves a map that is still valid.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn get(&self, token_hash: &str, now: i64) -> Option<User> {
        let mut entries = self.entries();
        match entries.get(token_hash) {
            Some(cached) if cached.valid_until > now => Some(cached.user.clone()),
            Some(_) => {
                entries.remove(token_hash);
                None
            }
            None => None,
        }
    }

    pub fn put(&self, token_hash: &str, user: User, expires_at: i64, now: i64) {
        let mut entries = self.entries();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        let valid_until = expires_at.min(now + TTL_MS);
        entries.insert(token_hash.to_owned(), Cached { user, valid_until });
    }

    pub fn clear(&self) {
        self.entries().clear();
    }

    /// Applies a message made by `forget_session_message` or
    /// `forget_user_message`; anything else clears everything, to be safe.
    pub fn apply(&self, message: &str) {
        let mut entries = self.entries();
        match message.split_once(':') {
            Some(("session", hash)) => {
                entries.remove(hash);
            }
            Some(("user", id)) if id.parse::<i64>().is_ok() => {
                let id = id.parse::<i64>().unwrap_or_default();
                entries.retain(|_, cached| cached.user.id != id);
            }
            _ => entries.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::user::Role;

    fn user(id: i64) -> User {
        User {
            id,
            username: format!("u{id}"),
            email: format!("u{id}@example.org"),
            role: Role::Reader,
        }
    }

    #[test]
    fn entries_expire_and_are_forgotten_by_session_or_user() {
        let cache = SessionCache::default();
        cache.put("a", user(1), 1_000, 0);
        cache.put("b", user(1), 10_000_000, 0);
        cache.put("c", user(2), 10_000_000, 0);
        assert_eq!(cache.get("a", 999).map(|u| u.id), Some(1));
        assert!(cache.get("a", 1_000).is_none(), "the session's own expiry");
        assert!(cache.get("b", TTL_MS).is_none(), "the cache's TTL");
        cache.put("b", user(1), 10_000_000, 0);
        cache.apply(&forget_user_message(1));
        assert!(cache.get("b", 1).is_none());
        assert!(cache.get("c", 1).is_some());
        cache.apply(&forget_session_message("c"));
        assert!(cache.get("c", 1).is_none());
        cache.put("d", user(3), 10_000_000, 0);
        cache.apply("garbage");
        assert!(
            cache.get("d", 1).is_none(),
            "unknown messages clear everything"
        );
    }
}
