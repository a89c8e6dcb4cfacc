//! The extractor against the project's evaluation set (see
//! `tests/data/entities/README.md`): precision of the first ten
//! suggestions, recall of the core entities among the first twelve, and
//! kind accuracy, over every article together.

use newsroom::domain::entities::evaluation::{self, EvaluationArticle};
use newsroom::domain::entities::{Document, Knowledge, extract, knowledge::key};
use newsroom::domain::tag::TagKind;
use std::fmt::Write as _;
use std::path::Path;

struct Expected {
    kind: Option<TagKind>,
    names: Vec<String>,
    core: bool,
}

/// The labels of an evaluation article.
fn expected(article: &EvaluationArticle) -> Vec<Expected> {
    article
        .labels
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            assert!(
                fields.len() >= 3,
                "bad label line {line:?} in {}",
                article.file
            );
            let kind = match fields[0] {
                "any" => None,
                other => Some(TagKind::parse(other).expect("a kind")),
            };
            let mut names = vec![key(fields[1])];
            names.extend(
                fields[2]
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(key),
            );
            Expected {
                kind,
                names,
                core: fields.get(3) == Some(&"core"),
            }
        })
        .collect()
}

#[derive(Default, Clone)]
struct Tally {
    top: usize,
    correct: usize,
    core: usize,
    core_found: usize,
    matched: usize,
    kind_right: usize,
}

impl Tally {
    fn add_difference(&mut self, after: &Tally, before: &Tally) {
        self.top += after.top - before.top;
        self.correct += after.correct - before.correct;
        self.core += after.core - before.core;
        self.core_found += after.core_found - before.core_found;
        self.matched += after.matched - before.matched;
        self.kind_right += after.kind_right - before.kind_right;
    }

    fn summary(&self) -> String {
        let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
        format!(
            "precision@10 {:.3} ({}/{}), core recall@12 {:.3} ({}/{}), kind accuracy {:.3} ({}/{})",
            ratio(self.correct, self.top),
            self.correct,
            self.top,
            ratio(self.core_found, self.core),
            self.core_found,
            self.core,
            ratio(self.kind_right, self.matched),
            self.kind_right,
            self.matched,
        )
    }
}

#[test]
fn the_extractor_meets_its_quality_targets_on_the_evaluation_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities");
    let files = evaluation::read_dir(&dir).expect("evaluation set");
    assert!(
        files.len() >= 20,
        "the evaluation set has {} articles",
        files.len()
    );

    let mut tally = Tally::default();
    // Articles written after the extractor was tuned, scored apart too:
    // how it does on text it was not shaped by.
    let mut held_out = Tally::default();
    let mut report = String::new();
    for article in &files {
        let labels = expected(article);
        let before = tally.clone();
        let entities = extract(
            &Document {
                headline: &article.headline,
                summary: &article.summary,
                body: &article.body,
            },
            Knowledge::builtin(),
        );
        let mut used = vec![false; labels.len()];
        for (rank, entity) in entities.iter().take(12).enumerate() {
            let entity_key = key(&entity.name);
            let hit = labels.iter().position(|e| e.names.contains(&entity_key));
            // A second suggestion for the same entity is a duplicate: wrong.
            let fresh = hit.filter(|&i| !used[i]);
            if let Some(i) = fresh {
                used[i] = true;
                if let Some(kind) = labels[i].kind {
                    tally.matched += 1;
                    if kind == entity.kind {
                        tally.kind_right += 1;
                    } else {
                        let _ = writeln!(
                            report,
                            "{}: {} is a {:?}, not a {:?}",
                            article.file, entity.name, kind, entity.kind
                        );
                    }
                }
            }
            if rank < 10 {
                tally.top += 1;
                if fresh.is_some() {
                    tally.correct += 1;
                } else {
                    let _ = writeln!(
                        report,
                        "{}: suggested {:?} ({:?}, {:.1}){}",
                        article.file,
                        entity.name,
                        entity.kind,
                        entity.score,
                        if hit.is_some() { " twice" } else { "" }
                    );
                }
            }
        }
        for (i, expected) in labels.iter().enumerate() {
            if expected.core {
                tally.core += 1;
                if used[i] {
                    tally.core_found += 1;
                } else {
                    let _ = writeln!(
                        report,
                        "{}: missed core {:?}",
                        article.file, expected.names[0]
                    );
                }
            }
        }
        if article.file.contains("heldout") {
            held_out.add_difference(&tally, &before);
        }
    }
    let precision = tally.correct as f64 / tally.top as f64;
    let recall = tally.core_found as f64 / tally.core as f64;
    let kinds = tally.kind_right as f64 / tally.matched as f64;
    println!(
        "{} articles: {}\nheld out: {}\n{report}",
        files.len(),
        tally.summary(),
        held_out.summary()
    );
    assert!(precision >= 0.9, "precision@10 {precision:.3}\n{report}");
    assert!(recall >= 0.95, "core recall {recall:.3}\n{report}");
    assert!(kinds >= 0.95, "kind accuracy {kinds:.3}\n{report}");
}
