//! The `json-parse` suite: parse each document into each library's own document type.

mod json_common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use json_common::Digest;
use pyaot_bench_harness::inproc::{Engine, bench_suite, load_suite};

fn ours(input: &[u8]) -> pyaot_json::Value {
    pyaot_json::from_slice(input).expect("benchmark documents parse")
}

fn serde(input: &[u8]) -> serde_json::Value {
    serde_json::from_slice(input).expect("benchmark documents parse")
}

fn simd(input: &[u8]) -> simd_json::OwnedValue {
    // simd-json parses in place, so it needs its own mutable copy of the input.
    let mut copy = input.to_vec();
    simd_json::to_owned_value(&mut copy).expect("benchmark documents parse")
}

fn sonic(input: &[u8]) -> sonic_rs::Value {
    sonic_rs::from_slice(input).expect("benchmark documents parse")
}

fn benches(c: &mut Criterion) {
    let suite = load_suite("json-parse").expect("suites/json-parse.toml");
    let engines = [
        Engine::checked("pyaot-json", |i| Digest::of_value(&ours(i)).to_string(), |i| drop(black_box(ours(i)))),
        Engine::checked("serde_json", |i| Digest::of_serde(&serde(i)).to_string(), |i| drop(black_box(serde(i)))),
        Engine::checked("simd-json", |i| Digest::of_serde(&simd(i)).to_string(), |i| drop(black_box(simd(i)))),
        Engine::checked("sonic-rs", |i| Digest::of_serde(&sonic(i)).to_string(), |i| drop(black_box(sonic(i)))),
    ];
    bench_suite(c, &suite, &engines);
}

criterion_group!(json_parse, benches);
criterion_main!(json_parse);
