//! CoNLL-2003 news (Reuters, 1996) with the CoNLL++ labels: third-party
//! text nobody here wrote, read into articles to score the extractor on
//! and into labelled words to train its model on.
//!
//! The files have one token a line (`token POS chunk NER`, IOB2 over PER,
//! ORG, LOC and MISC), a blank line after each sentence and `-DOCSTART-`
//! before each article. An article's first sentence is its headline; the
//! rest, from the dateline on, is its body.

use super::{Gold, Labelled};
use crate::domain::entities::knowledge::{Knowledge, key};
use crate::domain::tag::TagKind;

pub use crate::domain::entities::model::Class;

fn parse_class(text: &str) -> Option<Class> {
    Some(match text {
        "PER" => Class::Person,
        "ORG" => Class::Organisation,
        "LOC" => Class::Place,
        "MISC" => Class::Other,
        _ => return None,
    })
}

/// A word's label: outside any name, or beginning or inside one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Outside,
    Begin(Class),
    Inside(Class),
}

#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    pub labels: Vec<Label>,
}

#[derive(Debug, Clone, Default)]
pub struct ConllDocument {
    pub sentences: Vec<Sentence>,
}

/// Reads a CoNLL file into its articles.
pub fn read(text: &str) -> Result<Vec<ConllDocument>, String> {
    let mut documents: Vec<ConllDocument> = Vec::new();
    let mut sentence = Sentence::default();
    let flush = |documents: &mut Vec<ConllDocument>, sentence: &mut Sentence| {
        if !sentence.words.is_empty() {
            if documents.is_empty() {
                documents.push(ConllDocument::default());
            }
            if let Some(document) = documents.last_mut() {
                document.sentences.push(std::mem::take(sentence));
            }
        }
    };
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            flush(&mut documents, &mut sentence);
            documents.push(ConllDocument::default());
            continue;
        }
        if line.is_empty() {
            flush(&mut documents, &mut sentence);
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        let (Some(word), Some(tag)) = (fields.first(), fields.last()) else {
            return Err(format!("line {}: no token", number + 1));
        };
        let label = match tag.split_once('-') {
            None if *tag == "O" => Label::Outside,
            Some((position, class)) => {
                let class =
                    parse_class(class).ok_or_else(|| format!("line {}: tag {tag}", number + 1))?;
                match position {
                    "B" => Label::Begin(class),
                    "I" => Label::Inside(class),
                    _ => return Err(format!("line {}: tag {tag}", number + 1)),
                }
            }
            None => return Err(format!("line {}: tag {tag}", number + 1)),
        };
        sentence.words.push((*word).to_owned());
        sentence.labels.push(label);
    }
    flush(&mut documents, &mut sentence);
    documents.retain(|d| !d.sentences.is_empty());
    Ok(documents)
}

/// Joins tokens into text as a writer would: no space before `, . ; : ) ?
/// ! %`, `'s` or `n't`, none after `(`. Returns the text and each token's
/// byte range in it.
pub fn detokenize<S: AsRef<str>>(words: &[S]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::with_capacity(words.len());
    let mut after_open = true;
    for word in words {
        let word = word.as_ref();
        let attaches = matches!(word, "," | "." | ";" | ":" | ")" | "?" | "!" | "%")
            || word.eq_ignore_ascii_case("'s")
            || word.eq_ignore_ascii_case("n't");
        if !after_open && !attaches {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        ranges.push((start, text.len()));
        after_open = word == "(";
    }
    (text, ranges)
}

/// Where a word of a rendered article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Headline,
    Body,
}

/// A word of a rendered article with its byte range and label.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    pub part: Part,
    pub start: usize,
    pub end: usize,
    pub label: Label,
}

/// An article as the product would be given it: a headline and a body of
/// paragraphs (one sentence each, the dateline joined to the first).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub headline: String,
    pub body: String,
    pub words: Vec<Placed>,
}

/// How a headline is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadlineStyle {
    AllCaps,
    TitleCase,
    SentenceCase,
}

