//! Keyset pagination: a page ends at an article, and the next page starts
//! strictly after it in (published_at, id) order. No OFFSET scans.

/// The position after which the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub id: i64,
}

impl Cursor {
    /// Reads `?before=…`; anything malformed means "from the start".
    pub fn decode(raw: &str) -> Option<Self> {
        let (at, id) = raw.split_once('.')?;
        Some(Self {
            published_at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    pub fn encode(self) -> String {
        format!("{}.{}", self.published_at, self.id)
    }
}

pub const PAGE_SIZE: i64 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_ignored() {
        let cursor = Cursor {
            published_at: 1_764_000_000_000,
            id: 42,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for junk in [
            "",
            "x",
            "1.",
            ".1",
            "1.2.3",
            "a.b",
            "99999999999999999999.1",
        ] {
            assert_eq!(Cursor::decode(junk), None, "{junk:?}");
        }
    }
}
