//! What the tagger looks at for one word: the word, its shape, affixes and
//! case; the words and tags around it; the lexicon's and the gazetteer's
//! opinion of it; and what the rest of the article says (the word written
//! in lower case elsewhere, or tagged already). Each feature is a 32-bit
//! hash of its template and values, so the model is a table of numbers.

use super::super::knowledge::{Knowledge, Via, push_key};
use super::super::lexicon::Lexicon;
use super::super::text::{Case, Kind, Token};
use super::super::{Map, Set};
use super::{OUTSIDE, class_of};
use crate::domain::tag::TagKind;
use std::borrow::Cow;
use std::sync::OnceLock;

/// FNV-1a, 32 bits: small, fast and the same on every machine.
struct Hash(u32);

impl Hash {
    fn new(template: u8) -> Hash {
        let mut hash = Hash(0x811c_9dc5);
        hash.byte(template);
        hash
    }

    fn byte(&mut self, byte: u8) {
        self.0 ^= u32::from(byte);
        self.0 = self.0.wrapping_mul(0x0100_0193);
    }

    fn bytes(mut self, bytes: &[u8]) -> Hash {
        for &byte in bytes {
            self.byte(byte);
        }
        self.byte(0xff);
        self
    }
}

/// What the whole article says about words: which it also writes in lower
/// case, and which it capitalises in the middle of a sentence.
#[derive(Debug, Default)]
pub struct DocumentWords {
    lower: Set<String>,
    capital_inside: Set<String>,
}

impl DocumentWords {
    /// The words written in lower case somewhere.
    pub fn into_lower(self) -> Set<String> {
        self.lower
    }

    pub fn add(&mut self, tokens: &[Token]) {
        for token in tokens.iter().filter(|t| t.is_word()) {
            let set = match token.case {
                Case::Lower => &mut self.lower,
                Case::Capitalised if !token.sentence_start => &mut self.capital_inside,
                _ => continue,
            };
            if !set.contains(token.lower.as_ref()) {
                set.insert(token.lower.clone().into_owned());
            }
        }
    }
}

/// The class each word was last tagged with in this article, so that a
/// later mention agrees with an earlier, clearer one.
pub type Memory = Map<String, u8>;

/// One paragraph, prepared: lower-case forms, gazetteer matches and what
/// kind of paragraph it is.
pub struct Paragraph<'t, 'a> {
    pub tokens: &'t [Token<'a>],
    shapes: Vec<Cow<'a, str>>,
    /// Per token: 0, or a code for the gazetteer name covering it.
    gazetteer: Vec<u8>,
    /// Mostly numbers: a results table or a list of prices.
    table: bool,
    /// Mostly capitals: a subheading or a shouted line.
    shouting: bool,
    first: bool,
}

/// "Xxx" for "London", "XX" for "NATO", "dd.d" for "9.91": each run of
/// one kind of character at most twice. Most words are in lower case, and
/// punctuation is its own shape, so those cost nothing.
fn shape(word: &str) -> Cow<'_, str> {
    // The shapes of most capitalised words and numbers, borrowed.
    const COMMON: [&str; 12] = [
        "Xxx", "Xx", "XX", "X", "dd", "d", "d.dd", "dd.dd", "d,dd", "dd-dd-dd", "Xxx-Xxx", "X.X.",
    ];
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(if word.len() == 1 { "x" } else { "xx" });
    }
    if !word.chars().any(char::is_alphanumeric) {
        return Cow::Borrowed(word);
    }
    let class = |c: char| {
        if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        }
    };
    // Built on the stack; a longer shape spills into a string.
    let mut short = [' '; 8];
    let mut len = 0;
    let mut long: Option<String> = None;
    let mut last = ' ';
    let mut run = 0;
    for c in word.chars().map(class) {
        run = if c == last { run + 1 } else { 1 };
        last = c;
        if run > 2 {
            continue;
        }
        match &mut long {
            Some(out) => out.push(c),
            None if len < short.len() => {
                short[len] = c;
                len += 1;
            }
            None => {
                let mut out: String = short.iter().collect();
                out.push(c);
                long = Some(out);
            }
        }
    }
    if let Some(out) = long {
        return Cow::Owned(out);
    }
    let short = &short[..len];
    match COMMON.iter().find(|c| c.chars().eq(short.iter().copied())) {
        Some(common) => Cow::Borrowed(common),
        None => Cow::Owned(short.iter().collect()),
    }
}

