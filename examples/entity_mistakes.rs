//! Shows, article by article, where the entity extractor goes wrong: each
//! wrong or missed tag with the article's headline, for reading rather
//! than counting. Run: `cargo run --release --features test-support
//! --example entity_mistakes [own|caps|title|sentence]` (default: caps,
//! the CoNLL-2003 development split as written), then optionally an
//! article's number to print it whole with its labels and tags.

use newsroom::domain::entities::evaluation::{self, Labelled, Mistake, Tally, conll, score};
use newsroom::domain::entities::{Knowledge, extract};
use std::path::Path;

fn main() -> Result<(), String> {
    let which = std::env::args().nth(1).unwrap_or_else(|| "caps".into());
    let knowledge = Knowledge::builtin();
    let (articles, window): (Vec<Labelled>, usize) = if which == "own" {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities");
        let own = evaluation::read_dir(&dir).map_err(|e| e.to_string())?;
        let labelled: Result<Vec<Labelled>, String> = own.iter().map(|a| a.labelled()).collect();
        (labelled?, 12)
    } else {
        let style = match which.as_str() {
            "caps" => conll::HeadlineStyle::AllCaps,
            "title" => conll::HeadlineStyle::TitleCase,
            "sentence" => conll::HeadlineStyle::SentenceCase,
            other => {
                return Err(format!(
                    "unknown set {other:?}: own, caps, title or sentence"
                ));
            }
        };
        let set = conll::development_set(knowledge)
            .ok_or("../shared/data/ner/conllpp_dev.txt is not here")?;
        let articles = set
            .into_iter()
            .filter(|(s, _)| *s == style)
            .map(|(_, a)| a)
            .collect();
        (articles, 10)
    };
    // A number after the set: that article in full, with its labels.
    if let Some(n) = std::env::args().nth(2) {
        let article = articles
            .iter()
            .find(|a| a.id.split(' ').nth(1) == Some(n.as_str()) || a.id == n)
            .ok_or(format!("no article {n}"))?;
        println!("{}\n\n{}\n", article.headline, article.body);
        for gold in &article.gold {
            println!("gold {:?} {:?} core {}", gold.kind, gold.names, gold.core);
        }
        for entity in extract(&article.document(), knowledge).iter().take(window) {
            println!(
                "got  {:?} {:?} {:.1} {:?}",
                entity.kind, entity.name, entity.score, entity.aliases
            );
        }
        return Ok(());
    }
    // Core recall can be no better than this: some articles have more core
    // entities than the window.
    let core: Vec<usize> = articles
        .iter()
        .map(|a| a.gold.iter().filter(|g| g.core).count())
        .collect();
    let reachable: usize = core.iter().map(|&n| n.min(window)).sum();
    println!(
        "core recall ceiling: {reachable}/{} = {:.3}",
        core.iter().sum::<usize>(),
        reachable as f64 / core.iter().sum::<usize>().max(1) as f64
    );
    let mut total = Tally::default();
    for article in &articles {
        let entities = extract(&article.document(), knowledge);
        let mut mistakes = Vec::new();
        let tally = score(&article.gold, &entities, knowledge, window, &mut mistakes);
        total.add(&tally);
        let first_wrong = tally.firsts > tally.first_right;
        if mistakes.is_empty() && !first_wrong {
            continue;
        }
        let cores = article.gold.iter().filter(|g| g.core).count();
        println!("== {} | {} ({cores} core)", article.id, article.headline);
        if first_wrong {
            let first = entities.first().map(|e| e.name.as_str()).unwrap_or("");
            println!("   FIRST WRONG: {first:?}");
        }
        for mistake in &mistakes {
            let mark = match mistake {
                Mistake::MissedCore(_) => "miss",
                Mistake::WrongKind { .. } => "kind",
                _ => "bad ",
            };
            println!("   {mark} {mistake}");
        }
    }
    println!("{}", total.summary(window));
    Ok(())
}