impl HeadlineStyle {
    pub fn name(self) -> &'static str {
        match self {
            HeadlineStyle::AllCaps => "ALL CAPS",
            HeadlineStyle::TitleCase => "Title Case",
            HeadlineStyle::SentenceCase => "sentence case",
        }
    }

    /// The style of a headline's words.
    pub fn of(headline: &str) -> HeadlineStyle {
        let words: Vec<&str> = headline
            .split_whitespace()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 1)
            .collect();
        let upper = words
            .iter()
            .filter(|w| !w.chars().any(char::is_lowercase))
            .count();
        if !words.is_empty() && upper == words.len() {
            return HeadlineStyle::AllCaps;
        }
        let long: Vec<&&str> = words
            .iter()
            .skip(1)
            .filter(|w| !SMALL_WORDS.contains(&w.to_lowercase().as_str()))
            .collect();
        let capitalised = long
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        if !long.is_empty() && capitalised * 4 >= long.len() * 3 {
            HeadlineStyle::TitleCase
        } else {
            HeadlineStyle::SentenceCase
        }
    }
}

/// Words a Title Case headline leaves in lower case.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
    "as", "from", "into", "vs", "v",
];

fn is_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

impl ConllDocument {
    fn headline(&self) -> &Sentence {
        &self.sentences[0]
    }

    /// The article as text, each word placed in it.
    pub fn render(&self) -> Rendered {
        let mut words = Vec::new();
        let (headline, ranges) = detokenize(&self.headline().words);
        for (&(start, end), &label) in ranges.iter().zip(&self.headline().labels) {
            words.push(Placed {
                part: Part::Headline,
                start,
                end,
                label,
            });
        }
        let mut body = String::new();
        let mut joined_dateline = false;
        for (n, sentence) in self.sentences.iter().enumerate().skip(1) {
            if !body.is_empty() {
                body.push_str(if joined_dateline { " " } else { "\n\n" });
            }
            // "LONDON 1996-08-30" starts the first paragraph.
            joined_dateline = n == 1 && sentence.words.last().is_some_and(|w| is_date(w));
            let offset = body.len();
            let (text, ranges) = detokenize(&sentence.words);
            body.push_str(&text);
            for (&(start, end), &label) in ranges.iter().zip(&sentence.labels) {
                words.push(Placed {
                    part: Part::Body,
                    start: offset + start,
                    end: offset + end,
                    label,
                });
            }
        }
        Rendered {
            headline,
            body,
            words,
        }
    }

