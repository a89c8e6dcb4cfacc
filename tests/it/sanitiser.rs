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
