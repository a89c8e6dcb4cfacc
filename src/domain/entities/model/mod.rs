//! A learned name tagger: an averaged perceptron that reads a paragraph
//! word by word, left to right, and tags each word as outside any name or
//! as beginning or inside the name of a person, an organisation, a place
//! or something else (a nationality, an event, a competition).
//!
//! Its weights (`weights.bin`, embedded) were learned by
//! `examples/train_entity_model.rs` from the CoNLL-2003 training split
//! with the CoNLL++ labels; see the README for where that data comes from.
//! Only the hashed features' weights are shipped, not the text.

mod features;
#[cfg(any(test, feature = "test-support"))]
pub mod train;

pub use features::{DocumentWords, Memory, Paragraph};

use super::Map;
use super::lexicon::Lexicon;
use crate::domain::tag::TagKind;
use std::sync::OnceLock;

/// What a tagged name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Person,
    Organisation,
    Place,
    /// Nationalities, events, competitions: names, but not tags.
    Other,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Person,
        Class::Organisation,
        Class::Place,
        Class::Other,
    ];

    pub fn kind(self) -> Option<TagKind> {
        match self {
            Class::Person => Some(TagKind::Person),
            Class::Organisation => Some(TagKind::Organisation),
            Class::Place => Some(TagKind::Place),
            Class::Other => None,
        }
    }

    fn index(self) -> u8 {
        match self {
            Class::Person => 0,
            Class::Organisation => 1,
            Class::Place => 2,
            Class::Other => 3,
        }
    }

    pub fn begin(self) -> u8 {
        1 + 2 * self.index()
    }

    pub fn inside(self) -> u8 {
        2 + 2 * self.index()
    }
}

/// Tags are numbers: 0 outside, then begin and inside for each class.
pub const TAGS: usize = 9;
pub const OUTSIDE: u8 = 0;

fn class_of(tag: u8) -> Option<u8> {
    (tag != OUTSIDE).then(|| (tag - 1) / 2)
}

pub fn is_inside(tag: u8) -> bool {
    tag != OUTSIDE && tag.is_multiple_of(2)
}

/// Whether `tag` may follow `previous`: inside a name only after its start.
fn allowed(previous: u8, tag: u8) -> bool {
    !is_inside(tag) || class_of(previous) == class_of(tag)
}

/// Tags a paragraph. `choose` is given each decided word's index,
/// features and the tags allowed there, and returns the tag; the trainer
/// and the shipped model differ only in it.
pub fn tag_paragraph(
    paragraph: &Paragraph,
    document: &DocumentWords,
    memory: &mut Memory,
    lexicon: &'static Lexicon,
    mut choose: impl FnMut(usize, &[u32], [bool; TAGS]) -> u8,
) -> Vec<u8> {
    let count = paragraph.tokens.len();
    let mut tags = vec![OUTSIDE; count];
    let mut features = Vec::with_capacity(64);
    let mut open: Option<usize> = None;
    let mut previous = [OUTSIDE; 2];
    for i in 0..count {
        let tag = if paragraph.decides(i, previous[0]) {
            paragraph.features(i, previous, document, memory, lexicon, &mut features);
            let permitted = std::array::from_fn(|t| allowed(previous[0], t as u8));
            choose(i, &features, permitted)
        } else {
            OUTSIDE
        };
        tags[i] = tag;
        if !is_inside(tag) {
            if let Some(start) = open.take() {
                features::remember(paragraph, start, i, tags[start], memory);
            }
            if tag != OUTSIDE {
                open = Some(i);
            }
        }
        // Punctuation inside a paragraph does not push words out of view.
        if paragraph.tokens[i].is_word() || tag != OUTSIDE {
            previous = [tag, previous[0]];
        }
    }
    if let Some(start) = open {
        features::remember(paragraph, start, count, tags[start], memory);
    }
    tags
}

