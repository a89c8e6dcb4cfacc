//! What a cover upload costs: `prepare` (decode, turn upright, re-encode
//! without metadata, six variants) on a phone-sized photo and a small one.
//! Run with `cargo bench --bench media`; results in bench/RESULTS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use image::ImageFormat;
use newsroom::media::prepare;
use newsroom::media::samples::{encoded, gradient, with_exif};
use std::hint::black_box;

fn uploads(c: &mut Criterion) {
    let mut group = c.benchmark_group("prepare");
    group.sample_size(10);
    for (name, width, height, format) in [
        ("12MP JPEG", 4000, 3000, ImageFormat::Jpeg),
        ("2MP PNG", 1600, 1200, ImageFormat::Png),
        ("1MP WebP", 1200, 800, ImageFormat::WebP),
    ] {
        let mut upload = encoded(&gradient(width, height), format);
        if format == ImageFormat::Jpeg {
            upload = with_exif(&upload, 6, "GPS");
        }
        group.bench_function(name, |b| {
            b.iter(|| prepare(black_box(&upload)).expect("a good image"));
        });
    }
    group.finish();
}

criterion_group!(benches, uploads);
criterion_main!(benches);
