//! Who may write, publish, edit and delete articles: one set of rules that
//! the desk and the JSON API both ask, so neither can do what the other
//! forbids.

use super::article::Stage;
use super::user::User;

/// The site's writing rules.
///
/// By default a newsroom's roles decide: authors write drafts, editors
/// publish. With `open_publishing` every account also writes and publishes
/// its own articles, as on the RealWorld ("Conduit") platform, while editors
/// keep their power over everyone's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    pub open_publishing: bool,
}

impl Policy {
    /// May open the desk and write articles of their own.
    pub fn may_write(self, user: &User) -> bool {
        self.open_publishing || user.role.can_write()
    }

    /// May publish, schedule or unpublish an article by `author_id`.
    pub fn may_publish(self, user: &User, author_id: i64) -> bool {
        user.role.can_edit_any() || (self.open_publishing && user.id == author_id)
    }

    /// May change an article by `author_id` that is now at `stage`. Without
    /// the right to publish it, only one's own draft: once an editor has
    /// published it, it is the editors' to change.
    pub fn may_edit(self, user: &User, author_id: i64, stage: Stage) -> bool {
        self.may_publish(user, author_id)
            || (user.id == author_id && self.may_write(user) && stage == Stage::Draft)
    }

    /// May delete an article. Whoever may publish it may delete it; its
    /// author otherwise only while it has never been public, because a
    /// published article has readers, links and comments to answer for.
    pub fn may_delete(self, user: &User, author_id: i64, stage: Stage, ever_public: bool) -> bool {
        self.may_publish(user, author_id) || (!ever_public && self.may_edit(user, author_id, stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::user::Role;

    fn user(id: i64, role: Role) -> User {
        User {
            id,
            username: format!("u{id}"),
            email: format!("u{id}@example.org"),
            role,
        }
    }

    #[test]
    fn by_default_roles_decide() {
        let policy = Policy::default();
        let (reader, author, editor) = (
            user(1, Role::Reader),
            user(2, Role::Author),
            user(3, Role::Editor),
        );
        assert!(!policy.may_write(&reader));
        assert!(policy.may_write(&author) && !policy.may_publish(&author, 2));
        assert!(policy.may_edit(&author, 2, Stage::Draft));
        assert!(
            !policy.may_edit(&author, 2, Stage::Published),
            "editors' now"
        );
        assert!(!policy.may_edit(&author, 3, Stage::Draft), "not another's");
        assert!(policy.may_delete(&author, 2, Stage::Draft, false));
        assert!(
            !policy.may_delete(&author, 2, Stage::Draft, true),
            "was public once"
        );
        assert!(policy.may_publish(&editor, 2) && policy.may_edit(&editor, 2, Stage::Published));
        assert!(policy.may_delete(&editor, 2, Stage::Published, true));
        assert!(!policy.may_edit(&reader, 2, Stage::Draft));
    }

    #[test]
    fn open_publishing_makes_everyone_the_publisher_of_their_own() {
        let policy = Policy {
            open_publishing: true,
        };
        let reader = user(1, Role::Reader);
        assert!(policy.may_write(&reader) && policy.may_publish(&reader, 1));
        assert!(policy.may_edit(&reader, 1, Stage::Published));
        assert!(policy.may_delete(&reader, 1, Stage::Published, true));
        assert!(!policy.may_publish(&reader, 2) && !policy.may_edit(&reader, 2, Stage::Draft));
        assert!(!policy.may_delete(&reader, 2, Stage::Draft, false));
        assert!(
            policy.may_publish(&user(3, Role::Editor), 1),
            "editors still"
        );
    }
}
