//! Search input and output as the rest of the site sees it: any text a
//! reader types becomes a list of plain words (never an operator, so no
//! query can fail or be abused), and snippets come back as text with
//! highlighted stretches.

use super::FieldErrors;
use super::tag::TagName;
use super::time::parse_date;

/// Words after this many are ignored: a longer question finds nothing more
/// useful, and a bounded query keeps its cost bounded.
pub const MAX_WORDS: usize = 12;
/// Longer "words" are cut: no real word is this long.
pub const MAX_WORD_CHARS: usize = 40;

/// Marks the start of a highlighted stretch in a snippet from the store.
/// Control characters never occur in stored text (the domain drops them),
/// so they cannot be confused with content.
pub const HIGHLIGHT_START: char = '\u{2}';
pub const HIGHLIGHT_END: char = '\u{3}';

/// What a reader searched for, as words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// Letters and digits in any script make words; everything else
    /// (quotes, operators, brackets, emoji) only separates them.
    pub fn parse(raw: &str) -> Self {
        let mut words: Vec<String> = Vec::new();
        for word in raw.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let word: String = word
                .chars()
                .take(MAX_WORD_CHARS)
                .collect::<String>()
                .to_lowercase();
            if !words.contains(&word) {
                words.push(word);
            }
            if words.len() == MAX_WORDS {
                break;
            }
        }
        Self { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The words separated by spaces.
    pub fn text(&self) -> String {
        self.words.join(" ")
    }

    /// An SQLite FTS5 query that matches documents holding every word: each
    /// word is a quoted string, so nothing in it is read as syntax.
    pub fn fts5(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Where a page of search results ended. Hits are ordered by score (lower
/// is more relevant), then newest id first; the next page starts after
/// this one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchCursor {
    pub score: f64,
    pub id: i64,
}

impl SearchCursor {
    /// `score_id`, with the score written so that it reads back exactly.
    pub fn encode(self) -> String {
        format!("{}_{}", self.score, self.id)
    }

    /// Anything that is not a cursor we wrote reads as none: the first page.
    pub fn decode(raw: &str) -> Option<Self> {
        let (score, id) = raw.rsplit_once('_')?;
        let score: f64 = score.parse().ok().filter(|s: &f64| s.is_finite())?;
        Some(Self {
            score,
            id: id.parse().ok()?,
        })
    }
}

/// What narrows a search besides its words, as typed; `parse` checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterInput<'a> {
    pub tag: Option<&'a str>,
    pub author: Option<&'a str>,
    /// A day (YYYY-MM-DD): published on or after it.
    pub from: Option<&'a str>,
    /// A day (YYYY-MM-DD): published on or before it.
    pub to: Option<&'a str>,
}

/// Parsed filters, ready for the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub tag_slug: Option<String>,
    pub author: Option<String>,
    pub from: Option<i64>,
    /// Exclusive: the start of the day after `to`.
    pub until: Option<i64>,
}

const DAY_MILLIS: i64 = 24 * 3_600_000;

impl FilterInput<'_> {
    /// Empty fields filter nothing. A tag is found by name or slug (both
    /// give its slug); errors are recorded under "tag", "from" and "to".
    pub fn parse(&self, errors: &mut FieldErrors) -> Filters {
        fn given(value: Option<&str>) -> Option<&str> {
            value.map(str::trim).filter(|v| !v.is_empty())
        }
        let tag_slug = given(self.tag).and_then(|tag| {
            errors
                .check("tag", TagName::parse(tag))
                .map(|t| t.slug().as_str().to_owned())
        });
        let from = given(self.from).and_then(|d| errors.check("from", parse_date(d)));
        let until = given(self.to)
            .and_then(|d| errors.check("to", parse_date(d)))
            .map(|day| day + DAY_MILLIS);
        if let (Some(from), Some(until)) = (from, until)
            && from >= until
        {
            errors.add("to", "The end date comes before the start date.");
        }
        Filters {
            tag_slug,
            author: given(self.author).map(str::to_lowercase),
            from,
            until,
        }
    }
}

/// A stretch of snippet text, highlighted when it matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub highlighted: bool,
}