/// The best permitted tag for these scores, and its lead over the next.
pub fn best(scores: &[f32; TAGS], permitted: [bool; TAGS]) -> (u8, f32) {
    let mut best = (OUTSIDE, f32::NEG_INFINITY);
    let mut second = f32::NEG_INFINITY;
    for (tag, &score) in scores.iter().enumerate() {
        if !permitted[tag] {
            continue;
        }
        if score > best.1 {
            second = best.1;
            best = (tag as u8, score);
        } else if score > second {
            second = score;
        }
    }
    (best.0, best.1 - second)
}

/// A name the model found: token range (end exclusive), class and how
/// sure it was (the least lead of its words' tags over the next best).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub class: Class,
    pub margin: f32,
}

/// The shipped weights: for each feature hash, one weight per tag.
pub struct Model {
    weights: Map<u32, [i16; TAGS]>,
    scale: f32,
}

const MAGIC: &[u8; 4] = b"NRP1";

impl Model {
    pub fn get() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Model::from_bytes(include_bytes!("weights.bin")).expect("the embedded model is valid")
        })
    }

    /// Reads weights: magic, count (u32), scale (f32), then per feature
    /// its hash (u32) and one i16 per tag, all little-endian.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let header = bytes.get(..12).ok_or("model too short")?;
        if &header[..4] != MAGIC {
            return Err("not a model file".into());
        }
        let word = |at: usize| [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        let count = u32::from_le_bytes(word(4)) as usize;
        let scale = f32::from_le_bytes(word(8));
        let record = 4 + 2 * TAGS;
        if bytes.len() != 12 + count * record {
            return Err("model size does not match its count".into());
        }
        let mut weights = Map::with_capacity_and_hasher(count, Default::default());
        for chunk in bytes[12..].chunks_exact(record) {
            let hash = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let values =
                std::array::from_fn(|t| i16::from_le_bytes([chunk[4 + 2 * t], chunk[5 + 2 * t]]));
            weights.insert(hash, values);
        }
        Ok(Model { weights, scale })
    }

    pub fn scores(&self, features: &[u32]) -> [f32; TAGS] {
        let mut sum = [0i32; TAGS];
        for feature in features {
            if let Some(weights) = self.weights.get(feature) {
                for (s, &w) in sum.iter_mut().zip(weights) {
                    *s += i32::from(w);
                }
            }
        }
        sum.map(|s| s as f32 * self.scale)
    }

    /// The names in a paragraph.
    pub fn names(
        &self,
        paragraph: &Paragraph,
        document: &DocumentWords,
        memory: &mut Memory,
        lexicon: &'static Lexicon,
    ) -> Vec<Span> {
        let mut margins = vec![f32::INFINITY; paragraph.tokens.len()];
        let tags = tag_paragraph(
            paragraph,
            document,
            memory,
            lexicon,
            |i, features, permitted| {
                let (tag, margin) = best(&self.scores(features), permitted);
                margins[i] = margin;
                tag
            },
        );
        spans(&tags, &margins)
    }
}

/// Per token: the class index (0 to 3) of the name it is in, or 4.
pub fn class_index(tag: u8) -> usize {
    class_of(tag).map_or(4, usize::from)
}

/// The tags spans came from, for `count` tokens, and each token's
/// margin (infinite outside names).
pub fn tags(spans: &[Span], count: usize) -> (Vec<u8>, Vec<f32>) {
    let mut tags = vec![OUTSIDE; count];
    let mut margins = vec![f32::INFINITY; count];
    for span in spans {
        tags[span.start] = span.class.begin();
        for tag in &mut tags[span.start + 1..span.end] {
            *tag = span.class.inside();
        }
        for margin in &mut margins[span.start..span.end] {
            *margin = span.margin;
        }
    }
    (tags, margins)
}

/// Tags to spans.
pub fn spans(tags: &[u8], margins: &[f32]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (i, &tag) in tags.iter().enumerate() {
        let Some(class) = class_of(tag) else { continue };
        if is_inside(tag)
            && let Some(last) = out.last_mut().filter(|s| s.end == i)
        {
            last.end = i + 1;
            last.margin = last.margin.min(margins[i]);
            continue;
        }
        out.push(Span {
            start: i,
            end: i + 1,
            class: Class::ALL[class as usize],
            margin: margins[i],
        });
    }
    out
}
