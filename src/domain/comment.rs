//! Comments: a Markdown subset from readers, one level of replies.

use super::{ValidationError, bounded_text};

pub const COMMENT_MAX: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(raw, "A comment", 1, COMMENT_MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_length_is_checked_in_characters() {
        assert!(CommentBody::parse("  ").is_err());
        assert!(CommentBody::parse(&"ü".repeat(COMMENT_MAX)).is_ok());
        let too_long = CommentBody::parse(&"a".repeat(COMMENT_MAX + 1));
        assert!(too_long.is_err_and(|e| e.0.contains("at most 5000")));
    }
}
