//! Markdown to safe HTML. Article bodies get full CommonMark; comments get a
//! small subset. Both pass through ammonia, so whatever the input, no script,
//! event handler or foreign markup reaches a reader's browser.

use ammonia::Builder;
use pulldown_cmark::{Event, Options, Parser, TagEnd, html};
use std::collections::HashSet;
use std::sync::LazyLock;

static ARTICLE_CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .link_rel(Some("noopener"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    builder
});

static COMMENT_CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(HashSet::from([
            "p",
            "br",
            "em",
            "strong",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "del",
        ]))
        .link_rel(Some("nofollow ugc noopener"))
        .url_schemes(HashSet::from(["http", "https"]))
        .add_tag_attributes("a", ["href"]);
    builder
});

/// Renders an article body: tables, strikethrough and footnotes allowed;
/// raw HTML in the Markdown is dropped by the sanitiser.
pub fn render_article(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    ARTICLE_CLEANER.clean(&out).to_string()
}

/// Renders a comment: raw HTML is shown as the text it is, not interpreted.
pub fn render_comment(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    COMMENT_CLEANER.clean(&out).to_string()
}

/// Plain text of the first part of a Markdown text, for summaries.
pub fn plain_excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            // Inline markup ends inside a word or before punctuation
            // ("**Monday**."); only the end of a block separates words.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
        if text.chars().count() > max_chars {
            break;
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut excerpt = String::new();
    for word in words {
        if excerpt.chars().count() + word.chars().count() + 1 > max_chars {
            excerpt.push('…');
            break;
        }
        if !excerpt.is_empty() {
            excerpt.push(' ');
        }
        excerpt.push_str(word);
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_markup_survives_sanitising() {
        let html = render_article("# Title\n\nSome *emphasis* and a [link](https://example.org).");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains("href=\"https://example.org\""));
    }

    #[test]
    fn comments_show_raw_html_as_text_and_mark_links() {
        let html =
            render_comment("Hi <b>there</b> [me](https://example.org)\n\n# not a heading tag");
        assert!(html.contains("&lt;b&gt;there&lt;/b&gt;"), "{html}");
        assert!(html.contains("rel=\"nofollow ugc noopener\""), "{html}");
        assert!(!html.contains("<h1"), "{html}");
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(plain_excerpt("Hello *big* world", 100), "Hello big world");
        assert_eq!(
            plain_excerpt("From **Monday**. See [the *list*](https://x.example)!", 100),
            "From Monday. See the list!",
            "no space where inline markup ends"
        );
        assert_eq!(plain_excerpt("# Head\n\nBody", 100), "Head Body");
        assert_eq!(plain_excerpt("one two three four", 9), "one two…");
    }
}
