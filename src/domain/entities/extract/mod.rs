//! Reading: where in the text names are. Runs of capitalised words are cut
//! at titles, calendar words and known names; each piece becomes a mention
//! with the clues around it (a title before it says person, "Council" at
//! its end says organisation, "in" before it says place).
//!
//! Over 500 lines because cutting a run (`run_end`, `run`, `piece`,
//! `mention`) is one algorithm whose steps call each other in turn; the
//! clues read around a run are apart in `cues`.

mod cues;

use super::knowledge::{Knowledge, Via, push_key, words_key};
use super::lexicon::Lexicon;
use super::model::{self, Class, DocumentWords, Memory, Model, Paragraph, Span as Tagged};
use super::text::{Case, Kind, Token, tokens};
use super::{Map, Set};
use crate::domain::tag::TagKind;

/// Where a mention is: the headline and the lead weigh more than the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    Headline,
    Lead,
    Body,
}

impl Zone {
    pub fn weight(self) -> f64 {
        match self {
            Zone::Headline => 3.0,
            Zone::Lead => 2.0,
            Zone::Body => 1.0,
        }
    }
}

/// Votes for what a name is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cues {
    pub person: f32,
    pub organisation: f32,
    pub place: f32,
}

impl Cues {
    pub fn add(&mut self, other: Cues) {
        self.person += other.person;
        self.organisation += other.organisation;
        self.place += other.place;
    }

    pub fn any(&self) -> bool {
        self.person + self.organisation + self.place > 0.0
    }
}

#[derive(Debug, Clone)]
pub struct Mention {
    /// The name's words as written, without titles or possessives.
    pub words: Vec<String>,
    pub key: String,
    pub zone: Zone,
    pub cues: Cues,
    /// A word that is capitalised for another reason (it starts a sentence,
    /// or shouts inside a quotation): it may be a further mention of a
    /// name found elsewhere, but it cannot introduce one.
    pub weak: bool,
    /// All capitals: "NATO", "HPA".
    pub upper: bool,
    pub known: Option<(usize, Via)>,
    /// What the tagger said the name is, when it found it.
    pub kind: Option<TagKind>,
    /// Order in the document of the first of these mentions.
    pub position: usize,
    /// How many times the text has this mention, alike in every respect
    /// above: a long text costs memory for its distinct names, not for its
    /// length.
    pub count: u32,
}

impl Mention {
    /// "Biden-Xi": two names joined for an adjective.
    pub fn hyphen_parts(&self) -> Option<Vec<&str>> {
        let [word] = self.words.as_slice() else {
            return None;
        };
        let parts: Vec<&str> = word.split(['-', '‐']).collect();
        (parts.len() > 1
            && parts.iter().all(|p| {
                p.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() && p.chars().count() > 1)
            }))
        .then_some(parts)
    }
}

/// A stretch of text read without capitals to go by (the headline, whose
/// capitals are style; a paragraph in all capitals or none): it can only
/// name things already known, so it is matched after resolving.
#[derive(Debug, Clone)]
pub struct Unmarked<'a> {
    pub text: &'a str,
    pub zone: Zone,
    pub position: usize,
}

#[derive(Debug, Default)]
pub struct Reading<'a> {
    pub mentions: Vec<Mention>,
    pub unmarked: Vec<Unmarked<'a>>,
    /// Words the text also writes in lower case: "council" makes
    /// "Council" an ordinary word.
    pub lower_words: Set<String>,
    /// Names of two or more words that are not tags: events, competitions,
    /// laws ("Fed Cup", "British Masters"). Their words are no mention of
    /// anything else in the headline.
    pub other_names: Set<String>,
}

/// How much the tagger's class counts against the rules' clues (a given
/// name counts 3, a title 3, "in" before a place 1): from 1 when it was
/// torn to 4 when it was sure (its lead over the next class, in the
/// model's units, is 15 or more; the median name's is about 8).
fn vote(margin: f32) -> f32 {
    1.0 + (margin / 5.0).clamp(0.0, 3.0)
}

/// The tagger's margin above which a lone sentence-initial word is a name
/// on its word alone (the median name's margin is about 8).
const SURE_OF_A_SENTENCE_START: f32 = 8.0;

/// What makes two mentions alike.
type MentionKey = (String, Zone, bool, bool, Option<usize>);

