//! Automatic tags: the people, organisations and places an article is
//! about, found offline in its headline, summary and body.
//!
//! Reading (`extract`) finds mentions: runs of capitalised words, cut at
//! titles and known names, with the clues around them. Resolving
//! (`resolve`) decides which mentions are one entity, what kind it is and
//! how much the article is about it. `knowledge` holds what is known
//! beforehand: the site's tags, then a built-in gazetteer.

/// Reads labelled articles, for the evaluation test and bench only.
#[cfg(any(test, feature = "test-support"))]
pub mod evaluation;
mod extract;
pub mod knowledge;
mod lexicon;
pub mod model;
mod resolve;
mod text;

use crate::domain::tag::TagKind;
pub use knowledge::{Knowledge, TagEntry};

/// Maps and sets with a fast hasher (randomly seeded): the extractor looks
/// every word up several times, and SipHash was a fifth of its time.
type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type Set<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// An article as the extractor reads it: plain text, paragraphs separated
/// by blank lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Document<'a> {
    pub headline: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entity {
    pub name: String,
    pub kind: TagKind,
    /// How much the article is about it: each mention counts 3 in the
    /// headline, 2 in the summary or first paragraph and 1 after that; a
    /// demonym ("French") counts half, and only for a place the text names.
    pub score: f64,
    pub mentions: u32,
    /// Other ways the article wrote it: "Merkel" for Angela Merkel.
    pub aliases: Vec<String>,
    /// The slug of the site's tag it is, when it is one already.
    pub tag: Option<String>,
}

impl Entity {
    /// The score as a number between 0 and 1: one passing mention is about
    /// 0.28, a name in the headline and lead mentioned twice more is 0.9.
    pub fn confidence(&self) -> f64 {
        1.0 - (-self.score / 3.0).exp()
    }
}

