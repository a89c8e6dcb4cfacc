//! Resolving: which mentions are the same entity. Full names and known
//! names found first; then single words join them ("Merkel" is Angela
//! Merkel, "ECB" is the European Central Bank) or, with enough evidence,
//! become entities of their own; last, the headline and text without
//! usable capitals are matched against what is now known.

use super::Entity;
use super::extract::{Cues, Mention, Reading, Unmarked, Zone, head_word};
use super::knowledge::{Knowledge, Via, key, push_key, words_key};
use super::lexicon::Lexicon;
use super::{Map, Set};
use crate::domain::tag::TagKind;

/// The longest name that is not a tag looked for in unmarked text.
const OTHER_NAME_WORDS: usize = 5;

struct Cluster {
    known: Option<usize>,
    /// Each distinct way the entity was written, as words.
    forms: Vec<Vec<String>>,
    /// How much each form was used, weighted as the score is.
    form_weights: Vec<f64>,
    keys: Map<String, usize>,
    cues: Cues,
    score: f64,
    mentions: u32,
    first: usize,
}

/// What a stretch of unmarked text names.
enum Target {
    Cluster(usize),
    Known(usize),
    /// The first or last words of one of the cluster's names.
    Part(usize),
}

struct Resolver<'a> {
    knowledge: &'a Knowledge,
    lexicon: &'a Lexicon,
    lower_words: &'a Set<String>,
    other_names: &'a Set<String>,
    clusters: Vec<Cluster>,
    by_key: Map<String, usize>,
    by_known: Map<usize, usize>,
    /// The last word of a name ("Merkel", "Rovers"): what it may stand for.
    by_last: Map<String, Vec<usize>>,
    /// The first word of a name when it is not a common given name
    /// ("Nordvik" of Nordvik Shipping, "Xi" of Xi Jinping).
    by_first: Map<String, Vec<usize>>,
    /// Words of the headline, which count as evidence for a single word.
    headline: Set<String>,
    /// "ecb" for the European Central Bank.
    by_initials: Map<String, Vec<usize>>,
    /// The first two or more words of a longer name that is no person's
    /// ("dow chemical" of Dow Chemical Co), for headlines that shorten it.
    by_prefix: Map<String, Vec<usize>>,
    longest_form: usize,
}

pub fn resolve(reading: Reading, knowledge: &Knowledge, lexicon: &Lexicon) -> Vec<Entity> {
    let mut resolver = Resolver {
        knowledge,
        lexicon,
        lower_words: &reading.lower_words,
        other_names: &reading.other_names,
        clusters: Vec::new(),
        by_key: Map::default(),
        by_known: Map::default(),
        by_last: Map::default(),
        by_first: Map::default(),
        headline: reading
            .unmarked
            .iter()
            .filter(|u| u.zone == Zone::Headline)
            .flat_map(|u| unmarked_words(u.text, lexicon))
            .flatten()
            .map(|word| word.key)
            .collect(),
        by_initials: Map::default(),
        by_prefix: Map::default(),
        longest_form: 1,
    };
    let mut singles = Vec::new();
    let mut hyphenated = Vec::new();
    for mention in &reading.mentions {
        if let Some((index, via)) = mention.known {
            let cluster = resolver.known_cluster(index);
            resolver.add(cluster, mention, &mention.words, via);
        } else if mention.hyphen_parts().is_some() {
            hyphenated.push(mention);
        } else if mention.words.len() > 1 && !mention.weak {
            if resolver.is_vocabulary_run(mention) {
                continue;
            }
            let cluster = match resolver.by_key.get(&mention.key) {
                Some(&cluster) => cluster,
                None => resolver.new_cluster(None),
            };
            resolver.add(cluster, mention, &mention.words, Via::Name);
        } else {
            singles.push(mention);
        }
    }
    resolver.index_names();

    let mut unattached = Vec::new();
    for mention in singles {
        match resolver.attach_as(&mention.key, mention.upper, mention.position, mention.kind) {
            Some(cluster) => resolver.add(cluster, mention, &mention.words, Via::Name),
            None => unattached.push(mention),
        }
    }
    resolver.found_singles(unattached);

    // "Biden-Xi": the parts that are names found elsewhere; otherwise one
    // word ("Rolls-Royce").
    let mut unattached = Vec::new();
    for mention in hyphenated {
        let parts = mention.hyphen_parts().unwrap_or_default();
        let resolved: Vec<(usize, &str)> = parts
            .iter()
            .filter_map(|part| {
                resolver
                    .attach(&key(part), mention.upper, mention.position)
                    .map(|cluster| (cluster, *part))
            })
            .collect();
        if resolved.is_empty() {
            unattached.push(mention);
        }
        for (cluster, part) in resolved {
            resolver.add(cluster, mention, &[part.to_owned()], Via::Name);
        }
    }
    resolver.found_singles(unattached);

    for unmarked in &reading.unmarked {
        resolver.match_unmarked(unmarked);
    }
    resolver.entities()
}

