//! The project's own evaluation set (`tests/data/entities/`, see its
//! README): articles written for Newsroom, labelled by hand.

use super::{Gold, Labelled};
use crate::domain::entities::knowledge::key;
use crate::domain::tag::TagKind;
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

impl EvaluationArticle {
    /// The article with its labels read: one line each,
    /// `kind | name | other names ; … | core`, kind `any` for either.
    pub fn labelled(&self) -> Result<Labelled, String> {
        let mut gold = Vec::new();
        for line in self.labels.lines().filter(|l| !l.trim().is_empty()) {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            if fields.len() < 3 {
                return Err(format!("bad label line {line:?} in {}", self.file));
            }
            let kind = match fields[0] {
                "any" => None,
                other => Some(
                    TagKind::parse(other)
                        .map_err(|_| format!("bad kind {other:?} in {}", self.file))?,
                ),
            };
            let mut names = vec![key(fields[1])];
            names.extend(
                fields[2]
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(key),
            );
            gold.push(Gold {
                kind,
                names,
                core: fields.get(3) == Some(&"core"),
            });
        }
        Ok(Labelled {
            id: self.file.clone(),
            headline: self.headline.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            gold,
        })
    }
}
