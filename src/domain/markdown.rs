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

/// How deep elements nest in rendered HTML: deeper quotes, lists and
/// emphasis are flattened into the element at this depth. The sanitiser's
/// HTML parser takes time that grows with the square of the depth (99,000
/// nested quotes took a minute), so the bound is what keeps one request's
/// work small.
pub const MAX_DEPTH: usize = 32;

/// How many elements one text renders; the rest is kept as plain text.
pub const MAX_ELEMENTS: usize = 20_000;

/// Renders an article body: tables, strikethrough and footnotes allowed;
/// raw HTML in the Markdown is dropped by the sanitiser.
pub fn render_article(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(
        &mut out,
        bounded(Parser::new_ext(markdown, ARTICLE_OPTIONS)),
    );
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
    html::push_html(&mut out, bounded(parser));
    COMMENT_CLEANER.clean(&out).to_string()
}

/// The events with elements past `MAX_DEPTH` deep, or past the
/// `MAX_ELEMENTS`th, left out and their text kept: a block left out after
/// some text ends in a line break, so that its words stay apart.
fn bounded<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    // Whether each open element was kept.
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut elements = 0usize;
    // Text since the last break, when a block was left out.
    let mut words_since_break = false;
    events.filter_map(move |event| match event {
        Event::Start(tag) => {
            let keep = depth < MAX_DEPTH && elements < MAX_ELEMENTS;
            open.push(keep);
            if keep {
                depth += 1;
                elements += 1;
                return Some(Event::Start(tag));
            }
            // A list item's text comes before the list nested in it.
            let block = !is_inline(&tag.to_end());
            (block && std::mem::take(&mut words_since_break)).then_some(Event::SoftBreak)
        }
        Event::End(end) => {
            if open.pop().unwrap_or(false) {
                depth -= 1;
                return Some(Event::End(end));
            }
            let block = !is_inline(&end);
            (block && std::mem::take(&mut words_since_break)).then_some(Event::SoftBreak)
        }
        // Elements without content count too; past the limit they are
        // only a break.
        Event::Rule | Event::HardBreak | Event::TaskListMarker(_) | Event::FootnoteReference(_) => {
            if elements < MAX_ELEMENTS {
                elements += 1;
                Some(event)
            } else {
                Some(Event::SoftBreak)
            }
        }
        Event::Text(_) | Event::Code(_) => {
            words_since_break = true;
            Some(event)
        }
        other => Some(other),
    })
}

/// Markup inside a line of text, as opposed to a block.
fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
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
            Event::End(end) if is_inline(&end) => {}
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
    fn deep_nesting_is_flattened_and_its_text_kept() {
        let quotes = format!("{} deep words", ">".repeat(5_000));
        let html = render_article(&quotes);
        assert_eq!(html.matches("<blockquote>").count(), MAX_DEPTH);
        assert!(html.contains("deep words"), "{html}");

        // Blocks left out keep their words apart.
        let mut list = String::new();
        for level in 0..40 {
            list.push_str(&"  ".repeat(level));
            list.push_str(&format!("- word{level}\n"));
        }
        let html = render_comment(&list);
        assert!(html.matches("<ul>").count() <= MAX_DEPTH, "{html}");
        assert!(
            html.contains("word38") && !html.contains("word38word39"),
            "{html}"
        );

        // A document within the bounds renders as it always did.
        let plain = "> quoted\n>\n> > twice\n\n- a\n  - b\n\n*em* **strong**";
        let mut unbounded = String::new();
        html::push_html(&mut unbounded, Parser::new_ext(plain, ARTICLE_OPTIONS));
        assert_eq!(
            render_article(plain),
            ARTICLE_CLEANER.clean(&unbounded).to_string()
        );
    }

    #[test]
    fn elements_past_the_limit_are_text() {
        let emphasis = "*a* ".repeat(MAX_ELEMENTS + 500);
        let html = render_comment(&emphasis);
        assert!(
            html.matches("<em>").count() < MAX_ELEMENTS,
            "too many elements"
        );
        assert_eq!(html.matches('a').count(), MAX_ELEMENTS + 500);
    }

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
