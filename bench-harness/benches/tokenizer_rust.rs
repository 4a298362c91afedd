//! The `tokenizer-rust` suite: encode every text of the corpora with each Rust tokenizer.

mod tokenizer_common;

use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    tokenizer_common::run(c, "tokenizer-rust", &tokenizer_common::encode_engines());
}

criterion_group!(tokenizer_rust, benches);
criterion_main!(tokenizer_rust);
