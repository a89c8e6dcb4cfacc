//! The entity extractor's speed and memory. Throughput is bytes of article
//! text (headline, summary, body) per second on one core, over the
//! evaluation set's articles and over one long document; memory is the
//! process's peak resident size while reading 5 MB, against its size
//! before. Run with `cargo bench --bench entities`; results in
//! bench/RESULTS.md.

use criterion::{Criterion, Throughput, criterion_group};
use newsroom::domain::entities::evaluation::{Evaluation, Labelled, conll};
use newsroom::domain::entities::{Document, Knowledge, evaluation, extract};
use std::hint::black_box;
use std::path::Path;

/// The evaluation articles as (headline, summary, body), labels removed.
fn articles() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities");
    evaluation::read_dir(&dir)
        .expect("evaluation set")
        .into_iter()
        .map(|a| (a.headline, a.summary, a.body))
        .collect()
}

/// One long document: every article's body over and over, `bytes` long.
fn long_body(articles: &[(String, String, String)], bytes: usize) -> String {
    let mut body = String::with_capacity(bytes + 4096);
    while body.len() < bytes {
        for (_, _, text) in articles {
            body.push_str(text);
            body.push_str("\n\n");
        }
    }
    body
}

/// The CoNLL-2003 development articles as written (ALL CAPS headlines),
/// when the data is here.
fn conll_articles() -> Vec<Labelled> {
    conll::development_set(Knowledge::builtin())
        .unwrap_or_default()
        .into_iter()
        .filter(|(style, _)| *style == conll::HeadlineStyle::AllCaps)
        .map(|(_, article)| article)
        .collect()
}

/// The scores `cargo test` asserts, printed next to the speed.
fn quality() {
    let knowledge = Knowledge::builtin();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities");
    let own: Vec<Labelled> = evaluation::read_dir(&dir)
        .expect("evaluation set")
        .iter()
        .map(|a| a.labelled().expect("labels"))
        .collect();
    let scored = Evaluation::run(&own, knowledge, 12, |_| String::new());
    println!(
        "quality: the project's articles: {}",
        scored.total.summary(12)
    );
    let conll = conll_articles();
    if conll.is_empty() {
        println!("quality: CoNLL-2003 development split not here, not scored");
        return;
    }
    let scored = Evaluation::run(&conll, knowledge, 10, |_| String::new());
    println!(
        "quality: CoNLL-2003 development split: {}",
        scored.total.summary(10)
    );
}

fn throughput(c: &mut Criterion) {
    let articles = articles();
    let knowledge = Knowledge::builtin();
    let bytes: usize = articles
        .iter()
        .map(|(h, s, b)| h.len() + s.len() + b.len())
        .sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("evaluation articles", |b| {
        b.iter(|| {
            for (headline, summary, body) in &articles {
                black_box(extract(
                    &Document {
                        headline,
                        summary,
                        body,
                    },
                    knowledge,
                ));
            }
        });
    });
    let conll = conll_articles();
    if !conll.is_empty() {
        let bytes: usize = conll.iter().map(Labelled::bytes).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("CoNLL development articles", |b| {
            b.iter(|| {
                for article in &conll {
                    black_box(extract(&article.document(), knowledge));
                }
            });
        });
    }
    let long = long_body(&articles, 1024 * 1024);
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.sample_size(20);
    group.bench_function("one 1 MB document", |b| {
        b.iter(|| {
            black_box(extract(
                &Document {
                    headline: "",
                    summary: "",
                    body: &long,
                },
                knowledge,
            ))
        });
    });
    group.finish();
}

/// A field of /proc/self/status in KiB (Linux), if there is one.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak memory of the extractor, measured before criterion runs so that
/// nothing else has grown the process yet: the evaluation articles, then
/// 5 MB of prose, then 5 MB without capitals (read the other way, against
/// known names). The peak only grows, so each line is the most so far.
fn memory() {
    let articles = articles();
    let long = long_body(&articles, 5 * 1024 * 1024);
    let lower = long.to_lowercase();
    let before = status_kib("VmRSS:").unwrap_or(0);
    let report = |what: &str, found: usize| {
        let peak = status_kib("VmHWM:").unwrap_or(0);
        println!(
            "memory: {what}: {found} entities; resident before {:.1} MiB, peak {:.1} MiB, \
             grown by {:.1} MiB",
            before as f64 / 1024.0,
            peak as f64 / 1024.0,
            peak.saturating_sub(before) as f64 / 1024.0
        );
    };
    let knowledge = Knowledge::builtin();
    let mut found = 0;
    for (headline, summary, body) in &articles {
        found += extract(
            &Document {
                headline,
                summary,
                body,
            },
            knowledge,
        )
        .len();
    }
    report("evaluation articles", found);
    for (what, text) in [("5 MB of prose", &long), ("5 MB in lower case", &lower)] {
        let started = std::time::Instant::now();
        let entities = extract(
            &Document {
                headline: "",
                summary: "",
                body: text,
            },
            knowledge,
        );
        // Once, not a criterion sample: with the 1 MB case, whether time
        // grows linearly with the input.
        println!("time: {what} in {:.0?}", started.elapsed());
        report(what, entities.len());
    }
}

criterion_group!(benches, throughput);

fn main() {
    memory();
    quality();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