/// Splits text whose matches are wrapped in `HIGHLIGHT_START` and
/// `HIGHLIGHT_END` into parts. Unbalanced markers end or start a stretch
/// where they stand; they never reach the output.
pub fn snippet_parts(marked: &str) -> Vec<SnippetPart> {
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut highlighted = false;
    let mut text = String::new();
    let flush = |text: &mut String, highlighted: bool, parts: &mut Vec<SnippetPart>| {
        if !text.is_empty() {
            parts.push(SnippetPart {
                text: std::mem::take(text),
                highlighted,
            });
        }
    };
    for c in marked.chars() {
        match c {
            HIGHLIGHT_START => {
                flush(&mut text, highlighted, &mut parts);
                highlighted = true;
            }
            HIGHLIGHT_END => {
                flush(&mut text, highlighted, &mut parts);
                highlighted = false;
            }
            other => text.push(other),
        }
    }
    flush(&mut text, highlighted, &mut parts);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_becomes_plain_words() {
        let cases: [(&str, &[&str]); 8] = [
            ("Tram line", &["tram", "line"]),
            ("\"tram\" AND (line OR", &["tram", "and", "line", "or"]),
            ("NEAR(a b) * ^ - : {x}", &["near", "a", "b", "x"]),
            ("🙂 café Zürich 東京", &["café", "zürich", "東京"]),
            ("   ", &[]),
            ("'; DROP TABLE articles; --", &["drop", "table", "articles"]),
            ("tram tram Tram", &["tram"]),
            ("a\u{0}b", &["a", "b"]),
        ];
        for (raw, words) in cases {
            assert_eq!(SearchQuery::parse(raw).words(), words, "{raw:?}");
        }
    }

    #[test]
    fn long_queries_are_bounded() {
        let ten_kilobytes = "word ".repeat(2_000) + &"x".repeat(10_000);
        let query = SearchQuery::parse(&ten_kilobytes);
        assert_eq!(
            query.words(),
            ["word".to_owned(), "x".repeat(MAX_WORD_CHARS)]
        );
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(SearchQuery::parse(&many).words().len(), MAX_WORDS);
        let long = SearchQuery::parse(&"y".repeat(500));
        assert_eq!(long.words()[0].chars().count(), MAX_WORD_CHARS);
    }

    #[test]
    fn fts5_queries_quote_every_word() {
        assert_eq!(SearchQuery::parse("Tram, line").fts5(), "\"tram\" \"line\"");
    }

    #[test]
    fn cursors_read_back_exactly_and_junk_is_none() {
        let cursor = SearchCursor {
            score: -12.345_678_901_234_567,
            id: 42,
        };
        assert_eq!(SearchCursor::decode(&cursor.encode()), Some(cursor));
        for junk in ["", "x", "1_", "_1", "NaN_1", "inf_2", "1.5_x", "1_2_3"] {
            assert_eq!(SearchCursor::decode(junk), None, "{junk}");
        }
    }

    #[test]
    fn filters_parse_or_say_what_is_wrong() {
        let mut errors = FieldErrors::default();
        let filters = FilterInput {
            tag: Some("City Hall"),
            author: Some(" Ann "),
            from: Some("2026-11-01"),
            to: Some("2026-11-01"),
        }
        .parse(&mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(filters.tag_slug.as_deref(), Some("city-hall"));
        assert_eq!(filters.author.as_deref(), Some("ann"));
        assert_eq!(
            filters.until.zip(filters.from).map(|(u, f)| u - f),
            Some(DAY_MILLIS),
            "a whole day"
        );
        let mut errors = FieldErrors::default();
        FilterInput {
            tag: Some("!!!"),
            from: Some("2026-11-02"),
            to: Some("2026-11-01"),
            ..FilterInput::default()
        }
        .parse(&mut errors);
        assert!(errors.get("tag").is_some() && errors.get("to").is_some());
        let mut errors = FieldErrors::default();
        assert_eq!(
            FilterInput {
                tag: Some(" "),
                ..FilterInput::default()
            }
            .parse(&mut errors),
            Filters::default()
        );
    }

    #[test]
    fn snippets_split_at_markers() {
        let parts = snippet_parts("The \u{2}tram\u{3} line \u{2}opens");
        let view: Vec<(&str, bool)> = parts
            .iter()
            .map(|p| (p.text.as_str(), p.highlighted))
            .collect();
        assert_eq!(
            view,
            [
                ("The ", false),
                ("tram", true),
                (" line ", false),
                ("opens", true)
            ]
        );
        assert!(snippet_parts("").is_empty());
        assert_eq!(snippet_parts("\u{3}x")[0].text, "x");
    }
}