/// Articles up to this long are tokenised once.
const KEEP_TOKENS: usize = 256 * 1024;

/// Paragraphs longer than this are read in pieces, so that memory stays
/// small whatever the input.
const CHUNK: usize = 64 * 1024;

pub fn read<'a>(
    headline: &'a str,
    lead: &[&'a str],
    body: &[&'a str],
    knowledge: &Knowledge,
    lexicon: &'static Lexicon,
) -> Reading<'a> {
    let mut reader = Reader {
        knowledge,
        lexicon,
        reading: Reading::default(),
        alike: Map::default(),
        position: 0,
        tags: Vec::new(),
        margins: Vec::new(),
        covered: Vec::new(),
        shouting: false,
    };
    reader.unmarked(headline, Zone::Headline);
    // The tagger looks at the whole article for each word (is it also
    // written in lower case?), so the words are counted first.
    // An article's tokens are kept for the second pass; a text longer
    // than any article is tokenised twice instead, so memory stays small.
    let keep = lead.iter().chain(body).map(|p| p.len()).sum::<usize>() <= KEEP_TOKENS;
    let mut document = DocumentWords::default();
    let mut kept = Vec::new();
    for paragraph in lead.iter().chain(body) {
        for chunk in chunks(paragraph) {
            let chunk_tokens = tokens(chunk, lexicon);
            document.add(&chunk_tokens);
            if keep {
                kept.push(chunk_tokens);
            }
        }
    }
    let mut kept = kept.into_iter();
    let model = Model::get();
    let mut memory = Memory::default();
    let mut first = true;
    for (zone, paragraphs) in [(Zone::Lead, lead), (Zone::Body, body)] {
        for paragraph in paragraphs {
            for chunk in chunks(paragraph) {
                let paragraph_tokens = match kept.next() {
                    Some(kept) => kept,
                    None => tokens(chunk, lexicon),
                };
                if paragraph_tokens.iter().any(Token::is_capital) {
                    let prepared = Paragraph::new(&paragraph_tokens, first, knowledge);
                    let names = model.names(&prepared, &document, &mut memory, lexicon);
                    if has_usable_capitals(&paragraph_tokens) {
                        // The rules propose names and the tagger judges
                        // them; what the rules missed, the tagger adds.
                        (reader.tags, reader.margins) = model::tags(&names, paragraph_tokens.len());
                        reader.covered = vec![false; paragraph_tokens.len()];
                        reader.paragraph(&paragraph_tokens, zone);
                        let covered = std::mem::take(&mut reader.covered);
                        reader.tags.clear();
                        let missed: Vec<Tagged> = names
                            .into_iter()
                            .filter(|n| !covered[n.start..n.end].iter().any(|&c| c))
                            .collect();
                        reader.tagged(&paragraph_tokens, &missed, zone);
                    } else {
                        // Capitals that are style (a shouted line, a
                        // table): the tagger's names there are only
                        // further mentions of names known or found
                        // elsewhere.
                        reader.shouting = !is_table(&paragraph_tokens);
                        reader.tagged(&paragraph_tokens, &names, zone);
                        reader.shouting = false;
                    }
                } else {
                    reader.unmarked(chunk, zone);
                }
                first = false;
            }
        }
    }
    // The words the article writes in lower case, counted once for the
    // tagger, are the resolver's too.
    reader.reading.lower_words = document.into_lower();
    reader.reading
}

/// Cuts a long text at spaces into pieces of at most about `CHUNK` bytes.
fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() <= CHUNK {
            return Some(std::mem::take(&mut rest));
        }
        let mut cut = CHUNK;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = rest[..cut].rfind(char::is_whitespace).unwrap_or(cut).max(1);
        let mut cut = cut;
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// Whether capitals in this text mean names: some words are capitalised
/// and most of those are not all capitals.
fn has_usable_capitals(tokens: &[Token]) -> bool {
    let mut lower = 0usize;
    let mut capitalised = 0usize;
    let mut upper = 0usize;
    for token in tokens.iter().filter(|t| t.is_word()) {
        match token.case {
            Case::Lower => lower += 1,
            Case::Capitalised => capitalised += 1,
            Case::Upper => upper += 1,
            Case::Uncased => {}
        }
    }
    capitalised + upper > 0 && upper * 2 <= capitalised + upper + lower && lower > 0
}