/// The entities of a document, most salient first.
pub fn extract(document: &Document, knowledge: &Knowledge) -> Vec<Entity> {
    let lexicon = lexicon::Lexicon::get();
    let mut paragraphs = document
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let mut lead: Vec<&str> = Vec::with_capacity(2);
    if !document.summary.trim().is_empty() {
        lead.push(document.summary.trim());
    }
    lead.extend(paragraphs.next());
    let body: Vec<&str> = paragraphs.collect();
    let reading = extract::read(document.headline, &lead, &body, knowledge, lexicon);
    resolve::resolve(reading, knowledge, lexicon)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(headline: &str, body: &str) -> Vec<Entity> {
        extract(
            &Document {
                headline,
                summary: "",
                body,
            },
            Knowledge::builtin(),
        )
    }

    fn names(entities: &[Entity]) -> Vec<(&str, TagKind)> {
        entities.iter().map(|e| (e.name.as_str(), e.kind)).collect()
    }

    fn find<'e>(entities: &'e [Entity], name: &str) -> &'e Entity {
        entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} not in {:?}", names(entities)))
    }

    #[test]
    fn surnames_titles_and_possessives_join_the_full_name() {
        let entities = found(
            "Merkel Meets Macron",
            "Chancellor Angela Merkel met French President Emmanuel Macron in Paris on Monday.\n\n\
             Merkel's aides said the talks went well. Macron's Africa adviser, Ms Claire Dubois, \
             joined them. Later, trade commissioner Valdis Dombrovskis spoke.",
        );
        let merkel = find(&entities, "Angela Merkel");
        assert_eq!(merkel.kind, TagKind::Person);
        assert_eq!(merkel.mentions, 3, "{entities:?}");
        assert!(merkel.aliases.contains(&"Merkel".to_owned()));
        assert_eq!(find(&entities, "Emmanuel Macron").kind, TagKind::Person);
        assert_eq!(find(&entities, "Claire Dubois").kind, TagKind::Person);
        assert_eq!(find(&entities, "Valdis Dombrovskis").kind, TagKind::Person);
        assert_eq!(find(&entities, "Paris").kind, TagKind::Place);
        assert_eq!(find(&entities, "Africa").kind, TagKind::Place);
        for wrong in [
            "Chancellor",
            "Monday",
            "Macron Africa",
            "Later",
            "Ms Claire Dubois",
            // "French" is an adjective; the text never names France.
            "France",
        ] {
            assert!(
                entities.iter().all(|e| e.name != wrong),
                "{wrong}: {:?}",
                names(&entities)
            );
        }
        assert_eq!(entities[0].name, "Angela Merkel");
    }

    #[test]
    fn hyphenated_pairs_are_both_people_and_never_a_new_name() {
        let entities = found(
            "",
            "President Joe Biden and Chinese leader Xi Jinping met in Bali.\n\n\
             Officials called the Biden-Xi summit a success.",
        );
        assert_eq!(find(&entities, "Joe Biden").mentions, 2);
        assert_eq!(find(&entities, "Xi Jinping").mentions, 2);
        assert!(
            entities.iter().all(|e| !e.name.contains('-')),
            "{:?}",
            names(&entities)
        );
        // "Chinese leader" names no place.
        assert!(entities.iter().all(|e| e.name != "China"));
    }

    #[test]
    fn an_adjective_made_from_a_name_is_not_part_of_the_next() {
        let entities = found(
            "",
            "Ontario-based Magna International said on Monday it would buy the firm. \
             Magna shares rose.",
        );
        assert!(
            entities.iter().all(|e| !e.name.contains("based")),
            "{:?}",
            names(&entities)
        );
        assert_eq!(find(&entities, "Magna International").mentions, 2);
    }

    #[test]
    fn acronyms_join_their_organisation() {
        let entities = found(
            "",
            "The Harbourne Port Authority (HPA) raised fees. The HPA said dredging costs rose. \
             NATO and the WHO were not involved.",
        );
        // One entity, named as the text names it most, the full name kept.
        let hpa = find(&entities, "HPA");
        assert_eq!(hpa.kind, TagKind::Organisation);
        assert_eq!(hpa.mentions, 3);
        assert_eq!(hpa.aliases, ["Harbourne Port Authority"]);
        assert_eq!(
            find(&entities, "World Health Organization").kind,
            TagKind::Organisation
        );
    }

    #[test]
    fn professions_are_not_names_and_plural_possessives_stay_in_them() {
        let entities = found(
            "",
            "The earthquake was strong. Seismologist Hernando Tavera said so, and \
             economist Ana Lima agreed. The British Airline Pilots' Association said nothing.",
        );
        assert_eq!(find(&entities, "Hernando Tavera").kind, TagKind::Person);
        assert_eq!(find(&entities, "Ana Lima").kind, TagKind::Person);
        let union = find(&entities, "British Airline Pilots' Association");
        assert_eq!(union.kind, TagKind::Organisation);
    }

    #[test]
    fn quoted_shouting_and_sentence_starts_make_no_names() {
        let entities = found(
            "",
            "\"It was a DISASTER,\" said one resident. Residents gathered. \
             Nobody knew. Yesterday the river rose. The market opens on Thursdays in May.",
        );
        assert!(entities.is_empty(), "{:?}", names(&entities));
    }

    #[test]
    fn bad_input_is_read_without_panicking() {
        let long = "Angela Merkel visited Berlin. ".repeat(200_000);
        let cases = [
            String::new(),
            "no capitals at all in this text about france and the weather".to_owned(),
            "ALL CAPS TEXT ABOUT GERMANY AND HELP US PLEASE".to_owned(),
            "日本語のテキスト。東京で会議。Тест на русском языке Москва".to_owned(),
            "🙂 Emoji 🙂 Merkel 🙂 \"unbalanced quotes about Paris".to_owned(),
            "’ ' \" “ « - -- Mr. . U.S. 's".to_owned(),
            long,
        ];
        for text in &cases {
            let _ = found(text, text);
        }
        let lower = found("", &cases[1]);
        assert_eq!(names(&lower), [("France", TagKind::Place)]);
        let caps = found("", &cases[2]);
        assert_eq!(names(&caps), [("Germany", TagKind::Place)]);
        let many = found("", &cases[6]);
        assert_eq!(
            names(&many)[..2],
            [
                ("Angela Merkel", TagKind::Person),
                ("Berlin", TagKind::Place)
            ]
        );
    }
}
