//! `newsroom tags suggest` and `newsroom tags backfill`.

use super::open_store;
use crate::config::{TagsBackfillArgs, TagsSuggestArgs};
use crate::domain::entities::Knowledge;
use crate::domain::tag::append_tags;
use crate::tagging::{self, Suggestion};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Read;

/// The largest text `tags suggest` reads: far past any article, small
/// enough to read at once.
const SUGGEST_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Articles read from the database at a time by the backfill.
const BACKFILL_BATCH: i64 = 200;

/// Splits a text into its headline (a first line "# …") and body.
fn headline_and_body(text: &str) -> (&str, &str) {
    let trimmed = text.trim_start();
    match trimmed.strip_prefix("# ") {
        Some(rest) => match rest.split_once('\n') {
            Some((headline, body)) => (headline.trim(), body),
            None => (rest.trim(), ""),
        },
        None => ("", text),
    }
}

fn read_input(path: &std::path::Path) -> Result<String, String> {
    let shown = path.display();
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(SUGGEST_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .map_err(|e| format!("cannot open {shown}: {e}"))?
            .take(SUGGEST_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
    };
    read.map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > SUGGEST_MAX_BYTES {
        return Err(format!(
            "{shown} is larger than {} MB",
            SUGGEST_MAX_BYTES / 1024 / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8 text"))
}

pub async fn suggest(args: TagsSuggestArgs) -> Result<(), String> {
    let text = read_input(&args.file)?;
    let knowledge = match &args.database_url {
        Some(url) => {
            let store = open_store(url).await?;
            let tags = store
                .entity_tags()
                .await
                .map_err(|e| format!("cannot read the site's tags: {e}"))?;
            Knowledge::with_tags(&tags)
        }
        None => Knowledge::builtin().clone(),
    };
    let (headline, body) = headline_and_body(&text);
    let entities = tagging::entities_now(headline, "", body, &knowledge);
    let mut suggestions = tagging::suggestions(&entities, &[], &[]);
    suggestions.truncate(usize::from(args.limit));
    let out = if args.json {
        let json = serde_json::to_string_pretty(&suggestions).map_err(|e| e.to_string())?;
        format!("{json}\n")
    } else if suggestions.is_empty() {
        "No people, organisations or places found.\n".to_owned()
    } else {
        table(&suggestions)
    };
    super::write_stdout(&out)
}

/// The suggestions as an aligned table for a terminal.
fn table(suggestions: &[Suggestion]) -> String {
    let name_width = suggestions
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:>3}  {:<name_width$}  {:<12}  {:>6}  {:>10}  {:>8}  {}\n",
        "#", "Name", "Kind", "Score", "Confidence", "Mentions", "Also written"
    );
    for (rank, s) in suggestions.iter().enumerate() {
        out.push_str(&format!(
            "{:>3}  {:<name_width$}  {:<12}  {:>6.1}  {:>10.2}  {:>8}  {}\n",
            rank + 1,
            s.name,
            s.kind.as_str(),
            s.score,
            s.confidence,
            s.mentions,
            s.aliases.join(", ")
        ));
    }
    out
}

pub async fn backfill(args: TagsBackfillArgs) -> Result<(), String> {
    let store = open_store(&args.database.database_url).await?;
    let failed = |e: crate::store::StoreError| format!("the backfill stopped: {e}");
    let tags = store.entity_tags().await.map_err(failed)?;
    let knowledge = Knowledge::with_tags(&tags);
    let total = store.article_count().await.map_err(failed)?;
    let bar = ProgressBar::new(u64::try_from(total).unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>10} [{bar:40}] {pos}/{len} articles ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(if args.dry_run { "reading" } else { "tagging" });
    let (mut after, mut articles, mut tagged, mut added) = (0, 0u64, 0u64, 0usize);
    loop {
        let batch = store
            .articles_for_tagging(after, BACKFILL_BATCH)
            .await
            .map_err(failed)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        for article in &batch {
            let entities = tagging::entities_now(
                &article.headline,
                &article.summary,
                &article.body_markdown,
                &knowledge,
            );
            let new: Vec<(String, String)> =
                tagging::suggestions(&entities, &article.tags, &article.rejected)
                    .into_iter()
                    .filter(|s| s.confidence >= args.min_confidence)
                    .map(|s| (s.name, s.slug))
                    .collect();
            let count = if args.dry_run {
                // What add_tags would add: the slugs stand in for the names.
                let mut tags: Vec<(String, String)> = article
                    .tags
                    .iter()
                    .map(|s| (s.clone(), s.clone()))
                    .collect();
                append_tags(&mut tags, &new)
            } else {
                let count = store.add_tags(article.id, &new).await.map_err(failed)?;
                store
                    .classify_tags(&tagging::kinds_of_tags(&entities, &new))
                    .await
                    .map_err(failed)?;
                count
            };
            if count > 0 {
                tagged += 1;
                added += count;
            }
            articles += 1;
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    let verb = if args.dry_run { "Would add" } else { "Added" };
    println!(
        "{verb} {added} tags to {tagged} of {articles} articles (confidence at least {}).",
        args.min_confidence
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_hash_line_is_the_headline() {
        assert_eq!(headline_and_body("# Title\n\nBody"), ("Title", "\nBody"));
        assert_eq!(headline_and_body("Just text"), ("", "Just text"));
        assert_eq!(headline_and_body("\n# Only"), ("Only", ""));
    }
}