    /// The names the article is labelled with: the distinct person,
    /// organisation and place strings, a surname alone joined to the full
    /// name it ends, forms of one gazetteer entry joined ("U.S." and
    /// "United States"); core when mentioned twice or in the headline.
    pub fn gold(&self, knowledge: &Knowledge) -> Vec<Gold> {
        struct Entry {
            names: Vec<String>,
            votes: Vec<(TagKind, usize)>,
            mentions: usize,
            headline: bool,
        }
        let mut entries: Vec<Entry> = Vec::new();
        for (n, sentence) in self.sentences.iter().enumerate() {
            let (text, ranges) = detokenize(&sentence.words);
            for (class, from, to) in spans(&sentence.labels) {
                let Some(kind) = class.kind() else { continue };
                let name = key(&text[ranges[from].0..ranges[to - 1].1]);
                if name.is_empty() {
                    continue;
                }
                let at = entries.iter().position(|e| e.names[0] == name);
                let entry = match at {
                    Some(i) => &mut entries[i],
                    None => {
                        entries.push(Entry {
                            names: vec![name],
                            votes: Vec::new(),
                            mentions: 0,
                            headline: false,
                        });
                        entries.last_mut().expect("just pushed")
                    }
                };
                entry.mentions += 1;
                entry.headline |= n == 0;
                match entry.votes.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, count)) => *count += 1,
                    None => entry.votes.push((kind, 1)),
                }
            }
        }
        let kind_of = |e: &Entry| {
            e.votes
                .iter()
                .max_by_key(|(_, count)| *count)
                .map(|(kind, _)| *kind)
        };
        // Join an entry into another: a surname into the full name, a
        // form into the other form of the same known name.
        let mut joined = vec![None::<usize>; entries.len()];
        for i in 0..entries.len() {
            let name = &entries[i].names[0];
            let known = knowledge.lookup(name).map(|(index, _)| index);
            let target = (0..entries.len()).find(|&j| {
                if j == i || joined[j].is_some() {
                    return false;
                }
                let other = &entries[j].names[0];
                let surname = kind_of(&entries[i]) == Some(TagKind::Person)
                    && kind_of(&entries[j]) == Some(TagKind::Person)
                    && !name.contains(' ')
                    && other.ends_with(&format!(" {name}"));
                let same_known = known.is_some()
                    && j < i
                    && knowledge.lookup(other).map(|(index, _)| index) == known;
                surname || same_known
            });
            joined[i] = target;
        }
        let mut gold: Vec<Option<Gold>> = entries
            .iter()
            .map(|e| {
                Some(Gold {
                    kind: kind_of(e),
                    names: e.names.clone(),
                    core: e.headline || e.mentions >= 2,
                })
            })
            .collect();
        for i in 0..entries.len() {
            if let Some(mut j) = joined[i] {
                while let Some(next) = joined[j] {
                    j = next;
                }
                if let Some(from) = gold[i].take()
                    && let Some(to) = gold[j].as_mut()
                {
                    to.names.extend(from.names);
                    // Mentions of either form count towards the entity.
                    to.core =
                        to.core || from.core || entries[i].mentions + entries[j].mentions >= 2;
                }
            }
        }
        gold.into_iter().flatten().collect()
    }

    /// The article as the scorer reads it.
    pub fn labelled(&self, id: String, knowledge: &Knowledge) -> Labelled {
        let rendered = self.render();
        Labelled {
            id,
            headline: rendered.headline,
            summary: String::new(),
            body: rendered.body,
            gold: self.gold(knowledge),
        }
    }

    /// The same article with its headline rewritten in another style, as
    /// a site that writes headlines that way would have it: each word as
    /// the body writes it when it does (so acronyms and names keep their
    /// capitals), otherwise in Title Case or lower case.
    pub fn restyled(&self, style: HeadlineStyle) -> ConllDocument {
        let mut body_forms: crate::domain::entities::Map<String, String> = Default::default();
        for sentence in &self.sentences[1..] {
            for (n, word) in sentence.words.iter().enumerate() {
                let cased = word.chars().any(char::is_lowercase) || word.len() > 1;
                if n > 0 && cased {
                    body_forms
                        .entry(word.to_lowercase())
                        .or_insert_with(|| word.clone());
                }
            }
        }
        let mut document = self.clone();
        let headline = &mut document.sentences[0];
        for (n, word) in headline.words.iter_mut().enumerate() {
            let lower = word.to_lowercase();
            let in_name = headline.labels[n] != Label::Outside;
            let known = body_forms.get(&lower).filter(|form| {
                // A form the body capitalises mid-sentence, or keeps lower.
                form.chars().next().is_some_and(|c| !c.is_lowercase()) || !in_name
            });
            let capitalise = |w: &str| {
                let mut chars = w.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            };
            *word = match (style, known) {
                (HeadlineStyle::AllCaps, _) => word.to_uppercase(),
                (HeadlineStyle::TitleCase, Some(form))
                    if n > 0 && SMALL_WORDS.contains(&form.as_str()) =>
                {
                    form.clone()
                }
                (HeadlineStyle::TitleCase, Some(form)) => capitalise(form),
                (HeadlineStyle::TitleCase, None)
                    if n > 0 && SMALL_WORDS.contains(&lower.as_str()) =>
                {
                    lower
                }
                (HeadlineStyle::TitleCase, None) => capitalise(&lower),
                (HeadlineStyle::SentenceCase, _) if n == 0 => {
                    capitalise(&known.cloned().unwrap_or(lower))
                }
                (HeadlineStyle::SentenceCase, Some(form)) => form.clone(),
                (HeadlineStyle::SentenceCase, None) if in_name => capitalise(&lower),
                (HeadlineStyle::SentenceCase, None) => lower,
            };
        }
        document
    }
}

/// The labelled names of a sentence: class and word range (end exclusive).
pub fn spans(labels: &[Label]) -> Vec<(Class, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(Class, usize)> = None;
    for (i, label) in labels.iter().enumerate() {
        match *label {
            Label::Inside(class) if open.is_some_and(|(c, _)| c == class) => {}
            Label::Begin(class) | Label::Inside(class) => {
                if let Some((c, from)) = open.take() {
                    out.push((c, from, i));
                }
                open = Some((class, i));
            }
            Label::Outside => {
                if let Some((c, from)) = open.take() {
                    out.push((c, from, i));
                }
            }
        }
    }
    if let Some((c, from)) = open {
        out.push((c, from, labels.len()));
    }
    out
}

