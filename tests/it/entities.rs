//! The extractor measured on two sets, scored alike
//! (`newsroom::domain::entities::evaluation`): the project's own 30
//! articles (`tests/data/entities/`) and the third-party CoNLL-2003
//! development split (`../shared/data/ner/`), whose headlines are also
//! rewritten in Title Case and sentence case to score each style.

use newsroom::domain::entities::Knowledge;
use newsroom::domain::entities::evaluation::{self, Evaluation, Labelled, conll};
use std::path::Path;

fn report(name: &str, evaluation: &Evaluation, recall_window: usize) -> String {
    let mut out = format!("{name}: {}\n", evaluation.total.summary(recall_window));
    for (group, tally) in evaluation
        .groups
        .iter()
        .filter(|(group, _)| !group.is_empty())
    {
        out.push_str(&format!("  {group}: {}\n", tally.summary(recall_window)));
    }
    out.push_str("  most common mistakes:\n");
    for (count, mistake) in evaluation.common_mistakes(15) {
        out.push_str(&format!("  {count:>5}  {mistake}\n"));
    }
    out
}

#[test]
fn the_extractor_meets_its_quality_targets_on_the_projects_articles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities");
    let articles: Vec<Labelled> = evaluation::read_dir(&dir)
        .expect("evaluation set")
        .iter()
        .map(|a| a.labelled().expect("labels"))
        .collect();
    assert!(articles.len() >= 20, "{} articles", articles.len());
    // Articles written after the extractor was tuned are a group of
    // their own: how it does on text it was not shaped by.
    let evaluation = Evaluation::run(&articles, Knowledge::builtin(), 12, |a| {
        if a.id.contains("heldout") {
            "held out"
        } else {
            "tuned on"
        }
        .to_owned()
    });
    let text = report("the project's articles", &evaluation, 12);
    println!("{text}");
    // No worse than the rules alone did before the tagger (0.990, 0.976,
    // 0.979, 0.967): learning from other people's news must not cost our
    // own.
    let total = &evaluation.total;
    assert!(total.precision() >= 0.989, "{text}");
    assert!(total.core_recall() >= 0.975, "{text}");
    assert!(total.kind_accuracy() >= 0.979, "{text}");
    assert!(total.first_precision() >= 0.966, "{text}");
}

#[test]
fn the_extractor_meets_its_quality_targets_on_third_party_news() {
    let knowledge = Knowledge::builtin();
    let Some(set) = conll::development_set(knowledge) else {
        assert!(
            std::env::var("CI").is_err(),
            "../shared/data/ner/conllpp_dev.txt is missing"
        );
        println!("skipped: ../shared/data/ner/conllpp_dev.txt is not here");
        return;
    };
    let as_written: Vec<Labelled> = set
        .iter()
        .filter(|(style, _)| *style == conll::HeadlineStyle::AllCaps)
        .map(|(_, a)| a.clone())
        .collect();
    let all: Vec<Labelled> = set.iter().map(|(_, a)| a.clone()).collect();
    let written = Evaluation::run(&as_written, knowledge, 10, |_| String::new());
    // Each article's id ends in the style its headline was given.
    let styles = Evaluation::run(&all, knowledge, 10, |a| {
        a.id.split_once(' ')
            .and_then(|(_, rest)| rest.split_once(' '))
            .map_or_else(String::new, |(_, style)| style.to_owned())
    });
    let text = format!(
        "{}{}",
        report("CoNLL-2003 development split, as written", &written, 10),
        report("the same articles, headlines in each style", &styles, 10)
    );
    println!("{text}");
    // The targets of issue 13, as written and in each headline style.
    for tally in std::iter::once(&written.total).chain(styles.groups.iter().map(|(_, t)| t)) {
        assert!(tally.precision() >= 0.90, "{text}");
        assert!(tally.core_recall() >= 0.80, "{text}");
        assert!(tally.kind_accuracy() >= 0.92, "{text}");
        assert!(tally.first_precision() >= 0.95, "{text}");
    }
}