impl Resolver<'_> {
    fn new_cluster(&mut self, known: Option<usize>) -> usize {
        self.clusters.push(Cluster {
            known,
            forms: Vec::new(),
            form_weights: Vec::new(),
            keys: Map::default(),
            cues: Cues::default(),
            score: 0.0,
            mentions: 0,
            first: usize::MAX,
        });
        self.clusters.len() - 1
    }

    fn known_cluster(&mut self, index: usize) -> usize {
        if let Some(&cluster) = self.by_known.get(&index) {
            return cluster;
        }
        let cluster = self.new_cluster(Some(index));
        self.by_known.insert(index, cluster);
        cluster
    }

    fn add(&mut self, cluster_index: usize, mention: &Mention, words: &[String], via: Via) {
        let weight = mention.zone.weight() * if via == Via::Demonym { 0.5 } else { 1.0 };
        let (position, cues) = (mention.position, mention.cues);
        let form_key = words_key(words);
        let c = &mut self.clusters[cluster_index];
        c.score += weight * f64::from(mention.count);
        c.mentions += mention.count;
        c.first = c.first.min(position);
        c.cues.add(cues);
        // A demonym is a mention of its country, not one of its names.
        if via == Via::Demonym || form_key.is_empty() {
            return;
        }
        if let Some(&form) = c.keys.get(&form_key) {
            c.form_weights[form] += weight * f64::from(mention.count);
        } else {
            c.keys.insert(form_key.clone(), c.forms.len());
            c.forms.push(words.to_vec());
            c.form_weights.push(weight * f64::from(mention.count));
            self.longest_form = self.longest_form.max(words.len());
            self.by_key.entry(form_key).or_insert(cluster_index);
        }
    }

    /// Vocabulary, or a word this text also writes in lower case.
    fn is_vocabulary(&self, lower: &str) -> bool {
        self.lexicon.is_vocabulary(lower) || self.lower_words.contains(lower)
    }

    /// "Climate Change", "Local Elections": capitalised words the text
    /// also uses as ordinary words, without an ending that makes a name.
    fn is_vocabulary_run(&self, mention: &Mention) -> bool {
        let headed = mention.cues.organisation >= 5.0 || mention.cues.place >= 5.0;
        !headed
            && mention
                .words
                .iter()
                .all(|w| self.is_vocabulary(&w.to_lowercase()))
    }

    fn kind(&self, cluster: &Cluster) -> TagKind {
        if let Some(index) = cluster.known {
            return self.knowledge.entry(index).kind;
        }
        // "Lumora Systems", "Harbourne Town Hall": a name that ends in an
        // organisation's or a place's word is one, whatever the sentences
        // around its shorter forms suggest ("Lumora said").
        if let Some(fullest) = cluster.forms.iter().max_by_key(|f| f.len())
            && fullest.len() > 1
            && !self
                .lexicon
                .given_names
                .contains(fullest[0].to_lowercase().as_str())
        {
            let lowers: Vec<String> = fullest.iter().map(|w| w.to_lowercase()).collect();
            let head = head_word(&lowers);
            // "St Mary's Church" is a building; "the Catholic Church" is
            // not.
            let saint = matches!(lowers[0].trim_end_matches('.'), "st" | "saint" | "ste");
            if saint && head == "church" {
                return TagKind::Place;
            }
            if self.lexicon.organisation_heads.contains(head) {
                return TagKind::Organisation;
            }
            if self.lexicon.place_heads.contains(head) {
                return TagKind::Place;
            }
        }
        let cues = cluster.cues;
        if cues.any() {
            if cues.person >= cues.organisation && cues.person >= cues.place {
                return TagKind::Person;
            }
            return if cues.organisation >= cues.place {
                TagKind::Organisation
            } else {
                TagKind::Place
            };
        }
        // People are nearly always introduced with a given name, a title
        // or a role; a name with none of these is most likely a business.
        TagKind::Organisation
    }

    /// Indexes names by their first and last words and organisations by
    /// their initials, for the single words that follow.
    fn index_names(&mut self) {
        fn push(map: &mut Map<String, Vec<usize>>, word: String, index: usize) {
            let list = map.entry(word).or_default();
            if !list.contains(&index) {
                list.push(index);
            }
        }
        for (index, cluster) in self.clusters.iter().enumerate() {
            let kind = self.kind(cluster);
            // A known person (a site's tag) is named by surname too; known
            // places and organisations are not indexed by their words.
            if cluster.known.is_some() && kind != TagKind::Person {
                continue;
            }
            for form in cluster.forms.iter().filter(|f| f.len() > 1) {
                push(&mut self.by_last, key(&form[form.len() - 1]), index);
                let first = key(&form[0]);
                if !self.lexicon.given_names.contains(first.as_str()) {
                    push(&mut self.by_first, first, index);
                }
                if kind != TagKind::Person {
                    let mut prefix = key(&form[0]);
                    for word in &form[1..form.len() - 1] {
                        push_key(&mut prefix, word);
                        if !word.starts_with(char::is_lowercase) {
                            push(&mut self.by_prefix, prefix.clone(), index);
                        }
                    }
                }
                if kind == TagKind::Organisation {
                    let initials = initials(form);
                    if initials.chars().count() >= 2 {
                        push(&mut self.by_initials, initials, index);
                    }
                }
            }
        }
    }

    /// The entity a single word stands for, if any is known.
    fn attach(&mut self, mention_key: &str, upper: bool, position: usize) -> Option<usize> {
        self.attach_as(mention_key, upper, position, None)
    }

    /// As `attach`, for a name the tagger said is of `kind`: a known
    /// name of another kind is another thing ("Atlanta" the team).
    fn attach_as(
        &mut self,
        word_key: &str,
        upper: bool,
        position: usize,
        kind: Option<TagKind>,
    ) -> Option<usize> {
        if let Some(&cluster) = self.by_key.get(word_key) {
            return Some(cluster);
        }
        if let Some((index, via)) = self.knowledge.lookup(word_key)
            && (upper || !self.knowledge.needs_capitals(word_key))
            && kind.is_none_or(|kind| {
                let entry = self.knowledge.entry(index);
                via != Via::Demonym && (entry.kind == kind || entry.tag.is_some())
            })
        {
            return Some(self.known_cluster(index));
        }
        let vocabulary = self.is_vocabulary(word_key);
        // A surname: the most mentioned of those who bear it ("Fairbairn"),
        // but an ordinary word only when it can mean one thing ("Council").
        if let Some(list) = self.by_last.get(word_key)
            && (!vocabulary || list.len() == 1)
            && let Some(best) = list
                .iter()
                .copied()
                .max_by(|a, b| self.clusters[*a].score.total_cmp(&self.clusters[*b].score))
        {
            if !vocabulary {
                self.clusters[best].cues.person += 1.0;
            }
            return Some(best);
        }
        // "Nordvik" for Nordvik Shipping; but "Harbourne" that begins
        // several names is a place of its own.
        // The full name comes first ("Nordvik Shipping … Nordvik"); "the
        // Amazon … the Amazon Fund" are two.
        if let Some([only]) = self.by_first.get(word_key).map(Vec::as_slice)
            && self.clusters[*only].first < position
        {
            let only = *only;
            if !vocabulary {
                self.clusters[only].cues.organisation += 1.0;
            }
            return Some(only);
        }
        if upper && let Some([only]) = self.by_initials.get(word_key).map(Vec::as_slice) {
            return Some(*only);
        }
        None
    }

    /// Single words that joined nothing: an entity of their own when they
    /// are not vocabulary and there is evidence (a clue, or two mentions
    /// that are not sentence-initial).
    fn found_singles(&mut self, mentions: Vec<&Mention>) {
        let mut groups: Vec<(String, Vec<&Mention>)> = Vec::new();
        let mut index: Map<String, usize> = Map::default();
        for mention in mentions {
            match index.get(&mention.key) {
                Some(&i) => groups[i].1.push(mention),
                None => {
                    index.insert(mention.key.clone(), groups.len());
                    groups.push((mention.key.clone(), vec![mention]));
                }
            }
        }
        for (group_key, mentions) in groups {
            let upper = mentions.iter().all(|m| m.upper);
            let kind = mentions[0].kind;
            if let Some(cluster) = self.attach_as(&group_key, upper, mentions[0].position, kind) {
                for mention in mentions {
                    self.add(cluster, mention, &mention.words, Via::Name);
                }
                continue;
            }
            let lower = group_key.to_lowercase();
            let all_upper = mentions.iter().all(|m| m.upper);
            // An acronym in capitals is no ordinary word, whatever the
            // text writes in lower case.
            // A word the tagger read as a name in its sentence ("the
            // Treasury declined") is one, unless it is a function or
            // calendar word or the text also writes it in lower case.
            let tagged = mentions.iter().any(|m| m.kind.is_some());
            let vocabulary = if tagged {
                self.lexicon.is_never_a_name(&lower)
            } else {
                self.lexicon.is_vocabulary(&lower)
            };
            if vocabulary || (!all_upper && self.lower_words.contains(&lower)) {
                continue;
            }
            let strong: Vec<&&Mention> = mentions.iter().filter(|m| !m.weak).collect();
            let mut cues = Cues::default();
            for mention in &strong {
                cues.add(mention.cues);
            }
            let clue = cues.person.max(cues.organisation).max(cues.place) >= 1.0;
            let strong_mentions: u32 = strong.iter().map(|m| m.count).sum();
            let evidence = strong_mentions + u32::from(self.headline.contains(&group_key));
            if strong.is_empty() || !(clue || evidence >= 2) {
                continue;
            }
            let cluster = self.new_cluster(None);
            // The first word of several names ("Westshire Police",
            // "Westshire Crown Court") is where they are.
            if self
                .by_first
                .get(&group_key)
                .is_some_and(|list| list.len() > 1)
            {
                self.clusters[cluster].cues.place += 5.0;
            }
            for mention in mentions {
                self.add(cluster, mention, &mention.words, Via::Name);
            }
        }
    }

    /// Finds known names in a headline or a paragraph without usable
    /// capitals, longest first.
    fn match_unmarked(&mut self, unmarked: &Unmarked) {
        let segments = unmarked_words(unmarked.text, self.lexicon);
        for words in segments {
            self.match_words(&words, unmarked);
        }
    }

    fn match_words(&mut self, words: &[Word], unmarked: &Unmarked) {
        let longest = self.longest_form.max(self.knowledge.longest());
        let inside_other = self.inside_other_names(words);
        let mut i = 0;
        while i < words.len() {
            if inside_other[i] {
                i += 1;
                continue;
            }
            let mut found = None;
            let mut text = String::new();
            for len in 1..=longest.min(words.len() - i) {
                if len > 1 {
                    text.push(' ');
                }
                text.push_str(&words[i + len - 1].key);
                let capitals_count = words[i..i + len].iter().all(|w| w.sure_capitals);
                // A known name is itself before it is the last word of
                // another ("ROMANIA" is no National Bank of Romania).
                if let Some(&cluster) = self.by_key.get(&text)
                    && (!self.knowledge.needs_capitals(&text) || capitals_count)
                {
                    found = Some((len, Target::Cluster(cluster), Via::Name));
                } else if let Some((index, via)) = self.knowledge.lookup(&text)
                    && (!self.knowledge.needs_capitals(&text) || capitals_count)
                    // "English" is no mention of England unless it is named.
                    && (via != Via::Demonym || self.by_known.contains_key(&index))
                {
                    found = Some((len, Target::Known(index), via));
                } else if len == 1
                    && !words[i].plain
                    && !self.is_vocabulary(&text)
                    && let Some(only) = self.only_one_with(&text)
                {
                    found = Some((len, Target::Part(only), Via::Name));
                } else if len >= 2
                    && let Some([only]) = self.by_prefix.get(&text).map(Vec::as_slice)
                {
                    found = Some((len, Target::Part(*only), Via::Name));
                }
            }
            let Some((len, target, via)) =
                found.filter(|(len, ..)| !inside_other[i..i + len].contains(&true))
            else {
                i += 1;
                continue;
            };
            let found_key = text_of(&words[i..i + len]);
            let cluster = match target {
                Target::Cluster(cluster) => cluster,
                Target::Known(index) => self.known_cluster(index),
                Target::Part(cluster) => {
                    self.add_part_form(cluster, len, &found_key);
                    cluster
                }
            };
            let weight = unmarked.zone.weight() * if via == Via::Demonym { 0.5 } else { 1.0 };
            let c = &mut self.clusters[cluster];
            if let Some(&form) = c.keys.get(&found_key) {
                c.form_weights[form] += weight;
            }
            c.score += weight;
            c.mentions += 1;
            c.first = c.first.min(unmarked.position);
            i += len;
        }
    }

    /// The one name that ends with this word ("MARLINS" of Florida
    /// Marlins), else the one that begins with it ("BRADFORD" of Bradford
    /// Bulls).
    fn only_one_with(&self, word_key: &str) -> Option<usize> {
        [&self.by_last, &self.by_first]
            .into_iter()
            .find_map(|index| match index.get(word_key).map(Vec::as_slice) {
                Some([only]) => Some(*only),
                _ => None,
            })
    }

    /// Adds the first or last `len` words of one of a cluster's names as
    /// a form of its own ("Dow Chemical", "Marlins"), written as the name
    /// writes them.
    fn add_part_form(&mut self, cluster: usize, len: usize, part_key: &str) {
        let c = &mut self.clusters[cluster];
        if c.keys.contains_key(part_key) {
            return;
        }
        let Some(words) = c.forms.iter().filter(|f| f.len() > len).find_map(|f| {
            let (head, tail) = (&f[..len], &f[f.len() - len..]);
            [head, tail]
                .into_iter()
                .find(|part| words_key(*part) == part_key)
                .map(<[String]>::to_vec)
        }) else {
            return;
        };
        c.keys.insert(part_key.to_owned(), c.forms.len());
        c.forms.push(words);
        c.form_weights.push(0.0);
        self.by_key.entry(part_key.to_owned()).or_insert(cluster);
    }

    /// Whether a form may be the name of an organisation or place: the
    /// fullest form, its initials, a club's nickname after its city, or a
    /// shorter form that leaves off only a legal form or words that
    /// describe nothing ("NationsBank" of "NationsBank Corp", "Real" of
    /// "Real Madrid"; not "Kingsford" of "Kingsford Academy", nor a common
    /// word such as "Sea").
    fn may_name(&self, cluster: &Cluster, form: &[String]) -> bool {
        let lex = self.lexicon;
        let longest = cluster.forms.iter().map(Vec::len).max().unwrap_or(0);
        if form.len() == longest {
            return true;
        }
        if form.len() == 1 && self.is_vocabulary(&form[0].to_lowercase()) {
            return false;
        }
        // The city: a known place, or a name the text uses by itself.
        let place = |words: &[String]| {
            let name_key = words_key(words);
            self.by_key.contains_key(&name_key)
                || self
                    .knowledge
                    .lookup(&name_key)
                    .is_some_and(|(index, _)| self.knowledge.entry(index).kind == TagKind::Place)
        };
        // "CNB" of "Central Narcotics Bureau": by its initials.
        let acronym = form.len() == 1 && form[0].chars().count() >= 2 && {
            let letters = form[0].to_lowercase();
            form[0].chars().all(char::is_uppercase)
                && cluster
                    .forms
                    .iter()
                    .any(|longer| longer.len() > 1 && initials(longer) == letters)
        };
        // "Reds" of "Cincinnati Reds": a club by its nickname.
        let nickname = cluster.forms.iter().any(|longer| {
            longer.len() > form.len()
                && longer.ends_with(form)
                && place(&longer[..longer.len() - form.len()])
        });
        acronym
            || nickname
            || cluster.forms.iter().any(|longer| {
                longer.len() > form.len()
                    && longer.iter().zip(form).all(|(a, b)| a == b)
                    && longer[form.len()..].iter().all(|word| {
                        let lower = word.to_lowercase();
                        let lower = lower.trim_end_matches('.');
                        lex.legal_forms.contains(lower)
                            || !(lex.organisation_heads.contains(lower)
                                || lex.place_heads.contains(lower))
                    })
            })
    }

    /// Which words are part of a name the body used for something that is
    /// not a tag: "FED" in "1997 FED CUP DRAW" is no Federal Reserve.
    fn inside_other_names(&self, words: &[Word]) -> Vec<bool> {
        let mut inside = vec![false; words.len()];
        if self.other_names.is_empty() {
            return inside;
        }
        for i in 0..words.len() {
            let mut text = String::new();
            for len in 1..=OTHER_NAME_WORDS.min(words.len() - i) {
                if len > 1 {
                    text.push(' ');
                }
                text.push_str(&words[i + len - 1].key);
                if len > 1 && self.other_names.contains(&text) {
                    inside[i..i + len].fill(true);
                }
            }
        }
        inside
    }

    fn entities(self) -> Vec<Entity> {
        let mut entities: Vec<(usize, Entity)> = self
            .clusters
            .iter()
            .filter(|c| c.mentions > 0)
            .map(|c| {
                let known = c.known.map(|index| self.knowledge.entry(index));
                let mut forms: Vec<String> = c.forms.iter().map(|f| display(f)).collect();
                let kind = self.kind(c);
                let name = match known {
                    Some(known) => known.name.clone(),
                    // A person by their fullest name; anything else by the
                    // name the text uses most ("NationsBank" more than
                    // "NationsBank Corp"), the fullest of those used alike.
                    None => c
                        .forms
                        .iter()
                        .zip(&c.form_weights)
                        .filter(|(f, _)| kind == TagKind::Person || self.may_name(c, f))
                        .map(|(f, &w)| (display(f), if kind == TagKind::Person { 0.0 } else { w }))
                        .max_by(|(a, wa), (b, wb)| {
                            wa.total_cmp(wb)
                                .then(a.split(' ').count().cmp(&b.split(' ').count()))
                                .then(a.len().cmp(&b.len()))
                        })
                        .map(|(f, _)| f)
                        .unwrap_or_default(),
                };
                let name_key = key(&name);
                forms.retain(|f| key(f) != name_key);
                forms.dedup();
                (
                    c.first,
                    Entity {
                        name,
                        kind,
                        score: c.score,
                        mentions: c.mentions,
                        aliases: forms,
                        tag: known.and_then(|k| k.tag.clone()),
                    },
                )
            })
            .collect();
        entities.sort_by(|(first_a, a), (first_b, b)| {
            b.score.total_cmp(&a.score).then(first_a.cmp(first_b))
        });
        entities.into_iter().map(|(_, entity)| entity).collect()
    }
}