/// For each word in any of the lexicon's lists, one bit per list: one
/// lookup instead of fifteen.
fn lists(lexicon: &'static Lexicon) -> &'static Map<&'static str, u16> {
    static LISTS: OnceLock<Map<&'static str, u16>> = OnceLock::new();
    LISTS.get_or_init(|| {
        let sets = [
            &lexicon.given_names,
            &lexicon.function_words,
            &lexicon.common_capitalised,
            &lexicon.calendar,
            &lexicon.roles,
            &lexicon.place_prepositions,
            &lexicon.organisation_heads,
            &lexicon.place_heads,
            &lexicon.place_prefixes,
            &lexicon.particles,
            &lexicon.other_heads,
            &lexicon.organisation_nouns,
            &lexicon.place_nouns,
            &lexicon.not_names,
        ];
        let mut bits: Map<&'static str, u16> = Map::default();
        for (n, set) in sets.iter().enumerate() {
            for word in set.iter() {
                *bits.entry(word).or_default() |= 1 << n;
            }
        }
        for word in lexicon.titles.keys() {
            *bits.entry(word).or_default() |= 1 << 14;
        }
        bits
    })
}

fn kind_code(kind: TagKind) -> u8 {
    match kind {
        TagKind::Person => 1,
        TagKind::Organisation => 2,
        TagKind::Place => 3,
        _ => 4,
    }
}

