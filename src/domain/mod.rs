//! Parsed domain types and the rules that govern them. No I/O happens here:
//! the web layer parses input into these types, the store persists them.

pub mod article;
pub mod comment;
pub mod entities;
pub mod markdown;
pub mod page;
pub mod policy;
pub mod rate;
pub mod search;
pub mod tag;
pub mod time;
pub mod user;

use std::fmt;

/// Why a single value was rejected, phrased for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError(pub String);

impl ValidationError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValidationError {}

/// Field name → message, for re-showing a form with each message next to
/// the field it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// Records the error of a parse, returning the value when it succeeded.
    pub fn check<T>(
        &mut self,
        field: &'static str,
        parsed: Result<T, ValidationError>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.0);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }
}

/// Drops control characters other than line breaks and tabs: they have no
/// place in text for people, and PostgreSQL refuses NUL in text outright.
pub fn without_controls(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

/// Trims and checks the length (in characters) of a free-text field.
pub fn bounded_text(
    raw: &str,
    what: &str,
    min: usize,
    max: usize,
) -> Result<String, ValidationError> {
    let cleaned = without_controls(raw);
    let text = cleaned.trim();
    let chars = text.chars().count();
    if chars < min {
        return Err(if min <= 1 {
            ValidationError::new(format!("{what} can't be empty."))
        } else {
            ValidationError::new(format!("{what} needs at least {min} characters."))
        });
    }
    if chars > max {
        return Err(ValidationError::new(format!(
            "{what} can be at most {max} characters (this one has {chars})."
        )));
    }
    Ok(text.to_owned())
}
