//! Measuring the extractor: labelled articles (the project's own set in
//! `tests/data/entities/`, and third-party CoNLL-2003 news read by `conll`)
//! scored the same way by the integration test and by the benchmark.
//!
//! For each article: how many of the first ten suggestions are labelled
//! entities (a second suggestion for an entity already matched is wrong),
//! how many core entities are among the first suggestions, how many
//! matched suggestions have the right kind, and whether the first
//! suggestion alone is right.

pub mod articles;
pub mod conll;

use super::knowledge::{Knowledge, key};
use super::{Document, Entity, extract};
use crate::domain::tag::TagKind;

pub use articles::{EvaluationArticle, parse, read_dir};

/// One entity an article is labelled with.
#[derive(Debug, Clone)]
pub struct Gold {
    /// None: any kind is right ("the Amazon", river or fund).
    pub kind: Option<TagKind>,
    /// Every form the text uses for it, as keys; the first is its name.
    pub names: Vec<String>,
    /// The article is about it: every list of tags must have it.
    pub core: bool,
}

/// An article with its labels, whichever set it came from.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub id: String,
    pub headline: String,
    pub summary: String,
    pub body: String,
    pub gold: Vec<Gold>,
}

impl Labelled {
    pub fn document(&self) -> Document<'_> {
        Document {
            headline: &self.headline,
            summary: &self.summary,
            body: &self.body,
        }
    }

    pub fn bytes(&self) -> usize {
        self.headline.len() + self.summary.len() + self.body.len()
    }
}

/// Counts over many articles.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub articles: usize,
    /// Suggestions among the first ten, and how many were right.
    pub top: usize,
    pub correct: usize,
    pub core: usize,
    pub core_found: usize,
    /// Matched suggestions with a labelled kind, and how many had it.
    pub matched: usize,
    pub kind_right: usize,
    /// Articles with any suggestion, and how many had a right first one.
    pub firsts: usize,
    pub first_right: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b.max(1) as f64
}

impl Tally {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.top)
    }

    pub fn core_recall(&self) -> f64 {
        ratio(self.core_found, self.core)
    }

    pub fn kind_accuracy(&self) -> f64 {
        ratio(self.kind_right, self.matched)
    }

    pub fn first_precision(&self) -> f64 {
        ratio(self.first_right, self.firsts)
    }

    pub fn add(&mut self, other: &Tally) {
        self.articles += other.articles;
        self.top += other.top;
        self.correct += other.correct;
        self.core += other.core;
        self.core_found += other.core_found;
        self.matched += other.matched;
        self.kind_right += other.kind_right;
        self.firsts += other.firsts;
        self.first_right += other.first_right;
    }

    /// One line: each measure with its counts.
    pub fn summary(&self, recall_window: usize) -> String {
        format!(
            "{} articles: precision@10 {:.3} ({}/{}), core recall@{recall_window} {:.3} ({}/{}), \
             kind accuracy {:.3} ({}/{}), first right {:.3} ({}/{})",
            self.articles,
            self.precision(),
            self.correct,
            self.top,
            self.core_recall(),
            self.core_found,
            self.core,
            self.kind_accuracy(),
            self.kind_right,
            self.matched,
            self.first_precision(),
            self.first_right,
            self.firsts,
        )
    }
}

/// A wrong answer, worded so that the same mistake in many articles reads
/// the same: counting them shows what to fix first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mistake {
    /// Suggested something that is not labelled.
    NotAnEntity(String, TagKind),
    /// A second suggestion for an entity already matched.
    Twice(String),
    WrongKind {
        name: String,
        was: TagKind,
        is: TagKind,
    },
    MissedCore(String),
}

impl std::fmt::Display for Mistake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mistake::NotAnEntity(name, kind) => {
                write!(f, "suggested {name:?} ({}), not an entity", kind.as_str())
            }
            Mistake::Twice(name) => write!(f, "suggested {name:?} twice"),
            Mistake::WrongKind { name, was, is } => {
                write!(
                    f,
                    "{name:?} is {}, not {}",
                    with_article(*is),
                    with_article(*was)
                )
            }
            Mistake::MissedCore(name) => write!(f, "missed core {name:?}"),
        }
    }
}

