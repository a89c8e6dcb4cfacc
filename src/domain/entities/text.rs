//! Words and the punctuation between them, with what a name finder needs to
//! know of each word: its capitalisation, whether it ends in a possessive,
//! whether it starts a sentence, whether it is inside a quotation.

use super::lexicon::Lexicon;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// "harbour"
    Lower,
    /// "Harbour", "McDonald", "A"
    Capitalised,
    /// "NATO", "U.S."
    Upper,
    /// Digits, or a script without capitals.
    Uncased,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// One punctuation character.
    Punct(char),
}

#[derive(Debug, Clone)]
pub struct Token<'a> {
    /// The word without any possessive ending, or the punctuation mark.
    pub text: &'a str,
    /// `text` in lower case, worked out once for every rule and the
    /// tagger: borrowed, as most words already are.
    pub lower: Cow<'a, str>,
    pub kind: Kind,
    pub case: Case,
    /// "Macron's", "the Smiths'".
    pub possessive: bool,
    /// The possessive was a bare apostrophe after an s: "Pilots'".
    pub plural_possessive: bool,
    /// The first word of a sentence, a line or a quotation.
    pub sentence_start: bool,
    /// Inside quotation marks.
    pub quoted: bool,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    /// A word that can be (part of) a name: capitalised or all capitals.
    pub fn is_capital(&self) -> bool {
        self.kind == Kind::Word && matches!(self.case, Case::Capitalised | Case::Upper)
    }

    pub fn is_lower(&self) -> bool {
        self.kind == Kind::Word && self.case == Case::Lower
    }

    pub fn is_punct(&self, mark: char) -> bool {
        self.kind == Kind::Punct(mark)
    }
}

/// A word in lower case, borrowed when it already is.
fn lower(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

fn case_of(word: &str) -> Case {
    let mut chars = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else {
        return Case::Uncased;
    };
    if first.is_lowercase() {
        return Case::Lower;
    }
    if !first.is_uppercase() {
        return Case::Uncased;
    }
    let mut rest = 0;
    let mut upper = 0;
    for c in chars {
        rest += 1;
        if c.is_uppercase() || !c.is_lowercase() {
            upper += 1;
        }
    }
    if rest > 0 && upper == rest {
        Case::Upper
    } else {
        Case::Capitalised
    }
}

/// Apostrophes, hyphens and full stops join letters into one word ("O'Neill",
/// "Biden-Xi", "U.S") when a letter or digit follows.
fn joins(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '.')
}

/// "U.S", "E.U": single letters joined by full stops.
fn dotted_initials(word: &str) -> bool {
    word.len() >= 3
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// The tokens of one paragraph (or headline). Quotation state does not
/// carry from one paragraph to the next, so an unclosed quote costs at
/// most a paragraph.
pub fn tokens<'a>(text: &'a str, lexicon: &Lexicon) -> Vec<Token<'a>> {
    let mut out: Vec<Token<'a>> = Vec::with_capacity(text.len() / 5);
    let mut sentence_start = true;
    let mut quoted = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        // Every index we stop at is a character boundary.
        let c = text[i..].chars().next().unwrap_or(' ');
        let width = c.len_utf8();
        if c.is_alphanumeric() {
            let start = i;
            let mut end = i + width;
            while end < text.len() {
                let d = text[end..].chars().next().unwrap_or(' ');
                let inside = d.is_alphanumeric()
                    || (joins(d)
                        && text[end + d.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric));
                if !inside {
                    break;
                }
                end += d.len_utf8();
            }
            let mut word = &text[start..end];
            let mut possessive = false;
            // "U.S." keeps its last full stop: it is part of the word.
            if end < text.len() && bytes[end] == b'.' && dotted_initials(word) {
                end += 1;
                word = &text[start..end];
            }
            if let Some(stem) = ["'s", "’s", "'S", "’S"]
                .iter()
                .find_map(|ending| word.strip_suffix(ending))
                .filter(|stem| !stem.is_empty())
            {
                word = stem;
                possessive = true;
            }
            // "the Smiths' house": a plural possessive. (Inside a quotation a
            // closing ’ after a plural is the quotation's end instead.)
            let singular = possessive;
            if !possessive && word.ends_with('s') {
                match text[end..].chars().next() {
                    Some('\'') => {
                        possessive = true;
                        end += 1;
                    }
                    Some('’') if !quoted => {
                        possessive = true;
                        end += '’'.len_utf8();
                    }
                    _ => {}
                }
            }
            out.push(Token {
                text: word,
                lower: lower(word),
                kind: Kind::Word,
                case: case_of(word),
                possessive,
                plural_possessive: possessive && !singular,
                sentence_start,
                quoted,
            });
            sentence_start = false;
            i = end;
            continue;
        }
        match c {
            '.' => {
                // "Mr. Smith", "John F. Kennedy": no new sentence.
                let abbreviation = out.last().is_some_and(|t| {
                    t.is_word()
                        && !t.possessive
                        && (t.text.chars().count() == 1
                            || lexicon.abbreviations.contains(t.lower.as_ref()))
                });
                if !abbreviation {
                    sentence_start = true;
                }
            }
            '!' | '?' | '…' | ':' | '\n' => sentence_start = true,
            '"' => {
                quoted = !quoted;
                sentence_start |= quoted;
            }
            '“' | '«' | '„' | '‘' => {
                quoted = true;
                sentence_start = true;
            }
            '”' | '»' => quoted = false,
            '’' => quoted = false,
            _ => {}
        }
        if !c.is_whitespace() {
            out.push(Token {
                text: &text[i..i + width],
                lower: Cow::Borrowed(&text[i..i + width]),
                kind: Kind::Punct(c),
                case: Case::Uncased,
                possessive: false,
                plural_possessive: false,
                sentence_start: false,
                quoted,
            });
        }
        i += width;
    }
    mark_dateline(&mut out);
    out
}

