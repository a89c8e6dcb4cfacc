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

const ARTICLE_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_SMART_PUNCTUATION);

/// Renders an article body: tables, strikethrough and footnotes allowed;
/// raw HTML in the Markdown is dropped by the sanitiser.
pub fn render_article(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, ARTICLE_OPTIONS));
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

/// The text of an article body without its markup, words separated by
/// single spaces: what search indexes and shows in snippets.
pub fn plain_text(markdown: &str) -> String {
    plain_words(markdown, usize::MAX)
}

/// Plain text of the first part of a Markdown text, for summaries.
pub fn plain_excerpt(markdown: &str, max_chars: usize) -> String {
    // A little past the limit, to know whether anything was cut.
    let text = plain_words(markdown, max_chars.saturating_add(1));
    let mut excerpt = String::new();
    let mut chars = 0;
    for word in text.split(' ') {
        let length = word.chars().count();
        if chars + length + 1 > max_chars {
            excerpt.push('…');
            break;
        }
        if !excerpt.is_empty() {
            excerpt.push(' ');
            chars += 1;
        }
        excerpt.push_str(word);
        chars += length;
    }
    excerpt
}

/// The blocks of a Markdown text (paragraphs, headings, list items) as
/// plain text, one a line, for readers of the text such as the entity
/// extractor that care where a paragraph ends.
pub fn plain_blocks(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut block = String::new();
    let flush = |block: &mut String, out: &mut String| {
        let words: Vec<&str> = block.split_whitespace().collect();
        if !words.is_empty() {
            out.push_str(&words.join(" "));
            out.push_str("\n\n");
        }
        block.clear();
    };
    for event in Parser::new_ext(markdown, ARTICLE_OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) => block.push_str(&t),
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => flush(&mut block, &mut out),
            _ => {}
        }
    }
    flush(&mut block, &mut out);
    out.truncate(out.trim_end().len());
    out
}

/// The words of a Markdown text, joined by single spaces, until about
/// `max_chars` characters have been read.
fn plain_words(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut chars = 0;
    for event in Parser::new_ext(markdown, ARTICLE_OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                chars += t.chars().count();
                text.push_str(&t);
            }
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
        if chars > max_chars {
            break;
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_blocks_keep_paragraphs_apart() {
        let text = plain_blocks("# Head\n\nOne *two*\nthree.\n\n- item\n- other\n\n> quoted");
        assert_eq!(text, "Head\n\nOne two three.\n\nitem\n\nother\n\nquoted");
    }

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
        assert_eq!(plain_excerpt("", 100), "");
    }

    #[test]
    fn plain_text_keeps_every_word_and_no_markup() {
        let text = plain_text(
            "# Tram\n\n| a | b |\n|---|---|\n| *one* | two |\n\nSee [it](https://x.example).",
        );
        assert_eq!(text, "Tram a b one two See it.");
        assert_eq!(plain_excerpt("one two three four", 9), "one two…");
    }
}