impl<'t, 'a> Paragraph<'t, 'a> {
    pub fn new(tokens: &'t [Token<'a>], first: bool, knowledge: &Knowledge) -> Paragraph<'t, 'a> {
        let shapes = tokens.iter().map(|t| shape(t.text)).collect();
        let mut gazetteer = vec![0u8; tokens.len()];
        let mut i = 0;
        while i < tokens.len() {
            if !tokens[i].is_capital() {
                i += 1;
                continue;
            }
            // The longest known name starting here, over words and the
            // full stops inside them.
            let mut k = String::new();
            let mut found: Option<(usize, u8)> = None;
            let mut words = 0;
            let mut j = i;
            while j < tokens.len() && words < knowledge.longest() {
                let token = &tokens[j];
                if !token.is_word() {
                    if token.is_punct('.') || token.is_punct('&') {
                        j += 1;
                        continue;
                    }
                    break;
                }
                push_key(&mut k, token.text);
                words += 1;
                if let Some((index, via)) = knowledge.lookup(&k) {
                    let capitals = tokens[i..=j]
                        .iter()
                        .filter(|t| t.is_word())
                        .all(|t| t.case == Case::Upper);
                    if !knowledge.needs_capitals(&k) || capitals {
                        let entry = knowledge.entry(index);
                        let via = match via {
                            Via::Name => 0,
                            Via::Alias => 1,
                            Via::Demonym => 2,
                        };
                        let tag = u8::from(entry.tag.is_some());
                        found = Some((j, kind_code(entry.kind) | via << 3 | tag << 5));
                    }
                }
                if !knowledge.continues(&k) {
                    break;
                }
                j += 1;
            }
            match found {
                Some((end, code)) => {
                    gazetteer[i] = code | 0x40;
                    for slot in &mut gazetteer[i + 1..=end] {
                        *slot = code | 0x80;
                    }
                    i = end + 1;
                }
                None => i += 1,
            }
        }
        let mut numbers = 0;
        let mut upper = 0;
        let mut cased = 0;
        let mut words = 0;
        for token in tokens.iter().filter(|t| t.is_word()) {
            words += 1;
            match token.case {
                Case::Uncased => numbers += 1,
                Case::Upper => {
                    upper += 1;
                    cased += 1;
                }
                _ => cased += 1,
            }
        }
        Paragraph {
            tokens,
            shapes,
            gazetteer,
            table: numbers * 10 >= words * 3,
            shouting: cased > 0 && upper * 2 > cased,
            first,
        }
    }

    /// Whether the tagger decides this word at all: capitalised words, and
    /// a connector between names ("Bank of England", "AT&T"). Every
    /// other word is outside any name.
    pub fn decides(&self, i: usize, previous: u8) -> bool {
        let token = &self.tokens[i];
        if token.is_capital() {
            return true;
        }
        // "St. Louis", "John F. Kennedy".
        let stop = token.is_punct('.')
            && i > 0
            && self.tokens[i - 1].is_word()
            && self.tokens[i - 1].text.chars().count() <= 3;
        let connector = token.is_punct('&')
            || stop
            || token.is_lower()
                && matches!(
                    self.tokens[i].lower.as_ref(),
                    "of" | "and"
                        | "de"
                        | "van"
                        | "von"
                        | "der"
                        | "den"
                        | "la"
                        | "le"
                        | "du"
                        | "del"
                        | "da"
                        | "di"
                        | "for"
                        | "the"
                        | "on"
                        | "al"
                        | "bin"
                        | "el"
                );
        connector && previous != OUTSIDE && self.tokens.get(i + 1).is_some_and(Token::is_capital)
    }

    fn word(&self, i: isize) -> &str {
        if i < 0 {
            return "<s>";
        }
        self.tokens
            .get(i as usize)
            .map_or("</s>", |t| t.lower.as_ref())
    }

    fn shape_at(&self, i: isize) -> &str {
        if i < 0 {
            return "<s>";
        }
        self.shapes.get(i as usize).map_or("</s>", |s| s.as_ref())
    }

    /// The features of word `i`, given the tags of the two words before it.
    pub fn features(
        &self,
        i: usize,
        previous: [u8; 2],
        document: &DocumentWords,
        memory: &Memory,
        lexicon: &'static Lexicon,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        let token = &self.tokens[i];
        let word = self.tokens[i].lower.as_ref();
        let shape = self.shapes[i].as_ref();
        let at = i as isize;
        let mut push = |template: u8, parts: &[&[u8]]| {
            let mut hash = Hash::new(template);
            for part in parts {
                hash = hash.bytes(part);
            }
            out.push(hash.0);
        };
        let flag = |b: bool| [u8::from(b)];
        push(0, &[]);
        push(1, &[word.as_bytes()]);
        push(2, &[token.text.as_bytes()]);
        push(3, &[shape.as_bytes()]);
        // Prefixes of one to three characters, suffixes of one to four.
        let mut ends = word.char_indices().map(|(at, _)| at).skip(1);
        for n in 1..=3u8 {
            let end = ends.next().unwrap_or(word.len());
            push(4, &[&[n], &word.as_bytes()[..end]]);
            if end == word.len() {
                break;
            }
        }
        let mut starts = word.char_indices().rev().map(|(at, _)| at);
        for n in 1..=4u8 {
            let Some(start) = starts.next() else { break };
            push(5, &[&[n], &word.as_bytes()[start..]]);
        }
        let case = match token.case {
            Case::Lower => 0u8,
            Case::Capitalised => 1,
            Case::Upper => 2,
            Case::Uncased => 3,
        };
        let start = token.sentence_start;
        push(6, &[&[case], &flag(start), &flag(token.quoted)]);
        push(
            7,
            &[&flag(token.possessive), &flag(token.plural_possessive)],
        );
        for (template, offset) in [(8u8, -2isize), (9, -1), (10, 1), (11, 2)] {
            push(template, &[self.word(at + offset).as_bytes()]);
        }
        push(12, &[self.shape_at(at - 1).as_bytes()]);
        push(13, &[self.shape_at(at + 1).as_bytes()]);
        push(14, &[self.word(at - 1).as_bytes(), word.as_bytes()]);
        push(15, &[word.as_bytes(), self.word(at + 1).as_bytes()]);
        push(
            16,
            &[
                self.shape_at(at - 1).as_bytes(),
                shape.as_bytes(),
                self.shape_at(at + 1).as_bytes(),
            ],
        );
        let [t1, t2] = previous;
        push(17, &[&[t1]]);
        push(18, &[&[t1, t2]]);
        push(19, &[&[t1], word.as_bytes()]);
        push(20, &[&[t1], shape.as_bytes()]);
        push(21, &[&[t1], self.word(at - 1).as_bytes()]);

        // The lexicon's lists, for this word and its neighbours.
        let lists = lists(lexicon);
        let lists = |w: &str| lists.get(w).copied().unwrap_or(0);
        for (template, offset) in [(22u8, -1isize), (23, 0), (24, 1), (25, -2)] {
            let bits = lists(self.word(at + offset));
            for n in 0..15u8 {
                if bits & (1 << n) != 0 {
                    push(template, &[&[n]]);
                    if offset == 0 {
                        push(26, &[&[n, case, u8::from(start)]]);
                    }
                }
            }
        }

        let gazetteer = self.gazetteer[i];
        push(27, &[&[gazetteer]]);
        push(28, &[&[gazetteer, case]]);
        let next_gazetteer = self.gazetteer.get(i + 1).copied().unwrap_or(0);
        push(29, &[&[next_gazetteer & 0x87]]);
        let previous_gazetteer = if i > 0 { self.gazetteer[i - 1] } else { 0 };
        push(30, &[&[previous_gazetteer & 0x47, t1]]);

        let lower_elsewhere = document.lower.contains(word);
        let capital_inside = document.capital_inside.contains(word);
        push(
            31,
            &[&[
                u8::from(lower_elsewhere),
                u8::from(capital_inside),
                u8::from(start),
                case,
            ]],
        );
        let remembered = memory.get(word).copied().unwrap_or(9);
        push(32, &[&[remembered]]);
        push(33, &[&[remembered, case]]);

        let position = i.min(3) as u8;
        push(
            34,
            &[&[
                u8::from(self.first),
                position,
                u8::from(self.table),
                u8::from(self.shouting),
            ]],
        );
        push(35, &[&[u8::from(self.table), case], word.as_bytes()]);
        // "LONDON 1996-08-30", "WASHINGTON (Reuters) -", "Barcelona 3".
        let next = self.tokens.get(i + 1);
        let next_number = next.is_some_and(|t| t.is_word() && t.case == Case::Uncased);
        let next_open = next.is_some_and(|t| t.kind == Kind::Punct('('));
        push(
            36,
            &[&[u8::from(next_number), u8::from(next_open), case, position]],
        );
        let previous_number =
            i > 0 && self.tokens[i - 1].is_word() && self.tokens[i - 1].case == Case::Uncased;
        push(37, &[&[u8::from(previous_number), case]]);
        let length = word.chars().count().min(8) as u8;
        push(38, &[&[length, case]]);
        let hyphen = word.contains('-');
        let dots = word.contains('.');
        push(39, &[&[u8::from(hyphen), u8::from(dots)]]);
    }
}

/// Records a finished name in the article's memory.
pub fn remember(paragraph: &Paragraph, start: usize, end: usize, tag: u8, memory: &mut Memory) {
    let Some(class) = class_of(tag) else { return };
    for i in start..end {
        if paragraph.tokens[i].is_word() {
            memory.insert(paragraph.tokens[i].lower.clone().into_owned(), class);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_keep_each_kind_of_character_at_most_twice() {
        for (word, expected) in [
            ("london", "xx"),
            ("London", "Xxx"),
            ("NATO", "XX"),
            ("9.91", "d.dd"),
            ("1996-08-30", "dd-dd-dd"),
            ("McDonald's", "XxXxx'x"),
            ("Zürich", "Xxx"),
            ("Stoke-on-Trent", "Xxx-xx-Xxx"),
            ("—", "—"),
        ] {
            assert_eq!(shape(word), expected, "{word}");
        }
        assert!(matches!(shape("London"), Cow::Borrowed(_)));
    }
}