/// "LONDON 1996-08-30 The bank…", "WASHINGTON, Dec 3 (Reuters) - The
/// bank…": after a wire dateline a new sentence starts, so its first word
/// is read as a sentence's ("The" is not part of the name after it).
fn mark_dateline(tokens: &mut [Token]) {
    let places = tokens
        .iter()
        .take_while(|t| (t.case == Case::Upper && t.is_word()) || t.is_punct('.'))
        .count();
    if places == 0 || !tokens[..places].iter().any(|t| t.text.chars().count() >= 2) {
        return;
    }
    let (mut marked, mut open) = (false, false);
    for i in places..tokens.len().min(places + 12) {
        let token = &tokens[i];
        match token.kind {
            Kind::Punct('(') => open = true,
            Kind::Punct(')') => {
                open = false;
                marked = true;
            }
            Kind::Punct('-' | '—' | '–') => marked = true,
            Kind::Punct(',' | '.' | '/') => {}
            Kind::Punct(_) => return,
            Kind::Word if token.case == Case::Uncased => {
                marked |= token.text.starts_with(|c: char| c.is_ascii_digit());
            }
            // "(Reuters)", "Dec 3".
            Kind::Word
                if open
                    || tokens
                        .get(i + 1)
                        .is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit())) => {}
            Kind::Word => {
                if marked && !open {
                    tokens[i].sentence_start = true;
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, Case, bool, bool)> {
        tokens(text, Lexicon::get())
            .into_iter()
            .filter(Token::is_word)
            .map(|t| (t.text.to_owned(), t.case, t.possessive, t.sentence_start))
            .collect()
    }

    #[test]
    fn words_keep_their_inner_marks_and_lose_possessives() {
        let found = words("Macron's Africa adviser met O'Neill in the U.S. on Biden-Xi talks.");
        let texts: Vec<&str> = found.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Macron", "Africa", "adviser", "met", "O'Neill", "in", "the", "U.S.", "on",
                "Biden-Xi", "talks"
            ]
        );
        assert!(found[0].2, "possessive");
        assert_eq!(found[7].1, Case::Upper);
    }

    #[test]
    fn sentences_start_after_stops_but_not_after_titles_or_initials() {
        let found = words("Mr. Smith left. Then John F. Kennedy spoke: \"We act.\"");
        let starts: Vec<&str> = found.iter().filter(|w| w.3).map(|w| w.0.as_str()).collect();
        assert_eq!(starts, ["Mr", "Then", "We"]);
    }

    #[test]
    fn a_dateline_ends_where_the_first_sentence_starts() {
        for text in [
            "ESCHEN 1996-08-31 The Republic of Ireland beat Liechtenstein.",
            "WASHINGTON (Reuters) - The Federal Reserve held rates.",
            "ST. LOUIS, Dec 3 (AP) — The Cardinals won.",
        ] {
            let found = words(text);
            let the = found.iter().find(|w| w.0 == "The").expect("The");
            assert!(the.3, "{text}");
        }
        let found = words("NATO The Hague office");
        assert!(!found[1].3, "no dateline without a date or a dash");
    }

    #[test]
    fn any_text_is_safe() {
        for text in [
            "",
            "’",
            "'s",
            "...",
            "🙂 emoji 🙂",
            "日本語のテキスト",
            "«",
            "a'",
            "x-",
            "S'",
        ] {
            let _ = tokens(text, Lexicon::get());
        }
    }
}