/// A line of a results table or a list of prices ("1. Donovan Bailey
/// (Canada) 9.91"): a fifth of its words or more are numbers and most of
/// its names are not in capitals. Its capitals are names, not style.
fn is_table(tokens: &[Token]) -> bool {
    let (mut numbers, mut capitalised, mut upper, mut words) = (0, 0, 0, 0);
    for token in tokens.iter().filter(|t| t.is_word()) {
        words += 1;
        match token.case {
            Case::Uncased => numbers += 1,
            Case::Capitalised => capitalised += 1,
            Case::Upper => upper += 1,
            Case::Lower => {}
        }
    }
    numbers * 5 >= words && capitalised > upper
}

struct Reader<'k, 'a> {
    knowledge: &'k Knowledge,
    lexicon: &'k Lexicon,
    reading: Reading<'a>,
    /// Where each kind of mention is in `reading.mentions`.
    alike: Map<MentionKey, usize>,
    position: usize,
    /// The tagger's tags for the paragraph being read, and which of its
    /// words a rule-found mention has covered.
    tags: Vec<u8>,
    margins: Vec<f32>,
    covered: Vec<bool>,
    /// Reading a paragraph whose capitals are style: its new names are
    /// weak.
    shouting: bool,
}

/// A word of a run: a token index, or a connector kept in the name
/// ("of", "von", "&").
#[derive(Clone, Copy)]
struct Piece<'t, 'a> {
    tokens: &'t [Token<'a>],
    start: usize,
    /// Inclusive.
    end: usize,
}

