//! Encoding and decoding: tiktoken's documented answers, special tokens, errors.

use pyaot_tokenizer::{Encoding, ErrorKind, Special};

use crate::generated;

fn enc(name: &str) -> &'static Encoding {
    Encoding::get(name).unwrap()
}

#[test]
fn tiktoken_examples() {
    assert_eq!(enc("gpt2").encode_ordinary("hello world").unwrap(), [31373, 995]);
    assert_eq!(enc("cl100k_base").encode_ordinary("hello world").unwrap(), [15339, 1917]);
    assert_eq!(enc("cl100k_base").encode_ordinary(" \u{85}0").unwrap(), [220, 126, 227, 15]);
    assert_eq!(enc("cl100k_base").encode_ordinary("rer").unwrap(), [38149]);
    assert_eq!(enc("cl100k_base").encode_ordinary("'rer").unwrap(), [2351, 81]);
    assert_eq!(enc("cl100k_base").encode_ordinary("today\n ").unwrap(), [31213, 198, 220]);
    assert_eq!(enc("cl100k_base").encode_ordinary("today\n \n").unwrap(), [31213, 27907]);
    assert_eq!(enc("cl100k_base").encode_ordinary("today\n  \n").unwrap(), [31213, 14211]);
    assert_eq!(enc("cl100k_base").encode_ordinary("👍").unwrap(), [9468, 239, 235]);
    let zeros = [
        vec![15],
        vec![405],
        vec![830],
        vec![2388],
        vec![20483],
        vec![10535],
        vec![24598],
        vec![8269],
        vec![10535, 830],
        vec![8269, 405],
        vec![8269, 830],
        vec![8269, 2388],
        vec![8269, 20483],
        vec![8269, 10535],
        vec![8269, 24598],
        vec![25645],
        vec![8269, 10535, 830],
    ];
    for (n, expected) in zeros.iter().enumerate() {
        assert_eq!(&enc("gpt2").encode_ordinary(&"0".repeat(n + 1)).unwrap(), expected, "{} zeros", n + 1);
    }
    assert_eq!(enc("cl100k_base").encode_bytes(b" \xec\x8b\xa4\xed").unwrap(), [62085]);
}

#[test]
fn vocabulary_sizes() {
    for (name, n_vocab, eot) in [
        ("gpt2", 50257, 50256),
        ("r50k_base", 50257, 50256),
        ("p50k_base", 50281, 50256),
        ("p50k_edit", 50284, 50256),
        ("cl100k_base", 100277, 100257),
        ("o200k_base", 200019, 199999),
        ("o200k_harmony", 201088, 199999),
    ] {
        let e = enc(name);
        assert_eq!((e.n_vocab(), e.eot_token()), (n_vocab, Some(eot)), "{name}");
    }
    assert_eq!(Encoding::names().len(), 7);
    assert_eq!(Encoding::get("nope").unwrap_err().kind(), ErrorKind::UnknownEncoding);
}

#[test]
fn special_tokens() {
    let e = enc("cl100k_base");
    let text = "<|endoftext|> hello <|fim_prefix|>";
    let err = e.encode(text, Special::None, Special::All).unwrap_err();
    assert_eq!((err.kind(), err.special_token()), (ErrorKind::DisallowedSpecialToken, Some("<|endoftext|>")));
    assert!(err.to_string().starts_with(
        "Encountered text corresponding to disallowed special token '<|endoftext|>'.\n\
         If you want this text to be encoded as a special token, pass it to `allowed_special`, \
         e.g. `allowed_special={'<|endoftext|>', ...}`.\n"
    ));
    let only_fim = e.encode(text, Special::None, Special::Only(&["<|fim_prefix|>"])).unwrap_err();
    assert_eq!(only_fim.special_token(), Some("<|fim_prefix|>"));
    let ordinary = e.encode(text, Special::None, Special::None).unwrap();
    assert_eq!(ordinary, e.encode_ordinary(text).unwrap());
    assert!(!ordinary.contains(&100257));
    let all = e.encode(text, Special::All, Special::None).unwrap();
    assert_eq!(all.first(), Some(&100257));
    assert_eq!(all.last(), Some(&100258));
    let some = e.encode(text, Special::Only(&["<|fim_prefix|>"]), Special::None).unwrap();
    assert_eq!(some.last(), Some(&100258));
    assert_ne!(some.first(), Some(&100257));
    assert_eq!(e.encode_with_special_tokens("hello <|endoftext|>").unwrap(), [15339, 220, 100257]);
    // As tiktoken, disallowed texts that are not special tokens are refused too.
    let hello = e.encode("say hello", Special::None, Special::Only(&["hello", "<|fim_prefix|>"])).unwrap_err();
    assert_eq!(hello.special_token(), Some("hello"));
    assert_eq!(
        e.encode("say hi", Special::Only(&["hi"]), Special::None).unwrap(),
        e.encode_ordinary("say hi").unwrap()
    );
    // `disallowed: All` is "all that are not allowed", as tiktoken's default.
    let eot_only = e.encode("<|endoftext|>", Special::Only(&["<|endoftext|>"]), Special::All).unwrap();
    assert_eq!(eot_only, [100257]);
    assert_eq!(e.encode_single_token(b"<|endoftext|>").unwrap(), 100257);
    assert_eq!(e.encode_single_token(b"hello").unwrap(), 15339);
    assert_eq!(e.encode_single_token(b"hello world").unwrap_err().kind(), ErrorKind::NotAToken);
    assert_eq!(e.decode(&[100257]).unwrap(), "<|endoftext|>");
}

