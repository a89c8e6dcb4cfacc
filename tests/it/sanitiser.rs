//! Hostile Markdown through both renderers: whatever goes in, nothing that
//! runs script comes out. (The HTTP tests check the same on real pages.)

use crate::helpers::assert_no_live_script;
use newsroom::domain::markdown::{render_article, render_comment};

const ATTACKS: [&str; 10] = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)>",
    "![x](javascript:alert(1))",
    "<div style=\"background:url(javascript:alert(1))\" onclick=\"x()\">hi</div>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
];

#[test]
fn hostile_markdown_renders_inert_in_articles_and_comments() {
    for attack in ATTACKS {
        let article = render_article(attack);
        assert_no_live_script(&article);
        assert!(!article.contains("data:text/html"), "{article}");
        let comment = render_comment(attack);
        assert_no_live_script(&comment);
        assert!(!comment.contains("data:text/html"), "{comment}");
    }
}

/// Property: any mix of hostile fragments, Markdown syntax and text, in any
/// order, still renders inert.
#[test]
fn random_mixtures_of_hostile_fragments_render_inert() {
    const PIECES: [&str; 14] = [
        "<",
        ">",
        "\"",
        "'",
        "`",
        "[",
        "](",
        ")",
        "javascript:",
        "on",
        "error=",
        "script",
        "\n\n",
        "*",
    ];
    for _ in 0..2_000 {
        let bytes = newsroom::auth::random_bytes::<48>();
        let mut text = String::new();
        for (i, byte) in bytes.iter().enumerate() {
            if i % 3 == 0 {
                text.push_str(ATTACKS[usize::from(*byte) % ATTACKS.len()]);
            } else {
                text.push_str(PIECES[usize::from(*byte) % PIECES.len()]);
            }
        }
        assert_no_live_script(&render_article(&text));
        assert_no_live_script(&render_comment(&text));
    }
}

/// Text that only looks like a handler, inside a quoted value, is inert.
#[test]
fn the_checker_reads_quoted_values_as_values() {
    assert_no_live_script(
        r#"<a href="img%20src=x%20onerror=alert(1)" title=")&lt;svg onload=alert(1)&gt;" rel="noopener">x</a>"#,
    );
}

/// The checker above must itself be able to fail.
#[test]
fn the_checker_catches_live_script() {
    for live in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<svg></svg>",
        "<a title='x' onclick=\"go()\">x</a>",
        "<img src = javascript:alert(1)>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_no_live_script(live));
        assert!(caught.is_err(), "{live} was not caught");
    }
    for inert in [
        "<a href=\"/x/javascript:y\">x</a>",
        "&lt;script&gt;",
        "<p>onerror=1</p>",
    ] {
        assert_no_live_script(inert);
    }
}