impl<'a> Reader<'_, 'a> {
    fn unmarked(&mut self, text: &'a str, zone: Zone) {
        if text.trim().is_empty() {
            return;
        }
        self.position += 1;
        self.reading.unmarked.push(Unmarked {
            text,
            zone,
            position: self.position,
        });
    }

    /// Records the names the tagger found in a paragraph.
    fn tagged(&mut self, tokens: &[Token], names: &[Tagged], zone: Zone) {
        for name in names {
            let words: Vec<usize> = (name.start..name.end)
                .filter(|&i| tokens[i].is_word() || tokens[i].is_punct('&'))
                .collect();
            let Some(kind) = name.class.kind() else {
                self.other_name(tokens, &words);
                continue;
            };
            if words.is_empty() {
                continue;
            }
            let whole_key = words_key(words.iter().map(|&i| tokens[i].text));
            let capitals = words.iter().all(|&i| tokens[i].case == Case::Upper);
            // The gazetteer's entry, unless the text plainly means another
            // thing by the name: "Atlanta" the team is no place.
            let known = self.knowledge.lookup(&whole_key).filter(|&(index, via)| {
                let entry = self.knowledge.entry(index);
                (!self.knowledge.needs_capitals(&whole_key) || capitals)
                    && via != Via::Demonym
                    && (entry.kind == kind || entry.tag.is_some())
            });
            let vote = vote(name.margin);
            let mut cues = Cues::default();
            match name.class {
                Class::Person => cues.person = vote,
                Class::Organisation => cues.organisation = vote,
                _ => cues.place = vote,
            }
            let span = Span {
                tokens,
                words: &words,
                zone,
                before: cues,
                after: Cues::default(),
                titled: false,
            };
            // In a shouted line a name the gazetteer lists stands, even
            // as another kind ("ATLANTA" the team in a standings table).
            let shouting = self.shouting;
            self.shouting &= self.knowledge.lookup(&whole_key).is_none();
            self.mention_as(span, known, Some(kind));
            self.shouting = shouting;
        }
    }

    fn paragraph(&mut self, tokens: &[Token], zone: Zone) {
        let mut i = 0;
        let mut previous: Option<(usize, Cues)> = None;
        while i < tokens.len() {
            if !tokens[i].is_capital() {
                i += 1;
                continue;
            }
            let end = self.run_end(tokens, i);
            let run = Piece {
                tokens,
                start: i,
                end,
            };
            let mut before = self.context_before(tokens, i);
            // "in Bradford, Hull and Stoke-on-Trent": a list shares its
            // preposition.
            let listed = previous.is_some_and(|(previous_end, _)| {
                tokens[previous_end + 1..i]
                    .iter()
                    .all(|t| t.is_punct(',') || matches!(t.text, "and" | "or"))
            });
            if let Some((_, previous_before)) = previous.filter(|_| listed) {
                before.place = before.place.max(previous_before.place);
            }
            let mut after = self.context_after(tokens, end);
            // "in Heidelberg, who …": the "who" is someone else.
            if before.place > 0.0 {
                after.person = 0.0;
            }
            self.run(run, zone, before, after);
            previous = Some((end, before));
            i = end + 1;
        }
    }

    /// The last token of the run of name words starting at `start`.
    fn run_end(&self, tokens: &[Token], start: usize) -> usize {
        let lex = self.lexicon;
        let is_capital = |i: usize| tokens.get(i).is_some_and(Token::is_capital);
        let mut j = start;
        loop {
            let current = &tokens[j];
            // Only a few branches need the word in lower case.
            let lower = || current.lower.as_ref();
            if current.possessive {
                // "St Mary's Hospital" and "Women's Tennis Association" go
                // on; "Macron's Africa adviser" does not.
                let saint = j > start && matches!(tokens[j - 1].text, "St" | "Saint" | "Ste")
                    || matches!(lower(), "women" | "men" | "children" | "people");
                let next_is_head = tokens.get(j + 1).is_some_and(|t| {
                    t.is_capital() && {
                        let l: &str = &t.lower;
                        lex.organisation_heads.contains(l) || lex.place_heads.contains(l)
                    }
                });
                if saint && is_capital(j + 1) || next_is_head {
                    j += 1;
                    continue;
                }
                return j;
            }
            let Some(next) = tokens.get(j + 1) else {
                return j;
            };
            if next.is_capital() {
                j += 1;
                continue;
            }
            match next.kind {
                // "Mr. Smith", "John F. Kennedy".
                Kind::Punct('.')
                    if is_capital(j + 2)
                        && (current.text.chars().count() == 1 || {
                            let lower = lower();
                            lex.abbreviations.contains(lower) && lex.titles.contains_key(lower)
                        }) =>
                {
                    j += 2;
                }
                Kind::Punct('&') if is_capital(j + 2) => j += 2,
                Kind::Word if next.is_lower() => {
                    let word = next.text;
                    if lex.particles.contains(word) {
                        // "von der Leyen": up to two particles.
                        if is_capital(j + 2) {
                            j += 2;
                        } else if tokens
                            .get(j + 2)
                            .is_some_and(|t| t.is_lower() && lex.particles.contains(t.text))
                            && is_capital(j + 3)
                        {
                            j += 3;
                        } else {
                            return j;
                        }
                    } else if self.joins_names(tokens, start, j, word, lower()) {
                        j += 2;
                    } else {
                        return j;
                    }
                }
                _ => return j,
            }
        }
    }

    /// Whether a lower-case `word` after token `j` carries the run on to
    /// the next capitalised word: "Bank of England", "Department for
    /// Transport", "Bosnia and Herzegovina", "Fire and Rescue Service".
    fn joins_names(
        &self,
        tokens: &[Token],
        start: usize,
        j: usize,
        word: &str,
        lower: &str,
    ) -> bool {
        if !tokens.get(j + 2).is_some_and(Token::is_capital) {
            return false;
        }
        match word {
            "of" | "for" => self.lexicon.of_heads.contains(lower),
            "and" => {
                let name = words_key(
                    tokens[start..=j]
                        .iter()
                        .filter(|t| t.is_word())
                        .map(|t| t.text),
                );
                self.knowledge.continues(&format!("{name} and"))
                    || self.capitals_end_in_organisation_head(tokens, j + 2)
            }
            _ => false,
        }
    }

    /// Whether the capitalised words from `from` on end in an
    /// organisation's head word ("Rescue Service").
    fn capitals_end_in_organisation_head(&self, tokens: &[Token], from: usize) -> bool {
        let last = tokens[from..].iter().take_while(|t| t.is_capital()).last();
        last.is_some_and(|t| self.lexicon.organisation_heads.contains(t.lower.as_ref()))
    }

    /// Splits a run into names and records them.
    fn run(&mut self, run: Piece, zone: Zone, before: Cues, after: Cues) {
        let lex = self.lexicon;
        let words = word_indices(run);
        // Drop sentence-initial and stray function words at the start:
        // "The", "On Monday".
        let mut first = 0;
        while first < words.len() {
            let token = &run.tokens[words[first]];
            let lower: &str = &token.lower;
            // "WHO" and "MAY" in capitals are not the function words.
            // Mid-sentence, a capitalised function word belongs to the name:
            // "the All Progressives Congress", "The Lancet".
            let droppable = token.case != Case::Upper
                && !lex.titles.contains_key(lower)
                && (lex.calendar.contains(lower)
                    || (token.sentence_start
                        && (lex.function_words.contains(lower)
                            || lex.common_capitalised.contains(lower))));
            // "Ontario-based Magna", "Paris-born Ana": an adjective made
            // from a name is not part of the next one.
            let adjective = is_hyphenated_adjective(token.text) && first + 1 < words.len();
            if !(droppable || adjective) || self.known_prefix(run.tokens, &words[first..]) {
                break;
            }
            first += 1;
        }
        // "Teenager Elena Novak", "Analyst Rebecca Stone": a word that
        // starts a sentence before a given name describes the person.
        if words.len() >= first + 2 {
            let opener = &run.tokens[words[first]];
            let second: &str = &run.tokens[words[first + 1]].lower;
            let opener_lower: &str = &opener.lower;
            let describes =
                lex.given_names.contains(second) && !lex.given_names.contains(opener_lower);
            // "Seismologist Hernando Tavera": a profession is no name.
            if opener.sentence_start
                && (describes || is_profession(opener_lower))
                && !self.known_prefix(run.tokens, &words[first..])
            {
                first += 1;
            }
        }
        // "American James Heath", "Controversial Australian Anthony Hill":
        // words that describe a person before their given name.
        if let Some(given) = (first + 1..words.len().saturating_sub(1)).find(|&p| {
            lex.given_names
                .contains(run.tokens[words[p]].lower.as_ref())
        }) && (first..given).all(|n| {
            let token = &run.tokens[words[n]];
            // A sentence's first word before a nationality or role is one
            // more description ("Controversial Australian Anthony Hill").
            self.describes(token)
                || (n == first
                    && given > first + 1
                    && token.sentence_start
                    && !lex.given_names.contains(token.lower.as_ref()))
        }) && !self.known_prefix(run.tokens, &words[first..])
        {
            first = given;
        }
        let words = &words[first..];
        if words.is_empty() {
            return;
        }
        self.piece(Span {
            tokens: run.tokens,
            words,
            zone,
            before,
            after,
            titled: false,
        });
    }

    /// Whether a capitalised word before a given name describes the
    /// person rather than naming them: a nationality, a role, a
    /// profession.
    fn describes(&self, token: &Token) -> bool {
        let lower: &str = &token.lower;
        let lex = self.lexicon;
        self.knowledge
            .lookup(lower)
            .is_some_and(|(_, via)| via == Via::Demonym)
            || lex.roles.contains(lower)
            || lex.not_names.contains(lower)
            || is_profession(lower)
    }

    /// Whether the words from here start a known name ("The Hague").
    fn known_prefix(&self, tokens: &[Token], words: &[usize]) -> bool {
        let mut k = String::new();
        for (n, &i) in words.iter().enumerate().take(self.knowledge.longest()) {
            push_key(&mut k, tokens[i].text);
            if n > 0 && self.knowledge.lookup(&k).is_some() {
                return true;
            }
            if !self.knowledge.continues(&k) {
                return false;
            }
        }
        false
    }

    fn piece(&mut self, span: Span) {
        let lex = self.lexicon;
        let Span {
            tokens,
            words,
            before,
            after,
            titled,
            ..
        } = span;
        if words.is_empty() {
            return;
        }
        let texts: Vec<&str> = words.iter().map(|&i| tokens[i].text).collect();
        let lowers: Vec<&str> = words.iter().map(|&i| tokens[i].lower.as_ref()).collect();
        let whole_key = words_key(&texts);
        if let Some(known) = self.knowledge.lookup(&whole_key)
            && (!self.knowledge.needs_capitals(&whole_key)
                || words.iter().all(|&i| tokens[i].case == Case::Upper))
        {
            self.mention(span, Some(known));
            return;
        }
        let last = head_word(&lowers);
        let headed = lex.organisation_heads.contains(last) || lex.place_heads.contains(last);

        // A title inside the run: "French President Emmanuel Macron".
        if !headed || words.len() > 1 {
            for p in 0..words.len() {
                // "Major-General", "Lieutenant-Colonel": one word.
                let hyphenated = lowers[p].split_once('-').is_some_and(|(head, _)| {
                    lex.titles
                        .get(head)
                        .is_some_and(|titles| titles.iter().any(|t| t.len() == 1))
                });
                let title_words = if hyphenated {
                    1
                } else {
                    let Some(titles) = lex.titles.get(lowers[p]) else {
                        continue;
                    };
                    let Some(title) = titles.iter().find(|t| {
                        t.len() <= words.len() - p
                            && t.iter().zip(&lowers[p..]).all(|(a, b)| *a == *b)
                    }) else {
                        continue;
                    };
                    title.len()
                };
                let rest = &words[p + title_words..];
                let rest_headed = rest.last().is_some_and(|&i| {
                    let l: &str = &tokens[i].lower;
                    lex.organisation_heads.contains(l) || lex.place_heads.contains(l)
                });
                // "General Motors" is no general; "Professor Adrian Hill" is
                // a professor.
                let rest_person = rest
                    .first()
                    .is_some_and(|&i| lex.given_names.contains(tokens[i].lower.as_ref()));
                if rest_headed && !rest_person {
                    continue;
                }
                self.piece(span.part(&words[..p], before, Cues::default(), titled));
                let person = Cues {
                    person: 3.0,
                    ..Cues::default()
                };
                self.piece(span.part(rest, person, after, true));
                return;
            }
        }

        // Calendar words cut a run ("Merkel Monday"), except after a given
        // name ("Theresa May").
        for p in 1..words.len() {
            let breaks = tokens[words[p]].case != Case::Lower
                && (lex.calendar.contains(lowers[p])
                    || lex.function_words.contains(lowers[p])
                    // "Cofinec CEO Stephen Frater".
                    || (tokens[words[p]].case == Case::Upper
                        && lex.not_names.contains(lowers[p])));
            if breaks && !lex.given_names.contains(lowers[p - 1]) {
                self.piece(span.part(&words[..p], before, Cues::default(), titled));
                self.piece(span.part(&words[p + 1..], Cues::default(), after, false));
                return;
            }
        }

        let whole = words.len() == 1
            || headed
            || lex.other_heads.contains(last)
            || lowers.iter().any(|w| matches!(*w, "of" | "&"))
            || lex.given_names.contains(lowers[0])
            || lex.place_prefixes.contains(lowers[0])
            || titled;
        if !whole && !self.tagged_as_one(words) {
            // Known names inside an unknown run: "Harbourne Brazil" is two,
            // unless the tagger reads one name in it ("Air France").
            if let Some((at, len)) = self.longest_known(tokens, words) {
                self.piece(span.part(&words[..at], before, Cues::default(), titled));
                let known_words = &words[at..at + len];
                self.piece(span.part(known_words, before, Cues::default(), false));
                self.piece(span.part(&words[at + len..], before, after, false));
                return;
            }
        }
        self.mention(span, None);
    }

    /// Whether the tagger read these words as exactly one name of a tag's
    /// kind.
    fn tagged_as_one(&self, words: &[usize]) -> bool {
        let Some(&first) = words.first().and_then(|&i| self.tags.get(i)) else {
            return false;
        };
        let class = model::class_index(first);
        first != model::OUTSIDE
            && !model::is_inside(first)
            && Class::ALL[class].kind().is_some()
            && words[1..].iter().all(|&i| {
                let tag = self.tags[i];
                model::is_inside(tag) && model::class_index(tag) == class
            })
            && words
                .last()
                .is_none_or(|&i| !self.tags.get(i + 1).is_some_and(|&t| model::is_inside(t)))
    }

    /// The first, longest known name inside these words.
    fn longest_known(&self, tokens: &[Token], words: &[usize]) -> Option<(usize, usize)> {
        for at in 0..words.len() {
            let mut found = None;
            let mut k = String::new();
            for len in 1..=(words.len() - at).min(self.knowledge.longest()) {
                push_key(&mut k, tokens[words[at + len - 1]].text);
                // An acronym inside a longer name is part of it: "Reform UK".
                if self.knowledge.lookup(&k).is_some() && !self.knowledge.needs_capitals(&k) {
                    found = Some((at, len));
                }
                if !self.knowledge.continues(&k) {
                    break;
                }
            }
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn mention(&mut self, span: Span, known: Option<(usize, Via)>) {
        // "Biden-Xi" is two names the tagger reads as an adjective.
        let pair = span.words.len() == 1 && span.tokens[span.words[0]].text.contains('-');
        // Inside a longer name the rules cut ("Macron's Africa adviser"),
        // the tagger's class is the longer name's.
        let cut = self
            .tags
            .get(span.words[0])
            .is_some_and(|&tag| model::is_inside(tag));
        if self.tags.is_empty() || pair || cut {
            for &i in span.words {
                if let Some(covered) = self.covered.get_mut(i) {
                    *covered = true;
                }
            }
            self.mention_as(span, known, None);
            return;
        }
        // What the tagger made of these words: most often which class.
        let mut votes = [0usize; 5];
        let mut margin = f32::INFINITY;
        for &i in span.words {
            self.covered[i] = true;
            votes[model::class_index(self.tags[i])] += 1;
            margin = margin.min(self.margins[i]);
        }
        // A lone word starting a sentence ("Businesses on Harbour Street
        // …") is a name only when the tagger is sure of it.
        if span.words.len() == 1
            && known.is_none()
            && span.tokens[span.words[0]].sentence_start
            && margin < SURE_OF_A_SENTENCE_START
        {
            return self.mention_as(span, known, None);
        }
        let named = (0..4).max_by_key(|&c| (votes[c], std::cmp::Reverse(c)));
        let class = named.filter(|&c| votes[c] > 0).map(|c| Class::ALL[c]);
        let site_tag = known.is_some_and(|(index, _)| self.knowledge.entry(index).tag.is_some());
        let kind = match class.and_then(Class::kind) {
            Some(kind) => kind,
            // A site's own tag stands whatever the tagger thinks.
            None if site_tag => return self.mention_as(span, known, None),
            // A nationality, an event, or no name at all ("Results").
            None if class.is_some() || known.is_none_or(|(_, via)| via == Via::Demonym) => {
                if class.is_some() {
                    self.other_name(span.tokens, span.words);
                }
                return;
            }
            None => return self.mention_as(span, known, None),
        };
        let known = known.filter(|&(index, via)| {
            site_tag || (via != Via::Demonym && self.knowledge.entry(index).kind == kind)
        });
        let mut span = span;
        let vote = vote(margin);
        match kind {
            TagKind::Person => span.before.person += vote,
            TagKind::Organisation => span.before.organisation += vote,
            _ => span.before.place += vote,
        }
        self.mention_as(span, known, Some(kind));
    }

    /// Remembers a name that is not a tag, when it has more than one word,
    /// with its first words.
    fn other_name(&mut self, tokens: &[Token], words: &[usize]) {
        if words.len() < 2 {
            return;
        }
        // Its first words too: "the U.S. Open" of the U.S. Open Tennis
        // Championships.
        let mut name = String::new();
        for (n, &i) in words.iter().enumerate() {
            push_key(&mut name, tokens[i].text);
            if n > 0 && !self.reading.other_names.contains(&name) {
                self.reading.other_names.insert(name.clone());
            }
        }
    }

    /// Records a mention; `kind` is what the tagger said it is.
    fn mention_as(&mut self, span: Span, known: Option<(usize, Via)>, kind: Option<TagKind>) {
        let Span {
            tokens,
            words,
            zone,
            before,
            after,
            titled,
        } = span;
        let lex = self.lexicon;
        // A possessive inside a name stays: "St Anne's Church".
        let texts: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let token = &tokens[i];
                if token.plural_possessive && n + 1 < words.len() {
                    format!("{}'", token.text)
                } else if token.possessive && n + 1 < words.len() {
                    format!("{}'s", token.text)
                } else {
                    token.text.to_owned()
                }
            })
            .collect();
        let lowers: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
        let first_token = &tokens[words[0]];
        let upper = words.iter().all(|&i| tokens[i].case == Case::Upper);
        if known.is_none() {
            // One letter, or nothing but vocabulary, is not a name.
            let letters = texts.iter().map(|t| t.chars().count()).sum::<usize>();
            if letters < 2
                || words.iter().zip(&lowers).all(|(&i, w)| {
                    // "US" in capitals is no pronoun.
                    tokens[i].case != Case::Upper
                        && if kind.is_some() {
                            lex.is_never_a_name(w)
                        } else {
                            lex.is_vocabulary(w)
                        }
                })
                || lex.not_names.contains(lowers[0].as_str()) && words.len() == 1
            {
                return;
            }
        }
        let mut cues = Cues::default();
        cues.add(before);
        cues.add(after);
        let first = lowers[0].as_str();
        let last = head_word(&lowers);
        let given = lex.given_names.contains(first);
        if given {
            cues.person += if words.len() > 1 { 3.0 } else { 1.0 };
        }
        // "Adrian Hill" and "Tom Bank" are people whatever their surnames.
        let surname_only = given && words.len() <= 3;
        if lex.organisation_heads.contains(last) && words.len() > 1 && !surname_only {
            cues.organisation += 5.0;
        }
        if lex.place_heads.contains(last) && words.len() > 1 && !surname_only {
            cues.place += 5.0;
        }
        if lex.place_prefixes.contains(first) && words.len() > 1 {
            cues.place += 5.0;
        }
        if known.is_none() && lex.is_grouping(&lowers) {
            return;
        }
        if lex.other_heads.contains(lowers[lowers.len() - 1].as_str()) && known.is_none() {
            // "Paris Agreement", "World Cup": a name, but not of a person,
            // an organisation or a place.
            self.other_name(tokens, words);
            return;
        }
        if lowers.iter().any(|w| w == "&") {
            cues.organisation += 2.0;
        }
        if upper && known.is_none() && words.len() == 1 {
            cues.organisation += 2.0;
        }
        if titled {
            cues.person += 1.0;
        }
        // "Hollins, the department store chain, …" starts a sentence but
        // is plainly a name.
        let described = after.person.max(after.organisation).max(after.place) >= 1.5;
        // The tagger has read the sentence: a name it found is no mere
        // capitalised sentence start.
        let weak = self.shouting
            || known.is_none()
                && kind.is_none()
                && ((words.len() == 1 && first_token.sentence_start && !described)
                    || (first_token.quoted && upper));
        self.position += 1;
        let mention_key = words_key(&texts);
        let alike = (
            mention_key.clone(),
            zone,
            weak,
            upper,
            known.map(|(index, _)| index),
        );
        if let Some(&at) = self.alike.get(&alike) {
            let same = &mut self.reading.mentions[at];
            same.count += 1;
            same.cues.add(cues);
            return;
        }
        self.alike.insert(alike, self.reading.mentions.len());
        self.reading.mentions.push(Mention {
            key: mention_key,
            words: texts,
            zone,
            cues,
            weak,
            upper,
            known,
            kind,
            position: self.position,
            count: 1,
        });
    }
}