#[test]
fn decode() {
    let e = enc("cl100k_base");
    assert_eq!(e.decode_bytes(&[9468, 239]).unwrap(), b"\xf0\x9f\x91");
    assert_eq!(e.decode(&[9468, 239]).unwrap(), "\u{fffd}");
    assert_eq!(e.decode_with_offsets(&[15339, 1917]).unwrap(), ("hello world".to_string(), vec![0, 5]));
    assert_eq!(e.token_bytes(100256).unwrap_err().token(), Some(100256));
    assert_eq!(e.decode_bytes(&[u32::MAX]).unwrap_err().token(), Some(u32::MAX));
    assert_eq!(e.decode_with_offsets(&[9468, 239]).unwrap_err().valid_up_to(), Some(0));
    let values: Vec<&[u8]> = e.token_byte_values().collect();
    assert_eq!(values.len(), 100256);
    assert!(values.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn roundtrip_and_count() {
    for name in Encoding::names() {
        let e = enc(name);
        for text in generated(2_000, 7) {
            let tokens = e.encode_ordinary(&text).unwrap();
            assert_eq!(e.decode(&tokens).unwrap(), text, "{name}");
            assert_eq!(e.count_ordinary(&text).unwrap(), tokens.len());
        }
    }
}

#[test]
fn long_pieces_encode_in_near_linear_time() {
    // One piece of a million bytes (no whitespace): the heap merge, checked by round trip.
    let e = enc("o200k_base");
    for text in ["x".repeat(1_000_000), "ab1!".repeat(250_000)] {
        let tokens = e.encode_ordinary(&text).unwrap();
        assert_eq!(e.decode_bytes(&tokens).unwrap(), text.as_bytes());
    }
}

#[test]
fn unstable_completions() {
    let e = enc("gpt2");
    let (stable, completions) =
        e.encode_with_unstable("hello fanta", &Default::default(), &Default::default()).unwrap();
    assert_eq!(stable, [31373]);
    assert!(completions.contains(&vec![277, 4910]));
    for completion in &completions {
        let bytes = e.decode_bytes(&[stable.clone(), completion.clone()].concat()).unwrap();
        assert!(bytes.starts_with(b"hello fanta"), "{completion:?}");
    }
}

#[test]
fn custom_encoding() {
    let base = enc("r50k_base");
    let ranks: Vec<(Vec<u8>, u32)> = base.mergeable_ranks().map(|(t, r)| (t.to_vec(), r)).collect();
    let custom = Encoding::new("custom", base.pattern(), ranks, [("<|pickle|>".to_string(), 100_000)]).unwrap();
    assert_eq!(custom.encode("<|pickle|>", Special::All, Special::None).unwrap(), [100_000]);
    assert_eq!(custom.encode_ordinary("hello world").unwrap(), [31373, 995]);
    assert_eq!(custom.n_vocab(), 100_001);
    let missing_byte = Encoding::new("bad", base.pattern(), [(b"a".to_vec(), 0)], []);
    assert_eq!(missing_byte.unwrap_err().kind(), ErrorKind::InvalidVocabulary);
    let ranks = || base.mergeable_ranks().map(|(t, r)| (t.to_vec(), r)).collect::<Vec<_>>();
    let empty_special = Encoding::new("bad", base.pattern(), ranks(), [(String::new(), 60000)]);
    assert_eq!(empty_special.unwrap_err().kind(), ErrorKind::InvalidVocabulary);
    let huge_rank =
        Encoding::new("bad", base.pattern(), ranks().into_iter().chain([(b"xyzzy".to_vec(), 3_000_000)]), []);
    assert_eq!(huge_rank.unwrap_err().kind(), ErrorKind::InvalidVocabulary);
}