/// The development split's articles, when the shared data is here: each
/// as written and restyled, with a name saying which.
pub fn development_set(knowledge: &Knowledge) -> Option<Vec<(HeadlineStyle, Labelled)>> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ner/conllpp_dev.txt");
    let text = std::fs::read_to_string(path).ok()?;
    let documents = read(&text).ok()?;
    let mut out = Vec::new();
    for (n, document) in documents.iter().enumerate() {
        for style in [
            HeadlineStyle::AllCaps,
            HeadlineStyle::TitleCase,
            HeadlineStyle::SentenceCase,
        ] {
            let restyled = document.restyled(style);
            out.push((
                style,
                restyled.labelled(format!("dev {n} {}", style.name()), knowledge),
            ));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\n\
        SOCCER NN B-NP O\n- : O O\nJAPAN NNP B-NP B-LOC\nWIN VB B-VP O\n. . O O\n\n\
        TOKYO NNP B-NP B-LOC\n1996-12-06 CD I-NP O\n\n\
        Japan NNP B-NP B-LOC\n's POS B-NP O\nHiroshige NNP I-NP B-PER\nYanagimoto NNP I-NP I-PER\n\
        scored VBD B-VP O\n( ( O O\ntwice RB B-ADVP O\n) ) O O\n. . O O\n\n\
        Yanagimoto NNP B-NP B-PER\nsaid VBD B-VP O\nthe DT B-NP O\nU.S. NNP I-NP B-LOC\n\
        and CC O O\nUnited NNP B-NP B-LOC\nStates NNPS I-NP I-LOC\nplay VBP B-VP O\n\
        in IN B-PP O\nthe DT B-NP O\nWorld NNP I-NP B-MISC\nCup NNP I-NP I-MISC\n. . O O\n";

    #[test]
    fn articles_are_rendered_with_the_dateline_starting_the_body() {
        let documents = read(SAMPLE).expect("reads");
        assert_eq!(documents.len(), 1);
        let rendered = documents[0].render();
        assert_eq!(rendered.headline, "SOCCER - JAPAN WIN.");
        assert!(
            rendered.body.starts_with(
                "TOKYO 1996-12-06 Japan's Hiroshige Yanagimoto scored (twice).\n\nYanagimoto said"
            ),
            "{}",
            rendered.body
        );
        let first = rendered
            .words
            .iter()
            .find(|w| w.part == Part::Body)
            .expect("words");
        assert_eq!(&rendered.body[first.start..first.end], "TOKYO");
    }

    #[test]
    fn gold_joins_surnames_and_forms_of_one_place_and_leaves_out_misc() {
        let documents = read(SAMPLE).expect("reads");
        let gold = documents[0].gold(Knowledge::builtin());
        let names: Vec<&[String]> = gold.iter().map(|g| g.names.as_slice()).collect();
        assert_eq!(gold.len(), 4, "{names:?}");
        let person = gold
            .iter()
            .find(|g| g.names[0] == "hiroshige yanagimoto")
            .expect("person");
        assert!(person.names.contains(&"yanagimoto".to_owned()));
        assert!(person.core, "mentioned twice");
        let us = gold
            .iter()
            .find(|g| g.names.contains(&"us".to_owned()))
            .expect("U.S.");
        assert!(us.names.contains(&"united states".to_owned()), "{names:?}");
        assert!(us.core);
        assert!(gold.iter().any(|g| g.names[0] == "japan" && g.core));
        assert!(gold.iter().all(|g| g.names[0] != "world cup"));
    }

    #[test]
    fn headlines_are_restyled_from_the_body() {
        let documents = read(SAMPLE).expect("reads");
        let title = documents[0]
            .restyled(HeadlineStyle::TitleCase)
            .render()
            .headline;
        assert_eq!(title, "Soccer - Japan Win.");
        assert_eq!(HeadlineStyle::of(&title), HeadlineStyle::TitleCase);
        let sentence = documents[0]
            .restyled(HeadlineStyle::SentenceCase)
            .render()
            .headline;
        assert_eq!(sentence, "Soccer - Japan win.");
        assert_eq!(
            HeadlineStyle::of("SOCCER - JAPAN WIN."),
            HeadlineStyle::AllCaps
        );
        assert_eq!(HeadlineStyle::of(&sentence), HeadlineStyle::SentenceCase);
    }
}
