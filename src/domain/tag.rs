//! Tags: names typed by journalists, created on first use.

use super::ValidationError;
use super::article::Slug;

pub const TAG_NAME_MAX: usize = 40;
pub const TAGS_PER_ARTICLE_MAX: usize = 20;

/// What a tag names: a subject, or one of the kinds of entity the
/// extractor finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagKind {
    #[default]
    Topic,
    Person,
    Organisation,
    Place,
}

impl TagKind {
    pub const ALL: [TagKind; 4] = [
        TagKind::Topic,
        TagKind::Person,
        TagKind::Organisation,
        TagKind::Place,
    ];

    /// The word stored in the database and used in forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Topic => "topic",
            TagKind::Person => "person",
            TagKind::Organisation => "organisation",
            TagKind::Place => "place",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw.trim())
            .ok_or_else(|| {
                ValidationError::new("A tag is a topic, a person, an organisation or a place.")
            })
    }

    /// The word readers see: "Person".
    pub fn label(self) -> &'static str {
        match self {
            TagKind::Topic => "Topic",
            TagKind::Person => "Person",
            TagKind::Organisation => "Organisation",
            TagKind::Place => "Place",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagName {
    name: String,
    slug: Slug,
}

impl TagName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = super::without_controls(raw)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            return Err(ValidationError::new("A tag can't be empty."));
        }
        if name.chars().count() > TAG_NAME_MAX {
            return Err(ValidationError::new(format!(
                "The tag \"{name}\" is longer than {TAG_NAME_MAX} characters."
            )));
        }
        // The desk types tags as one comma-separated line.
        if name.contains(',') {
            return Err(ValidationError::new(format!(
                "The tag \"{name}\" can't contain a comma."
            )));
        }
        if !name.chars().any(|c| c.is_alphanumeric()) {
            return Err(ValidationError::new(format!(
                "The tag \"{name}\" needs at least one letter or digit."
            )));
        }
        let slug = Slug::from_text(&name);
        Ok(Self { name, slug })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn slug(&self) -> &Slug {
        &self.slug
    }
}

/// Appends `more` (name, slug) tags after `tags`, skipping slugs already
/// there, until an article carries the most it may; returns how many were
/// added.
pub fn append_tags(tags: &mut Vec<(String, String)>, more: &[(String, String)]) -> usize {
    let before = tags.len();
    for tag in more {
        if tags.len() >= TAGS_PER_ARTICLE_MAX {
            break;
        }
        if !tags.iter().any(|(_, slug)| *slug == tag.1) {
            tags.push(tag.clone());
        }
    }
    tags.len() - before
}

/// Parses "Politics, City Hall, politics" into distinct tags in typed order;
/// two names with the same slug are one tag.
pub fn parse_tag_list(raw: &str) -> Result<Vec<TagName>, ValidationError> {
    parse_tags(raw.split(','))
}

/// Parses tag names into distinct tags in the order given, skipping blank
/// names; two names with the same slug are one tag.
pub fn parse_tags<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<TagName>, ValidationError> {
    let mut tags: Vec<TagName> = Vec::new();
    for part in names {
        if part.trim().is_empty() {
            continue;
        }
        let tag = TagName::parse(part)?;
        if !tags.iter().any(|t| t.slug == tag.slug) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_PER_ARTICLE_MAX {
        return Err(ValidationError::new(format!(
            "An article can have at most {TAGS_PER_ARTICLE_MAX} tags."
        )));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lists_are_split_trimmed_and_deduplicated() {
        let tags = parse_tag_list(" Politics, City  Hall,,politics , Zürich").expect("valid");
        let names: Vec<_> = tags.iter().map(|t| (t.name(), t.slug().as_str())).collect();
        assert_eq!(
            names,
            [
                ("Politics", "politics"),
                ("City Hall", "city-hall"),
                ("Zürich", "zurich")
            ]
        );
    }

    #[test]
    fn bad_tag_lists_are_rejected_with_a_reason() {
        assert!(parse_tag_list(&"x".repeat(41)).is_err());
        assert!(parse_tag_list("!!!").is_err());
        let list = |n: usize| {
            (0..n)
                .map(|i| format!("t{i}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        assert!(parse_tag_list(&list(TAGS_PER_ARTICLE_MAX)).is_ok());
        assert!(parse_tag_list(&list(TAGS_PER_ARTICLE_MAX + 1)).is_err());
        for kind in TagKind::ALL {
            assert_eq!(TagKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(TagKind::parse("planet").is_err());
    }

    #[test]
    fn appended_tags_skip_repeats_and_stop_at_the_most() {
        let tag = |n: usize| (format!("T{n}"), format!("t{n}"));
        let mut tags = vec![tag(0)];
        assert_eq!(append_tags(&mut tags, &[tag(0), tag(1), tag(1)]), 1);
        assert_eq!(tags, [tag(0), tag(1)]);
        let many: Vec<_> = (0..30).map(tag).collect();
        assert_eq!(append_tags(&mut tags, &many), TAGS_PER_ARTICLE_MAX - 2);
        assert_eq!(tags.len(), TAGS_PER_ARTICLE_MAX);
        assert_eq!(parse_tag_list("  ,  ").map(|t| t.len()), Ok(0));
        assert!(parse_tags(["a, b"]).is_err(), "a list item is one tag");
    }
}