/// "a person", "an organisation".
fn with_article(kind: TagKind) -> String {
    let name = kind.as_str();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// Scores one article's suggestions against its labels. A suggestion
/// matches an entity when its name is one of the entity's forms, or when
/// the gazetteer says both are the same place or organisation ("United
/// States" for "U.S.").
pub fn score(
    gold: &[Gold],
    entities: &[Entity],
    knowledge: &Knowledge,
    recall_window: usize,
    mistakes: &mut Vec<Mistake>,
) -> Tally {
    let known = |name: &str| knowledge.lookup(name).map(|(index, _)| index);
    let gold_known: Vec<Vec<usize>> = gold
        .iter()
        .map(|g| g.names.iter().filter_map(|n| known(n)).collect())
        .collect();
    let mut tally = Tally {
        articles: 1,
        ..Tally::default()
    };
    // The rank at which each labelled entity was first matched.
    let mut matched_at: Vec<Option<usize>> = vec![None; gold.len()];
    for (rank, entity) in entities.iter().take(recall_window.max(10)).enumerate() {
        let entity_key = key(&entity.name);
        let entity_known = known(&entity_key);
        let hit = gold.iter().enumerate().position(|(i, g)| {
            g.names.contains(&entity_key)
                || entity_known.is_some_and(|k| gold_known[i].contains(&k))
        });
        let fresh = hit.filter(|&i| matched_at[i].is_none());
        if let Some(i) = fresh {
            matched_at[i] = Some(rank);
        }
        if rank == 0 {
            tally.firsts += 1;
            tally.first_right += usize::from(fresh.is_some());
        }
        if rank >= 10 {
            continue;
        }
        tally.top += 1;
        match (fresh, hit) {
            (Some(i), _) => {
                tally.correct += 1;
                if let Some(kind) = gold[i].kind {
                    tally.matched += 1;
                    if kind == entity.kind {
                        tally.kind_right += 1;
                    } else {
                        mistakes.push(Mistake::WrongKind {
                            name: entity.name.clone(),
                            was: entity.kind,
                            is: kind,
                        });
                    }
                }
            }
            (None, Some(_)) => mistakes.push(Mistake::Twice(entity.name.clone())),
            (None, None) => mistakes.push(Mistake::NotAnEntity(entity.name.clone(), entity.kind)),
        }
    }
    for (g, rank) in gold.iter().zip(&matched_at) {
        if g.core {
            tally.core += 1;
            if rank.is_some_and(|r| r < recall_window) {
                tally.core_found += 1;
            } else {
                mistakes.push(Mistake::MissedCore(g.names[0].clone()));
            }
        }
    }
    tally
}

/// A whole set scored: the tally, the tally of each group of articles (by
/// `group`), and every mistake.
pub struct Evaluation {
    pub total: Tally,
    pub groups: Vec<(String, Tally)>,
    pub mistakes: Vec<Mistake>,
}

impl Evaluation {
    pub fn run(
        articles: &[Labelled],
        knowledge: &Knowledge,
        recall_window: usize,
        group: impl Fn(&Labelled) -> String,
    ) -> Evaluation {
        let mut total = Tally::default();
        let mut groups: Vec<(String, Tally)> = Vec::new();
        let mut mistakes = Vec::new();
        for article in articles {
            let entities = extract(&article.document(), knowledge);
            let tally = score(
                &article.gold,
                &entities,
                knowledge,
                recall_window,
                &mut mistakes,
            );
            total.add(&tally);
            let name = group(article);
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, t)) => t.add(&tally),
                None => groups.push((name, tally)),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        Evaluation {
            total,
            groups,
            mistakes,
        }
    }

    /// The most common mistakes, most common first.
    pub fn common_mistakes(&self, how_many: usize) -> Vec<(usize, &Mistake)> {
        let mut counts: std::collections::BTreeMap<&Mistake, usize> = Default::default();
        for mistake in &self.mistakes {
            *counts.entry(mistake).or_default() += 1;
        }
        let mut counted: Vec<(usize, &Mistake)> = counts.into_iter().map(|(m, n)| (n, m)).collect();
        counted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        counted.truncate(how_many);
        counted
    }
}
