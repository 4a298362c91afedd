//! The bundled rank files equal the shared data copies, and GPT-2's original files give r50k's
//! ranks.

use std::collections::HashMap;

use pyaot_tokenizer::Encoding;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(pyaot_testdata::path(format!("vocab/{name}")).unwrap()).unwrap()
}

#[test]
fn bundled_files_equal_the_shared_data() {
    for name in ["r50k_base", "p50k_base", "cl100k_base", "o200k_base"] {
        let bundled = std::fs::read(format!("{}/vocab/{name}.tiktoken", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert!(bundled == read(&format!("{name}.tiktoken")), "{name}");
    }
}

/// GPT-2's byte-to-unicode table (data_gym format).
fn byte_for_char() -> HashMap<char, u8> {
    let mut printable: Vec<u8> = (b'!'..=b'~').chain(0xa1..=0xac).chain(0xae..=0xff).collect();
    let mut chars: Vec<char> = printable.iter().map(|&b| b as char).collect();
    let mut n = 0;
    for b in 0..=255u8 {
        if !printable.contains(&b) {
            printable.push(b);
            chars.push(char::from_u32(256 + n).unwrap());
            n += 1;
        }
    }
    chars.into_iter().zip(printable).collect()
}

#[test]
fn gpt2_data_gym_files_give_r50k_ranks() {
    let table = byte_for_char();
    let decode = |s: &str| s.chars().map(|c| table[&c]).collect::<Vec<u8>>();
    let encoder: HashMap<String, u32> = serde_json::from_slice(&read("gpt2_encoder.json")).unwrap();
    let r50k = Encoding::get("r50k_base").unwrap();
    let mut checked = 0;
    for (token, rank) in encoder {
        if token == "<|endoftext|>" {
            assert_eq!(rank, 50256);
            continue;
        }
        assert_eq!(r50k.encode_single_token(&decode(&token)).unwrap(), rank, "{token}");
        checked += 1;
    }
    assert_eq!(checked, r50k.mergeable_count());
}
