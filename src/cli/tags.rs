//! `newsroom tags suggest` and `newsroom tags backfill`.

use super::open_store;
use crate::config::{SuggestInput, TagsBackfillArgs, TagsSuggestArgs};
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

/// An article as JSON input gives it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleInput {
    /// Passed through to the JSON Lines answer, whatever it is.
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    headline: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
}

pub async fn suggest(args: TagsSuggestArgs) -> Result<(), String> {
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
    let limit = usize::from(args.limit);
    let suggest = |article: &ArticleInput| {
        let entities = tagging::entities_now(
            &article.headline,
            &article.summary,
            &article.body,
            &knowledge,
        );
        let mut suggestions = tagging::suggestions(&entities, &[], &[]);
        suggestions.truncate(limit);
        suggestions
    };
    if args.input == SuggestInput::Jsonl {
        return suggest_lines(&args.file, suggest);
    }
    let text = read_input(&args.file)?;
    let article = match (args.input, &args.headline) {
        (SuggestInput::Json, _) => serde_json::from_str::<ArticleInput>(&text)
            .map_err(|e| format!("{} is not an article as JSON: {e}", args.file.display()))?,
        (_, Some(headline)) => ArticleInput {
            id: None,
            headline: headline.clone(),
            summary: String::new(),
            body: text,
        },
        (_, None) => {
            let (headline, body) = headline_and_body(&text);
            ArticleInput {
                id: None,
                headline: headline.to_owned(),
                summary: String::new(),
                body: body.to_owned(),
            }
        }
    };
    let suggestions = suggest(&article);
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

/// JSON Lines in, one JSON line out per article, as each is read: a bad
/// line is answered with its error and the rest still read, and the
/// command then fails saying how many were bad.
fn suggest_lines(
    path: &std::path::Path,
    suggest: impl Fn(&ArticleInput) -> Vec<Suggestion>,
) -> Result<(), String> {
    use std::io::BufRead;
    let shown = path.display();
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot open {shown}: {e}"))?;
        Box::new(std::io::BufReader::new(file))
    };
    let (mut articles, mut bad) = (0usize, 0usize);
    let mut lines = input;
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        // One line is at most one article's worth of text.
        let read = (&mut lines)
            .take(SUGGEST_MAX_BYTES + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read {shown}: {e}"))?;
        if read == 0 {
            break;
        }
        let parsed = if line.len() as u64 > SUGGEST_MAX_BYTES {
            // Skip the rest of the overlong line.
            while !line.ends_with(b"\n") {
                line.clear();
                let more = (&mut lines)
                    .take(SUGGEST_MAX_BYTES)
                    .read_until(b'\n', &mut line)
                    .map_err(|e| format!("cannot read {shown}: {e}"))?;
                if more == 0 {
                    break;
                }
            }
            Err(format!(
                "longer than {} MB",
                SUGGEST_MAX_BYTES / 1024 / 1024
            ))
        } else if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        } else {
            serde_json::from_slice::<ArticleInput>(&line).map_err(|e| e.to_string())
        };
        let answer = match parsed {
            Ok(article) => {
                articles += 1;
                serde_json::json!({ "id": article.id, "suggestions": suggest(&article) })
            }
            Err(error) => {
                bad += 1;
                serde_json::json!({ "line": number, "error": error })
            }
        };
        super::write_stdout(&format!("{answer}\n"))?;
    }
    if bad > 0 {
        return Err(format!(
            "{bad} of {} lines of {shown} were not articles as JSON",
            articles + bad
        ));
    }
    Ok(())
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
