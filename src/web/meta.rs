//! What a page's `<head>` tells browsers, search engines and feed readers:
//! its title and description, its canonical address, its feeds, social
//! cards (OpenGraph, Twitter) and structured data (JSON-LD). Every page
//! template has a `Head`; `base.html` renders it.

use crate::config::SiteConfig;
use serde_json::{Value, json};

/// Everything `base.html` puts in `<head>`, and the site's name for the header.
#[derive(Debug, Clone)]
pub struct Head {
    pub site_name: String,
    pub language: String,
    /// The page's own title; the site's name follows it in `<title>`.
    pub title: String,
    pub description: String,
    /// The absolute address search engines should index; none for pages
    /// that are not for indexing.
    pub canonical: Option<String>,
    pub feeds: Vec<FeedLink>,
    pub social: Option<Social>,
    /// JSON-LD documents, already made safe for a `<script>` element.
    pub json_ld: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FeedLink {
    pub title: String,
    pub mime: &'static str,
    pub href: String,
}

/// OpenGraph and Twitter card facts.
#[derive(Debug, Clone)]
pub struct Social {
    /// "website" or "article".
    pub kind: &'static str,
    pub url: String,
    pub article: Option<SocialArticle>,
    /// The picture a shared link shows: an article's cover.
    pub image: Option<SocialImage>,
}

#[derive(Debug, Clone)]
pub struct SocialImage {
    /// Absolute.
    pub url: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
}

#[derive(Debug, Clone)]
pub struct SocialArticle {
    pub published_time: String,
    pub modified_time: String,
    pub author_url: String,
    pub tags: Vec<String>,
}

/// The three feed formats, by file name and media type.
pub const FEED_FORMATS: [(&str, &str, &str); 3] = [
    ("feed.xml", "application/rss+xml", "RSS"),
    ("atom.xml", "application/atom+xml", "Atom"),
    ("feed.json", "application/feed+json", "JSON Feed"),
];

impl Head {
    /// A page that is not for search engines (forms, the desk, errors).
    pub fn private(config: &SiteConfig, title: impl Into<String>) -> Self {
        Self {
            site_name: config.site_name.as_str().to_owned(),
            language: config.language.as_str().to_owned(),
            title: title.into(),
            description: config.site_name.as_str().to_owned(),
            canonical: None,
            feeds: Vec::new(),
            social: None,
            json_ld: Vec::new(),
        }
    }

    /// A public page at `path` (with any query that makes it a different
    /// page, such as `?before=`).
    pub fn public(
        config: &SiteConfig,
        title: impl Into<String>,
        description: impl Into<String>,
        path: &str,
    ) -> Self {
        let url = config.url(path);
        Self {
            description: description.into(),
            canonical: Some(url.clone()),
            social: Some(Social {
                kind: "website",
                url,
                article: None,
                image: None,
            }),
            ..Self::private(config, title)
        }
    }

    /// Adds the three feeds under `base` ("" for the site's, "/tags/x" for
    /// a tag's), named after `label`.
    pub fn with_feeds(mut self, base: &str, label: &str) -> Self {
        for (file, mime, format) in FEED_FORMATS {
            self.feeds.push(FeedLink {
                title: format!("{label} ({format})"),
                mime,
                href: format!("{base}/{file}"),
            });
        }
        self
    }

    pub fn with_json_ld(mut self, document: &Value) -> Self {
        self.json_ld.push(json_ld(document));
        self
    }

    /// The text of `<title>`.
    pub fn full_title(&self) -> String {
        if self.title.is_empty() {
            self.site_name.clone()
        } else {
            format!("{} · {}", self.title, self.site_name)
        }
    }
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and
/// `&` are written as `\u` escapes (still the same JSON), so no text in it
/// can close the element or open another.
pub fn json_ld(document: &Value) -> String {
    let text = document.to_string();
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            other => safe.push(other),
        }
    }
    safe
}

/// The publisher every article names.
pub fn organization(config: &SiteConfig) -> Value {
    json!({
        "@type": "Organization",
        "name": config.site_name.as_str(),
        "url": config.url("/"),
    })
}

/// A person with their page on this site.
pub fn person(config: &SiteConfig, username: &str, bio: Option<&str>) -> Value {
    let mut person = json!({
        "@type": "Person",
        "name": username,
        "url": config.url(&format!("/authors/{username}")),
    });
    if let Some(bio) = bio.filter(|b| !b.is_empty()) {
        person["description"] = json!(bio);
    }
    person
}

/// A trail of (name, absolute URL) from the front page down.
pub fn breadcrumbs(trail: &[(&str, String)]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url })
        })
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let document = json!({ "headline": "</script><script>alert(1)</script> & <!--" });
        let safe = json_ld(&document);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, document, "and the same JSON");
    }
}
