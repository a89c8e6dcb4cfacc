//! What the extractor knows before reading an article: the site's own
//! person, organisation and place tags with their aliases (the first source
//! of truth), then the built-in gazetteer of countries, regions, cities and
//! international organisations.

use super::{Map, Set};
use crate::domain::tag::TagKind;
use std::sync::OnceLock;

const GAZETTEER: &str = include_str!("gazetteer.txt");

/// How a known entity was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Name,
    Alias,
    /// "French" for France: a mention, but a weaker one.
    Demonym,
}

#[derive(Debug, Clone)]
pub struct Known {
    pub name: String,
    pub kind: TagKind,
    /// The slug of the site's tag this is, when it is one.
    pub tag: Option<String>,
}

/// A site tag as knowledge: its name, kind and other names.
#[derive(Debug, Clone)]
pub struct TagEntry {
    pub name: String,
    pub slug: String,
    pub kind: TagKind,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    entries: Vec<Known>,
    keys: Map<String, (usize, Via)>,
    /// Every proper prefix (in words) of a key: "bosnia and".
    prefixes: Set<String>,
    /// Keys that only name something when written in capitals: "US" is
    /// the United States, "us" is not; "WHO" is an organisation.
    acronyms: Set<String>,
    /// The most words in a key.
    longest: usize,
}

/// The form names are compared in: lower case without accents ("São"
/// is "sao"), curly apostrophes straight, full stops and other punctuation
/// gone ("U.S." is "us"), one space between words.
pub fn key(text: &str) -> String {
    words_key(text.split_whitespace())
}

/// The key of a name given word by word: `key` of the words joined by
/// spaces, without joining them first.
pub fn words_key<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> String {
    let mut out = String::with_capacity(24);
    for word in words {
        push_key(&mut out, word.as_ref());
    }
    out
}

/// Appends one word's key to a key being built, with the space before it:
/// `key("a b")` is `key("a")` then `push_key(…, "b")`, so that a name can
/// be looked up word by word without keying it again.
pub fn push_key(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    // Most words are plain ASCII letters: no accents, no case mapping.
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in word.chars() {
        match c {
            '’' => out.push('\''),
            '\'' | '-' | '&' => out.push(c),
            c if c.is_alphanumeric() => {
                for lower in c.to_lowercase() {
                    out.push(without_accent(lower));
                }
            }
            _ => {}
        }
    }
}

/// The base letter of a lower-case Latin letter with an accent, so that
/// names match however they were typed.
fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

impl Knowledge {
    /// The gazetteer alone.
    pub fn builtin() -> &'static Knowledge {
        static BUILTIN: OnceLock<Knowledge> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut knowledge = Knowledge::default();
            for line in GAZETTEER.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let fields: Vec<&str> = line.split('|').map(str::trim).collect();
                let kind = match fields.first() {
                    Some(&"organisation") => TagKind::Organisation,
                    _ => TagKind::Place,
                };
                let Some(name) = fields.get(1).filter(|n| !n.is_empty()) else {
                    continue;
                };
                let list = |i: usize| {
                    fields
                        .get(i)
                        .map(|f| {
                            f.split(';')
                                .map(str::trim)
                                .filter(|a| !a.is_empty())
                                .collect::<Vec<&str>>()
                        })
                        .unwrap_or_default()
                };
                knowledge.add(
                    Known {
                        name: (*name).to_owned(),
                        kind,
                        tag: None,
                    },
                    &list(2),
                    &list(3),
                );
            }
            knowledge
        })
    }

    /// The gazetteer with the site's tags over it: where a tag and the
    /// gazetteer share a name, the tag's kind and name win.
    pub fn with_tags(tags: &[TagEntry]) -> Knowledge {
        let mut knowledge = Self::builtin().clone();
        for tag in tags {
            let aliases: Vec<&str> = tag.aliases.iter().map(String::as_str).collect();
            knowledge.add(
                Known {
                    name: tag.name.clone(),
                    kind: tag.kind,
                    tag: Some(tag.slug.clone()),
                },
                &aliases,
                &[],
            );
        }
        knowledge
    }

    fn add(&mut self, known: Known, aliases: &[&str], demonyms: &[&str]) {
        let index = self.entries.len();
        let names = std::iter::once((known.name.as_str(), Via::Name))
            .chain(aliases.iter().map(|a| (*a, Via::Alias)))
            .chain(demonyms.iter().map(|d| (*d, Via::Demonym)));
        for (name, via) in names {
            let name_key = key(name);
            if name_key.is_empty() {
                continue;
            }
            let words: Vec<&str> = name_key.split(' ').collect();
            self.longest = self.longest.max(words.len());
            for end in 1..words.len() {
                self.prefixes.insert(words[..end].join(" "));
            }
            let letters = name.chars().filter(|c| c.is_alphabetic());
            if letters.clone().count() <= 6 && letters.clone().all(char::is_uppercase) {
                self.acronyms.insert(name_key.clone());
            } else {
                self.acronyms.remove(&name_key);
            }
            self.keys.insert(name_key, (index, via));
        }
        self.entries.push(known);
    }

    pub fn lookup(&self, key: &str) -> Option<(usize, Via)> {
        self.keys.get(key).copied()
    }

    /// Whether a key names something only when written in capitals.
    pub fn needs_capitals(&self, key: &str) -> bool {
        self.acronyms.contains(key)
    }

    pub fn entry(&self, index: usize) -> &Known {
        &self.entries[index]
    }

    /// Whether some known name goes on from these words ("bosnia and").
    pub fn continues(&self, key: &str) -> bool {
        self.prefixes.contains(key)
    }

    pub fn longest(&self) -> usize {
        self.longest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gazetteer_reads_names_aliases_and_demonyms() {
        let known = Knowledge::builtin();
        let (us, via) = known.lookup(&key("U.S.")).expect("US");
        assert_eq!(known.entry(us).name, "United States");
        assert_eq!(via, Via::Alias);
        let (france, via) = known.lookup("french").expect("French");
        assert_eq!(known.entry(france).name, "France");
        assert_eq!(via, Via::Demonym);
        let (who, _) = known.lookup("who").expect("WHO");
        assert_eq!(known.entry(who).kind, TagKind::Organisation);
        assert_eq!(key("São  Paulo’s"), "sao paulo's");
        assert!(known.needs_capitals("who"));
        assert!(known.needs_capitals("us"));
        assert!(!known.needs_capitals("france"));
        assert!(known.continues("bosnia and"));
        assert!(known.lookup("bosnia and herzegovina").is_some());
        assert!(Knowledge::builtin().entries.len() > 500);
    }

    #[test]
    fn site_tags_come_first() {
        let tags = [TagEntry {
            name: "Georgia Reyes".to_owned(),
            slug: "georgia-reyes".to_owned(),
            kind: TagKind::Person,
            aliases: vec!["Georgia".to_owned(), "Reyes".to_owned()],
        }];
        let known = Knowledge::with_tags(&tags);
        let (georgia, _) = known.lookup("georgia").expect("Georgia");
        assert_eq!(known.entry(georgia).kind, TagKind::Person);
        assert_eq!(known.entry(georgia).tag.as_deref(), Some("georgia-reyes"));
        assert!(Knowledge::builtin().lookup("reyes").is_none());
    }
}
