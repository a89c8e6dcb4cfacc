//! The worst Markdown a hostile writer can send, rendered as an article
//! body and as a comment: each shape must stay well under 100 ms however
//! deep it nests (issue 14). Run with `cargo bench --bench markdown`;
//! results in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use newsroom::domain::markdown::{render_article, render_comment};
use std::hint::black_box;

/// Inputs of about 99,000 characters, the longest a body may be.
fn shapes() -> Vec<(&'static str, String)> {
    let mut nested_list = String::new();
    for level in 0.. {
        if nested_list.len() > 99_000 {
            break;
        }
        nested_list.push_str(&"  ".repeat(level % 200));
        nested_list.push_str("- item\n");
    }
    vec![
        ("nested quotes", ">".repeat(99_000)),
        ("nested quotes, one a line", {
            let mut text = String::new();
            let mut depth = 1;
            while text.len() < 99_000 {
                text.push_str(&"> ".repeat(depth));
                text.push_str("line\n");
                depth += 1;
            }
            text
        }),
        ("nested lists on one line", "- ".repeat(49_500)),
        ("nested lists, one a line", nested_list),
        ("emphasis", "*a **b ".repeat(14_000)),
        ("links", "[a](https://example.com) ".repeat(3_900)),
    ]
}

fn worst_input(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    for (name, text) in shapes() {
        group.bench_function(format!("article: {name}"), |b| {
            b.iter(|| black_box(render_article(&text)))
        });
        group.bench_function(format!("comment: {name}"), |b| {
            b.iter(|| black_box(render_comment(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, worst_input);
criterion_main!(benches);
