//! Articles: what a journalist types and the rules for publishing it.
//!
//! Over 500 lines with its tests, which pin each rule; the rules are one
//! subject: what an article is and when it is public.

use super::markdown::{plain_excerpt, plain_text, render_article};
use super::tag::parse_tags;
use super::time::parse_rfc3339;
use super::{FieldErrors, ValidationError, bounded_text};
use std::fmt;

pub const HEADLINE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 500;
pub const BODY_MAX: usize = 100_000;
pub const SLUG_MAX: usize = 80;
/// Length of the summary taken from the body when the journalist gives none.
pub const SUMMARY_FROM_BODY_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline(String);

impl Headline {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let text = bounded_text(raw, "The headline", 1, HEADLINE_MAX)?;
        // A headline is one line: newlines pasted from elsewhere are folded.
        Ok(Self(text.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary(String);

impl Summary {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(raw, "The summary", 0, SUMMARY_MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The article body in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleBody(String);

impl ArticleBody {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(raw, "The body", 1, BODY_MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The URL name of an article or tag: lower-case ASCII words joined by '-'.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    /// Accepts a slug typed by a journalist; it must already be in slug form.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let slug = raw.trim();
        if slug.is_empty() {
            return Err(ValidationError::new("The slug can't be empty."));
        }
        if slug.len() > SLUG_MAX {
            return Err(ValidationError::new(format!(
                "The slug can be at most {SLUG_MAX} characters."
            )));
        }
        let well_formed = slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
        if !well_formed {
            return Err(ValidationError::new(
                "A slug is lower-case letters and digits in words joined by single '-' (like tram-line-opens).",
            ));
        }
        Ok(Self(slug.to_owned()))
    }

    /// Derives a slug from any text: accents are dropped, everything that is
    /// not a letter or digit becomes a word break. Never empty.
    pub fn from_text(text: &str) -> Self {
        let mut slug = String::new();
        let mut pending_dash = false;
        for c in text.chars().flat_map(fold_to_ascii) {
            if c.is_ascii_alphanumeric() {
                let dash = pending_dash && !slug.is_empty();
                if slug.len() + usize::from(dash) + 1 > SLUG_MAX {
                    break;
                }
                if dash {
                    slug.push('-');
                }
                pending_dash = false;
                slug.push(c.to_ascii_lowercase());
            } else {
                pending_dash = true;
            }
        }
        let slug = slug.trim_end_matches('-').to_owned();
        if slug.is_empty() {
            Self("untitled".to_owned())
        } else {
            Self(slug)
        }
    }

    /// The n-th alternative when the slug is taken: `slug-2`, `slug-3`, …
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let keep = SLUG_MAX - suffix.len();
        let base = if self.0.len() > keep {
            self.0[..keep].trim_end_matches('-')
        } else {
            &self.0
        };
        Self(format!("{base}{suffix}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Maps common Latin letters with diacritics to ASCII so that "Zürich"
/// becomes "zurich" rather than "z-rich".
fn fold_to_ascii(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ě' => "e",
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => "i",
        'ł' | 'Ł' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => "",
    };
    let keep = folded.is_empty().then_some(c);
    folded.chars().chain(keep)
}

/// An article's content as parsed from what a journalist typed, with the
/// body rendered and sanitised once, here, rather than on every view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleContent {
    pub headline: String,
    pub summary: String,
    pub body_markdown: String,
    pub body_html: String,
    /// The body's words without markup, for search.
    pub body_text: String,
    /// (name, slug) in the order typed.
    pub tags: Vec<(String, String)>,
}

impl ArticleContent {
    /// Parses the fields of an article, recording each failure under
    /// "headline", "summary", "body" or "tags".
    pub fn parse<'a>(
        headline: &str,
        summary: &str,
        body: &str,
        tags: impl IntoIterator<Item = &'a str>,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        let headline = errors.check("headline", Headline::parse(headline));
        let summary = errors.check("summary", Summary::parse(summary));
        let body = errors.check("body", ArticleBody::parse(body));
        let tags = errors.check("tags", parse_tags(tags));
        let (headline, summary, body, tags) = (headline?, summary?, body?, tags?);
        // Lists always show a summary: without one, the body's opening serves.
        let summary = if summary.as_str().is_empty() {
            plain_excerpt(body.as_str(), SUMMARY_FROM_BODY_CHARS)
        } else {
            summary.0
        };
        Some(Self {
            headline: headline.0,
            summary,
            body_html: render_article(body.as_str()),
            body_text: plain_text(body.as_str()),
            body_markdown: body.0,
            tags: tags
                .iter()
                .map(|t| (t.name().to_owned(), t.slug().as_str().to_owned()))
                .collect(),
        })
    }
}

/// A change to when an article is public, as a desk button or an API
/// request asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// Live from this time: now, or later for a scheduled article.
    At(i64),
    /// Back to being a draft.
    Withdraw,
}

impl Publication {
    /// Scheduling is for the future; "now" is publishing, not scheduling.
    pub fn schedule(at: i64, now: i64) -> Result<Self, ValidationError> {
        if at > now {
            Ok(Publication::At(at))
        } else {
            Err(ValidationError::new(
                "Pick a time in the future, or publish now.",
            ))
        }
    }
}

/// Where an article stands in its life, derived from status and times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Scheduled,
    Published,
}

impl Stage {
    pub fn of(published: bool, published_at: Option<i64>, now: i64) -> Self {
        match (published, published_at) {
            (true, Some(at)) if at > now => Stage::Scheduled,
            (true, _) => Stage::Published,
            (false, _) => Stage::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::Scheduled => "Scheduled",
            Stage::Published => "Published",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_any_headline() {
        let cases = [
            (
                "City Council Approves New Tram Line",
                "city-council-approves-new-tram-line",
            ),
            ("Zürich: Café prices rise 5%", "zurich-cafe-prices-rise-5"),
            ("  --Hello,   World!--  ", "hello-world"),
            ("日本語", "untitled"),
            ("<script>alert(1)</script>", "script-alert-1-script"),
            ("", "untitled"),
        ];
        for (text, expected) in cases {
            assert_eq!(Slug::from_text(text).as_str(), expected, "from {text:?}");
        }
    }

    #[test]
    fn derived_slugs_are_always_valid_and_bounded() {
        let long = "word ".repeat(100);
        for text in ["a", "ÄÖÜ ß", "x-y", &long, "--", "a--b", "🙂 smile"] {
            let slug = Slug::from_text(text);
            assert!(Slug::parse(slug.as_str()).is_ok(), "{slug} from {text:?}");
            assert!(slug.as_str().len() <= SLUG_MAX);
            let suffixed = slug.with_suffix(12);
            assert!(Slug::parse(suffixed.as_str()).is_ok(), "{suffixed}");
        }
    }

    /// Property: for any text at all, the derived slug parses as a slug,
    /// fits the limit, and so does every suffixed alternative.
    #[test]
    fn any_text_gives_a_valid_slug() {
        let alphabet: Vec<char> = "aZ9 -_/.:éÜßæ日本🙂\t\n\u{0}\u{202e}<>&'\""
            .chars()
            .collect();
        for _ in 0..2_000 {
            let bytes = crate::auth::random_bytes::<64>();
            let len = usize::from(bytes[0]) % 200;
            let text: String = (0..len)
                .map(|i| alphabet[usize::from(bytes[1 + i % 63]) * (i + 1) % alphabet.len()])
                .collect();
            let slug = Slug::from_text(&text);
            assert!(Slug::parse(slug.as_str()).is_ok(), "{slug} from {text:?}");
            assert!(slug.as_str().len() <= SLUG_MAX);
            let suffixed = slug.with_suffix(u32::from(bytes[2]) + 2);
            assert!(Slug::parse(suffixed.as_str()).is_ok(), "{suffixed}");
        }
    }

    #[test]
    fn typed_slugs_must_be_in_slug_form() {
        assert!(Slug::parse("tram-line-opens").is_ok());
        for bad in [
            "",
            "Tram",
            "a--b",
            "-a",
            "a-",
            "a b",
            "a/b",
            &"a".repeat(81),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn headline_is_one_trimmed_line_with_a_limit() {
        assert_eq!(
            Headline::parse("  Two\n lines ").map(|h| h.0),
            Ok("Two lines".to_owned())
        );
        assert!(Headline::parse("   ").is_err());
        assert!(Headline::parse(&"h".repeat(HEADLINE_MAX + 1)).is_err());
        assert!(Headline::parse(&"é".repeat(HEADLINE_MAX)).is_ok());
    }

    #[test]
    fn content_parses_every_field_and_fills_an_empty_summary() {
        let mut errors = FieldErrors::default();
        let content = ArticleContent::parse(
            " Tram line opens ",
            "",
            "The *first* tram ran today.",
            ["Transport", " transport", "City"],
            &mut errors,
        )
        .expect("valid");
        assert!(errors.is_empty());
        assert_eq!(content.headline, "Tram line opens");
        assert_eq!(content.summary, "The first tram ran today.");
        assert!(content.body_html.contains("<em>first</em>"));
        assert_eq!(
            content.tags,
            [
                ("Transport".to_owned(), "transport".to_owned()),
                ("City".to_owned(), "city".to_owned())
            ]
        );
        let mut errors = FieldErrors::default();
        assert!(ArticleContent::parse("", "", "", ["!!"], &mut errors).is_none());
        for field in ["headline", "body", "tags"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn only_future_times_are_scheduled() {
        assert_eq!(Publication::schedule(11, 10), Ok(Publication::At(11)));
        assert!(Publication::schedule(10, 10).is_err());
    }

    #[test]
    fn stage_follows_status_and_time() {
        assert_eq!(Stage::of(false, None, 10), Stage::Draft);
        assert_eq!(Stage::of(true, Some(20), 10), Stage::Scheduled);
        assert_eq!(Stage::of(true, Some(10), 10), Stage::Published);
    }
}

/// An article as it stands, for working out what a request to change its
/// publication asks for.
#[derive(Debug, Clone, Copy)]
pub struct Current {
    pub stage: Stage,
    pub published_at: Option<i64>,
}

/// The change of publication that a requested stage and time (the API's
/// `status` and `publishedAt`) ask for.
/// Nothing asked publishes a new article when `publish_new` (the caller may
/// publish it) and leaves an existing one as it is. Sending back an
/// article's own status and time changes nothing. Problems are recorded
/// under "status" and "publish_at".
pub fn requested_publication(
    status: Option<Stage>,
    published_at: Option<&str>,
    current: Option<Current>,
    publish_new: bool,
    now: i64,
    errors: &mut FieldErrors,
) -> Option<Publication> {
    let at = match published_at {
        Some(raw) => Some(errors.check("publish_at", parse_rfc3339(raw))?),
        None => None,
    };
    let stage = current.map(|c| c.stage);
    let live_at = current
        .filter(|c| c.stage != Stage::Draft)
        .and_then(|c| c.published_at);
    match (status, at) {
        (Some(Stage::Draft), Some(_)) => {
            errors.add(
                "publish_at",
                "A draft has no publication time; leave publishedAt out.",
            );
            None
        }
        (Some(Stage::Draft), None) => stage
            .is_some_and(|s| s != Stage::Draft)
            .then_some(Publication::Withdraw),
        (Some(Stage::Scheduled), None) => {
            errors.add("publish_at", "Give the time to publish at.");
            None
        }
        (_, Some(at)) if Some(at) == live_at => None,
        (_, Some(at)) => errors.check("publish_at", Publication::schedule(at, now)),
        (Some(Stage::Published), None) => {
            (stage != Some(Stage::Published)).then_some(Publication::At(now))
        }
        (None, None) => (current.is_none() && publish_new).then_some(Publication::At(now)),
    }
}

#[cfg(test)]
mod requested_publication_tests {
    use super::*;

    fn ask(
        status: Option<Stage>,
        at: Option<&str>,
        current: Option<(Stage, Option<i64>)>,
        publish_new: bool,
    ) -> Result<Option<Publication>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let current = current.map(|(stage, published_at)| Current {
            stage,
            published_at,
        });
        let asked = requested_publication(status, at, current, publish_new, NOW, &mut errors);
        if errors.is_empty() {
            Ok(asked)
        } else {
            Err(errors)
        }
    }

    /// 2026-11-25T15:00:00Z
    const NOW: i64 = 1_795_618_800_000;
    const LATER: &str = "2026-11-26T15:00:00.000Z";
    const EARLIER: &str = "2026-11-24T15:00:00Z";

    #[test]
    fn new_articles_go_live_only_for_publishers_unless_told() {
        use Stage::*;
        assert_eq!(ask(None, None, None, true), Ok(Some(Publication::At(NOW))));
        assert_eq!(ask(None, None, None, false), Ok(None));
        assert_eq!(ask(Some(Draft), None, None, true), Ok(None));
        assert_eq!(
            ask(Some(Published), None, None, false),
            Ok(Some(Publication::At(NOW))),
            "asked for; the policy decides"
        );
        let later = NOW + 24 * 3_600_000;
        assert_eq!(
            ask(Some(Scheduled), Some(LATER), None, true),
            Ok(Some(Publication::At(later)))
        );
        assert_eq!(
            ask(None, Some(LATER), None, true),
            Ok(Some(Publication::At(later)))
        );
        for (status, at) in [
            (Some(Scheduled), None),
            (Some(Published), Some(EARLIER)),
            (Some(Draft), Some(LATER)),
            (None, Some("tomorrow")),
        ] {
            assert!(ask(status, at, None, true).is_err(), "{status:?} {at:?}");
        }
    }

    #[test]
    fn existing_articles_change_only_when_asked() {
        use Stage::*;
        let live = Some((Stage::Published, Some(NOW - 1_000)));
        let draft = Some((Stage::Draft, Some(NOW - 1_000)));
        assert_eq!(ask(None, None, live, true), Ok(None));
        assert_eq!(ask(Some(Published), None, live, true), Ok(None));
        assert_eq!(
            ask(
                Some(Published),
                Some("2026-11-25T14:59:59.000Z"),
                live,
                true
            ),
            Ok(None),
            "its own time sent back"
        );
        assert_eq!(
            ask(Some(Draft), None, live, true),
            Ok(Some(Publication::Withdraw))
        );
        assert_eq!(ask(Some(Draft), None, draft, true), Ok(None));
        assert_eq!(
            ask(Some(Published), None, draft, true),
            Ok(Some(Publication::At(NOW)))
        );
        assert!(
            ask(
                Some(Published),
                Some("2026-11-25T14:59:59.000Z"),
                draft,
                true
            )
            .is_err(),
            "an old time of a withdrawn article is in the past"
        );
    }
}
