//! Accounts: usernames, emails, passwords and roles.

use super::{ValidationError, bounded_text};
use std::fmt;

/// A login name: 3–32 of `a-z`, `0-9`, `_` and `-`, stored lower-case so
/// that uniqueness is case-insensitive everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_lowercase();
        let len = name.chars().count();
        if !(3..=32).contains(&len) {
            return Err(ValidationError::new("A username has 3 to 32 characters."));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(ValidationError::new(
                "A username may use only letters, digits, '_' and '-'.",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, lower-cased. Only the shape is checked; nothing is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(ValidationError::new("Email can't be empty."));
        }
        if email.len() > 254 {
            return Err(ValidationError::new("That email address is too long."));
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if !valid {
            return Err(ValidationError::new(
                "That doesn't look like an email address (name@example.org).",
            ));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed. Never printed: `Debug` is redacted.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(ValidationError::new(format!(
                "A password needs at least {} characters.",
                Self::MIN_CHARS
            )));
        }
        if chars > Self::MAX_CHARS {
            return Err(ValidationError::new(format!(
                "A password can be at most {} characters.",
                Self::MAX_CHARS
            )));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// What a user may do. Ordered: each role can do what the ones before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Author,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Author, Role::Editor, Role::Admin];

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw.trim().to_lowercase().as_str() {
            "reader" => Ok(Role::Reader),
            "author" => Ok(Role::Author),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(ValidationError::new(format!(
                "Unknown role '{other}': choose reader, author, editor or admin."
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// May open the desk and write articles.
    pub fn can_write(self) -> bool {
        self >= Role::Author
    }

    /// May edit, publish, schedule and unpublish any article and hide comments.
    pub fn can_edit_any(self) -> bool {
        self >= Role::Editor
    }

    pub fn can_manage_users(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signed-in user as the rest of the application sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: Role,
}

/// Input for creating an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub email: Email,
    pub password_hash: String,
    pub role: Role,
}

/// Login accepts a username or an email in one box.
pub fn parse_login_name(raw: &str) -> Result<String, ValidationError> {
    bounded_text(raw, "Username or email", 1, 254).map(|s| s.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_checked() {
        let cases = [
            ("Alice", Ok("alice")),
            ("  bob_99 ", Ok("bob_99")),
            ("ab", Err(())),
            ("has space", Err(())),
            ("émile", Err(())),
            ("<script>", Err(())),
            (&"x".repeat(33), Err(())),
        ];
        for (raw, expected) in cases {
            let got = Username::parse(raw).map(|u| u.0).map_err(|_| ());
            assert_eq!(got, expected.map(str::to_owned), "input {raw:?}");
        }
    }

    #[test]
    fn emails_need_a_domain_with_a_dot() {
        assert!(Email::parse("Ann@Example.org").is_ok_and(|e| e.as_str() == "ann@example.org"));
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn passwords_have_bounds_and_never_print() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"p".repeat(129)).is_err());
        let password = Password::parse("correct horse").expect("valid");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(!Role::Reader.can_write());
        assert!(Role::Author.can_write() && !Role::Author.can_edit_any());
        assert!(Role::Editor.can_edit_any() && !Role::Editor.can_manage_users());
        assert!(Role::Admin.can_manage_users());
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("overlord").is_err());
    }
}
