//! Learns the entity tagger's weights from the CoNLL-2003 training split
//! (CoNLL++ labels) and writes `src/domain/entities/model/weights.bin`.
//! Run: `cargo run --release --features test-support --example
//! train_entity_model [EPOCHS]`. The development split is only scored.

use indicatif::{ProgressBar, ProgressStyle};
use newsroom::domain::entities::Knowledge;
use newsroom::domain::entities::evaluation::conll;
use newsroom::domain::entities::model::Model;
use newsroom::domain::entities::model::train::{Example, Trainer, evaluate};
use std::path::Path;

fn examples(path: &Path) -> Result<Vec<Example>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(conll::read(&text)?
        .iter()
        .map(Example::from_conll)
        .collect())
}

fn main() -> Result<(), String> {
    let epochs: usize = std::env::args()
        .nth(1)
        .map(|a| {
            a.parse()
                .map_err(|_| format!("not a number of epochs: {a}"))
        })
        .transpose()?
        .unwrap_or(15);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("../shared/data/ner");
    let train = examples(&data.join("conllpp_train.txt"))?;
    let dev = examples(&data.join("conllpp_dev.txt"))?;
    let knowledge = Knowledge::builtin();
    let mut trainer = Trainer::default();
    let bar = ProgressBar::new(epochs as u64).with_style(
        ProgressStyle::with_template("{bar:30} epoch {pos}/{len} {msg}")
            .map_err(|e| e.to_string())?,
    );
    // A fixed shuffle: the same data gives the same model.
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut seed = 0x2545_f491_u64;
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let shuffled: Vec<&Example> = order.iter().map(|&i| &train[i]).collect();
        let score = trainer.epoch(&shuffled, knowledge);
        bar.set_message(format!("training F1 {:.3}", score.f1()));
        bar.inc(1);
        let _ = epoch;
    }
    bar.finish();
    let bytes = trainer.to_bytes();
    let model = Model::from_bytes(&bytes)?;
    for (class, score) in evaluate(&model, &dev, knowledge) {
        println!(
            "dev {:<14} F1 {:.3} (found {}, right {}, gold {})",
            class.map_or("all".to_owned(), |c| format!("{c:?}")),
            score.f1(),
            score.found,
            score.right,
            score.gold
        );
    }
    let out = root.join("src/domain/entities/model/weights.bin");
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{} bytes written to {}", bytes.len(), out.display());
    Ok(())
}