/// "Ontario-based", "Paris-born": capitalised, but ending in a lower-case
/// part after a hyphen.
fn is_hyphenated_adjective(word: &str) -> bool {
    word.rsplit_once(['-', '‐']).is_some_and(|(name, tail)| {
        !name.is_empty() && tail.len() > 1 && tail.chars().all(char::is_lowercase)
    })
}

/// Professions by their ending: "seismologist", "economist", "pianist".
fn is_profession(lower: &str) -> bool {
    lower.len() > 5 && lower.ends_with("ist")
}

/// The word that says what a name is: "Institute" in "Max Planck Institute
/// for Astronomy", otherwise the last.
pub(super) fn head_word<S: AsRef<str>>(lowers: &[S]) -> &str {
    let connector = lowers
        .iter()
        .position(|w| matches!(w.as_ref(), "of" | "for"))
        .filter(|&p| p > 0);
    match connector {
        Some(p) => lowers[p - 1].as_ref(),
        None => lowers.last().map(AsRef::as_ref).unwrap_or_default(),
    }
}

/// Part of a run being split into names, with the clues around it.
#[derive(Clone, Copy)]
struct Span<'t, 'a> {
    tokens: &'t [Token<'a>],
    /// Indices of its word tokens.
    words: &'t [usize],
    zone: Zone,
    before: Cues,
    after: Cues,
    /// A title came just before it.
    titled: bool,
}

impl<'t, 'a> Span<'t, 'a> {
    /// A part of this span, with the clues that reach it.
    fn part(self, words: &'t [usize], before: Cues, after: Cues, titled: bool) -> Self {
        Span {
            words,
            before,
            after,
            titled,
            ..self
        }
    }
}

/// The word tokens of a run, connectors ("&") included.
fn word_indices(run: Piece) -> Vec<usize> {
    (run.start..=run.end)
        .filter(|&i| run.tokens[i].is_word() || run.tokens[i].is_punct('&'))
        .collect()
}
