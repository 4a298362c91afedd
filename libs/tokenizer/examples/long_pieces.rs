//! Times one long piece (no whitespace) at 10 KB, 100 KB and 1 MB, to see how the merge scales
//! (a profiling aid; the benchmark proper is bench-harness's `tokenizer-worst`).
//!
//! ```text
//! cargo run --release -p pyaot-tokenizer --example long_pieces -- o200k_base
//! ```

use std::time::Instant;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "cl100k_base".into());
    let enc = pyaot_tokenizer::Encoding::get(&name).expect("encoding");
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut letter = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (b'a' + (state % 26) as u8) as char
    };
    let letters: String = (0..1_000_000).map(|_| letter()).collect();
    let repeat = "a".repeat(1_000_000);
    for (kind, text) in [("repeat", &repeat), ("letters", &letters)] {
        for len in [10_000, 100_000, 1_000_000] {
            let piece = &text[..len];
            let mut best = f64::MAX;
            for _ in 0..3 {
                let start = Instant::now();
                let tokens = enc.encode_ordinary(piece).expect("encode");
                best = best.min(start.elapsed().as_secs_f64());
                assert!(!tokens.is_empty());
            }
            println!("{kind:8} {len:>9} bytes: {:8.2} ms ({:.1} MB/s)", best * 1e3, len as f64 / 1e6 / best);
        }
    }
}
