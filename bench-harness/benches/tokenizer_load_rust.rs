//! The `tokenizer-load-rust` suite: build an encoding from scratch, then encode one sentence.

mod tokenizer_common;

use criterion::{Criterion, criterion_group, criterion_main};
use tokenizer_common::{Engine, Ids, tiktoken_fresh};

fn benches(c: &mut Criterion) {
    // Each call of the encoder builds the encoding anew, so the timed work is build + one encode.
    let engines = [
        Engine::new("tiktoken-rs", |name| Box::new(move |text| tiktoken_fresh(name).encode_ordinary(text))),
        Engine::new("pyaot-tokenizer", |name| {
            Box::new(move |text| {
                pyaot_tokenizer::Encoding::load(name).expect("a bundled encoding").encode_ordinary(text).ids()
            })
        }),
    ];
    tokenizer_common::run(c, "tokenizer-load-rust", &engines);
}

criterion_group!(tokenizer_load_rust, benches);
criterion_main!(tokenizer_load_rust);
