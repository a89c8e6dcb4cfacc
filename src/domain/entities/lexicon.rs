//! The words the extractor knows about English news prose, read from
//! `lexicon.txt`: which capitalised words are not names (function words,
//! calendar words, common nouns written with a capital), which precede a
//! person's name (titles, roles), which end an organisation's or a place's
//! name, and common given names.

use super::{Map, Set};
use std::sync::OnceLock;

const LEXICON: &str = include_str!("lexicon.txt");

/// The lists of `lexicon.txt` by section name.
fn sections() -> Map<&'static str, Vec<&'static str>> {
    let mut sections: Map<&'static str, Vec<&'static str>> = Map::default();
    let mut current = None;
    for line in LEXICON.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name);
            sections.entry(name).or_default();
            continue;
        }
        if let Some(name) = current {
            let entries = line.split(',').map(str::trim).filter(|e| !e.is_empty());
            sections.entry(name).or_default().extend(entries);
        }
    }
    sections
}

/// Every list as a set, made once.
pub struct Lexicon {
    /// Words that start sentences and headlines without being names.
    pub function_words: Set<&'static str>,
    /// Nouns and adjectives written with a capital that name nothing alone.
    pub common_capitalised: Set<&'static str>,
    /// Months and weekdays.
    pub calendar: Set<&'static str>,
    /// Feasts and festivals: "Christmas", "Ramadan".
    pub holidays: Set<&'static str>,
    /// Titles before a name, by their first word: each one's words, the
    /// longest first ("prime minister" before "prime").
    pub titles: Map<&'static str, Vec<Vec<&'static str>>>,
    /// Lower-case words before a name that say it is a person's.
    pub roles: Set<&'static str>,
    /// Lower-case words before a name that suggest a place.
    pub place_prepositions: Set<&'static str>,
    /// Last words of organisations' names: "Council", "Ltd".
    pub organisation_heads: Set<&'static str>,
    /// Last words of places' names: "Street", "Point".
    pub place_heads: Set<&'static str>,
    /// First words of places' names: "Lake", "Mount".
    pub place_prefixes: Set<&'static str>,
    /// Words that take "of" or "for" inside a name: "Bank of England".
    pub of_heads: Set<&'static str>,
    /// Lower-case particles inside names: "von der Leyen".
    pub particles: Set<&'static str>,
    /// Common given names from many languages.
    pub given_names: Set<&'static str>,
    /// Abbreviations whose full stop does not end a sentence.
    pub abbreviations: Set<&'static str>,
    /// Last words of names of events, laws, prizes and works.
    pub other_heads: Set<&'static str>,
    /// Nouns that say a name is an organisation's: "the carmaker X".
    pub organisation_nouns: Set<&'static str>,
    /// Nouns that say a name is a place's: "the X savannah".
    pub place_nouns: Set<&'static str>,
    /// Endings that say what a company is in law: "Corp", "Ltd".
    pub legal_forms: Set<&'static str>,
    /// Words before a letter or numeral that make no name: "Group C".
    pub groupings: Set<&'static str>,
    /// Capitalised words and abbreviations that are not names: "CEO", "GDP".
    pub not_names: Set<&'static str>,
}

impl Lexicon {
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let mut sections = sections();
            let mut take = |name: &str| -> Set<&'static str> {
                sections
                    .remove(name)
                    .unwrap_or_default()
                    .into_iter()
                    .collect()
            };
            let mut titles: Map<&'static str, Vec<Vec<&'static str>>> = Map::default();
            for title in take("titles") {
                let words: Vec<&str> = title.split(' ').collect();
                titles.entry(words[0]).or_default().push(words);
            }
            for variants in titles.values_mut() {
                variants.sort_by_key(|words| std::cmp::Reverse(words.len()));
            }
            let mut calendar = take("months");
            calendar.extend(take("weekdays"));
            Lexicon {
                function_words: take("function words"),
                common_capitalised: take("common capitalised"),
                calendar,
                holidays: take("holidays"),
                titles,
                roles: take("role words"),
                place_prepositions: take("place prepositions"),
                organisation_heads: take("organisation heads"),
                place_heads: take("place heads"),
                place_prefixes: take("place prefixes"),
                of_heads: take("of heads"),
                particles: take("particles"),
                given_names: take("given names"),
                abbreviations: take("abbreviations"),
                other_heads: take("other heads"),
                organisation_nouns: take("organisation nouns"),
                place_nouns: take("place nouns"),
                groupings: take("groupings"),
                legal_forms: take("legal forms"),
                not_names: take("not names"),
            }
        })
    }

    /// Whether a capitalised word is ordinary vocabulary rather than a name.
    pub fn is_common(&self, lower: &str) -> bool {
        self.function_words.contains(lower) || self.common_capitalised.contains(lower)
    }

    /// Whether a word is no name even where the tagger read one: function
    /// and calendar words, roles ("Mayor"), and abbreviations such as
    /// "CEO". ("Treasury" is vocabulary, but the tagger may rightly read a
    /// name in it.)
    pub fn is_never_a_name(&self, lower: &str) -> bool {
        self.function_words.contains(lower)
            || self.calendar.contains(lower)
            || self.holidays.contains(lower)
            || self.roles.contains(lower)
            || self.not_names.contains(lower)
    }

    /// "Group C", "World Group II", "Division 1": a part of a competition
    /// or a table, by its last two words.
    pub fn is_grouping(&self, lowers: &[String]) -> bool {
        let [.., noun, marker] = lowers else {
            return false;
        };
        let numeral = marker.chars().all(|c| c.is_ascii_digit())
            || marker.len() == 1
            || marker.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
        numeral && self.groupings.contains(noun.as_str())
    }

    /// Whether a word names nothing by itself: common words, calendar
    /// words, roles, and abbreviations such as "CEO".
    pub fn is_vocabulary(&self, lower: &str) -> bool {
        self.common_capitalised.contains(lower) || self.is_never_a_name(lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_read_and_in_lower_case() {
        let sections = sections();
        assert_eq!(sections.len(), 21, "{:?}", sections.keys());
        for (name, entries) in &sections {
            assert!(!entries.is_empty(), "{name}");
            for entry in entries {
                assert_eq!(*entry, entry.to_lowercase(), "{name}");
            }
        }
        let lexicon = Lexicon::get();
        assert!(lexicon.given_names.contains("angela"));
        assert!(lexicon.calendar.contains("monday") && lexicon.calendar.contains("may"));
        assert_eq!(lexicon.titles["prime"][0], ["prime", "minister"]);
        assert!(lexicon.is_common("the"));
    }
}
