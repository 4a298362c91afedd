//! The `tokenizer-worst` suite: one long text without whitespace, 10 KB to 1 MB, per tokenizer.

mod tokenizer_common;

use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    tokenizer_common::run(c, "tokenizer-worst", &tokenizer_common::encode_engines());
}

criterion_group!(tokenizer_worst, benches);
criterion_main!(tokenizer_worst);