/// A word of unmarked text.
struct Word {
    key: String,
    /// In capitals that tell "US" from "us": the text has lower-case
    /// words, or the word is dotted ("U.S.").
    sure_capitals: bool,
    /// In lower case where other words are capitalised.
    plain: bool,
}

/// The words of unmarked text, in runs between punctuation.
fn unmarked_words(text: &str, lexicon: &Lexicon) -> Vec<Vec<Word>> {
    let tokens = super::text::tokens(text, lexicon);
    let mixed = tokens.iter().any(super::text::Token::is_lower);
    let mut segments = Vec::new();
    let mut words = Vec::new();
    for token in &tokens {
        if token.is_word() {
            let upper = token.case == super::text::Case::Upper;
            words.push(Word {
                key: key(token.text),
                sure_capitals: upper && (mixed || token.text.contains('.')),
                // In a headline with lower-case words, a word in lower case
                // is no name by itself ("peanut allergy").
                plain: mixed && token.case == super::text::Case::Lower,
            });
        } else if !token.is_punct('&') && !words.is_empty() {
            segments.push(std::mem::take(&mut words));
        }
    }
    if !words.is_empty() {
        segments.push(words);
    }
    segments
}

/// "ecb" for European Central Bank: the first letters of a name's words,
/// leaving out the small words between them.
fn initials(form: &[String]) -> String {
    form.iter()
        .filter(|w| {
            !["of", "and", "the", "&", "for"]
                .iter()
                .any(|small| w.eq_ignore_ascii_case(small))
        })
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Keys of words as one key.
fn text_of(words: &[Word]) -> String {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    keys.join(" ")
}

/// A name's words as text: "John F. Kennedy".
fn display(words: &[String]) -> String {
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        let mut chars = word.chars();
        if chars.next().is_some_and(char::is_uppercase) && chars.next().is_none() {
            out.push('.');
        }
    }
    out
}
