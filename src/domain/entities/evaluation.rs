//! The evaluation set's files (`tests/data/entities/`), read the same way
//! by the scorer in the integration tests and by the benchmark.

use std::path::Path;

/// One evaluation article: its text, and its labels as written.
#[derive(Debug, Clone)]
pub struct EvaluationArticle {
    pub file: String,
    pub headline: String,
    pub summary: String,
    pub body: String,
    /// The lines after `=== expected`.
    pub labels: String,
}

/// Reads a file: "# headline", an optional "> summary", the body, then
/// `=== expected` and the labels.
pub fn parse(file: &str, text: &str) -> EvaluationArticle {
    let (article, labels) = text.split_once("=== expected").unwrap_or((text, ""));
    let (mut headline, mut summary, mut body) = (String::new(), String::new(), Vec::new());
    for line in article.lines() {
        if let Some(h) = line.strip_prefix("# ") {
            headline = h.to_owned();
        } else if let Some(s) = line.strip_prefix("> ") {
            summary = s.to_owned();
        } else {
            body.push(line);
        }
    }
    EvaluationArticle {
        file: file.to_owned(),
        headline,
        summary,
        body: body.join("\n").trim().to_owned(),
        labels: labels.to_owned(),
    }
}

/// Every `.txt` article in a directory, by file name.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<EvaluationArticle>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            Ok(parse(&name, &std::fs::read_to_string(path)?))
        })
        .collect()
}
