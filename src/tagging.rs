//! Automatic tags in the product: the extractor fed with the site's own
//! tags, its findings turned into suggestions for an article (leaving out
//! the tags it has and the suggestions turned down for it), and the
//! setting that applies confident ones on publish. The desk, the API, the
//! CLI backfill and `newsroom tags suggest` all come through here.

use crate::domain::entities::{Document, Entity, Knowledge, extract, knowledge::key};
use crate::domain::markdown::plain_blocks;
use crate::domain::tag::{TagKind, TagName};
use crate::store::{Store, StoreError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most suggestions the desk shows.
pub const SUGGESTIONS_SHOWN: usize = 12;

/// How long an instance reuses what it knows of the site's tags. Tags
/// edited on this instance take effect at once; on other instances behind
/// the same database, within this time.
const KNOWLEDGE_TTL: Duration = Duration::from_secs(30);

/// A tag the extractor proposes for an article.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    pub name: String,
    pub slug: String,
    pub kind: TagKind,
    /// Between 0 and 1: how surely the article is about it.
    pub confidence: f64,
    pub score: f64,
    pub mentions: u32,
    /// Other ways the article wrote it.
    pub aliases: Vec<String>,
    /// The comparison key a rejection is remembered by.
    #[serde(skip)]
    pub key: String,
}

/// What an article says, as stored or as typed.
#[derive(Debug, Clone, Copy)]
pub struct ArticleText<'a> {
    pub headline: &'a str,
    pub summary: &'a str,
    pub body_markdown: &'a str,
}

#[derive(Debug, Default)]
pub struct Tagger {
    cached: Mutex<Option<(Instant, Arc<Knowledge>)>>,
}

impl Tagger {
    /// The gazetteer with the site's person, organisation and place tags.
    pub async fn knowledge(&self, store: &Store) -> Result<Arc<Knowledge>, StoreError> {
        if let Ok(cached) = self.cached.lock()
            && let Some((at, knowledge)) = cached.as_ref()
            && at.elapsed() < KNOWLEDGE_TTL
        {
            return Ok(knowledge.clone());
        }
        let tags = store.entity_tags().await?;
        let knowledge = Arc::new(Knowledge::with_tags(&tags));
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((Instant::now(), knowledge.clone()));
        }
        Ok(knowledge)
    }

    /// Forgets what it knew: a tag's kind or aliases changed.
    pub fn forget(&self) {
        if let Ok(mut cached) = self.cached.lock() {
            *cached = None;
        }
    }
}

/// The entities of an article, most salient first. Runs on a blocking
/// thread: a long article takes milliseconds of CPU.
pub async fn entities(text: ArticleText<'_>, knowledge: Arc<Knowledge>) -> Vec<Entity> {
    let headline = text.headline.to_owned();
    let summary = text.summary.to_owned();
    let body = text.body_markdown.to_owned();
    crate::telemetry::spawn_blocking_in_span(move || {
        entities_now(&headline, &summary, &body, &knowledge)
    })
    .await
    .unwrap_or_default()
}

/// The same, on this thread.
pub fn entities_now(
    headline: &str,
    summary: &str,
    body_markdown: &str,
    knowledge: &Knowledge,
) -> Vec<Entity> {
    let body = plain_blocks(body_markdown);
    // A summary made from the body's opening would count that opening
    // twice.
    let opening = summary.trim_end_matches('…').trim();
    let summary = if body.starts_with(opening) {
        ""
    } else {
        summary
    };
    extract(
        &Document {
            headline,
            summary,
            body: &body,
        },
        knowledge,
    )
}

/// An entity as a tag: its name, and the slug of the site's tag it is or
/// would be. `None` when the name cannot be a tag (too long, say).
fn as_tag(entity: &Entity) -> Option<(TagName, String)> {
    let tag = TagName::parse(&entity.name).ok()?;
    let slug = entity
        .tag
        .clone()
        .unwrap_or_else(|| tag.slug().as_str().to_owned());
    Some((tag, slug))
}

/// Suggestions from entities: those that can be tags, not among the
/// article's tags (by slug) and not turned down (by key), best first.
pub fn suggestions(
    entities: &[Entity],
    tag_slugs: &[String],
    rejected: &[String],
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    for entity in entities {
        let Some((tag, slug)) = as_tag(entity) else {
            continue;
        };
        let name_key = key(&entity.name);
        if tag_slugs.contains(&slug)
            || rejected.contains(&name_key)
            || out.iter().any(|s| s.slug == slug)
        {
            continue;
        }
        out.push(Suggestion {
            name: tag.name().to_owned(),
            slug,
            kind: entity.kind,
            confidence: entity.confidence(),
            score: entity.score,
            mentions: entity.mentions,
            aliases: entity.aliases.clone(),
            key: name_key,
        });
    }
    out
}

/// The kinds the extractor gives the article's tags, for tags nobody has
/// classified yet: typing "France" as a tag makes it a place.
pub fn kinds_of_tags(entities: &[Entity], tags: &[(String, String)]) -> Vec<(String, TagKind)> {
    tags.iter()
        .filter_map(|(_, slug)| {
            entities.iter().find_map(|entity| {
                let (_, entity_slug) = as_tag(entity)?;
                (entity_slug == *slug).then(|| (slug.clone(), entity.kind))
            })
        })
        .collect()
}
