//! A small program for the binary-size table (`scripts/tokenizer-sizes`): builds a BPE
//! tokenizer, adds whichever component groups the build has (every variant reachable from the
//! command line, so none is optimised away), encodes and decodes its arguments.
//!
//! `size_probe [COMPONENT...] -- TEXT`: components are `normalizer=N`, `pre=P`, `post=P`,
//! `decoder=D` by index into each group's variants, `json` (round trip through tokenizer.json),
//! `train` (train a BPE on the text first),
//! `wordpiece` (use a WordPiece model).

// With some groups off, the option parsing has less to do.
#![cfg_attr(not(feature = "full"), allow(unused_mut, unused_variables, unused_imports))]

use pyaot_tokenizer::hf::{Bpe, BpeOptions, Model, Tokenizer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (options, text) = (&args[..split], args.get(split + 1..).unwrap_or_default().join(" "));
    let vocab = (0u8..=255).map(|b| (char::from(b).to_string(), u32::from(b)));
    let mut tokenizer = Tokenizer::new(Model::Bpe(Bpe::new(vocab, Vec::new(), BpeOptions::default())?));
    for option in options {
        let (name, value) = option.split_once('=').unwrap_or((option, "0"));
        let index: usize = value.parse().unwrap_or(0);
        match name {
            #[cfg(feature = "normalizers")]
            "normalizer" => tokenizer.set_normalizer(Some(components::normalizer(index))),
            #[cfg(feature = "pre-tokenizers")]
            "pre" => tokenizer.set_pre_tokenizer(Some(components::pre_tokenizer(index))),
            #[cfg(feature = "processors")]
            "post" => tokenizer.set_post_processor(Some(components::processor(index))),
            #[cfg(feature = "decoders")]
            "decoder" => tokenizer.set_decoder(Some(components::decoder(index))),
            #[cfg(feature = "wordpiece")]
            "wordpiece" => {
                let vocab = [("[UNK]", 0), ("a", 1), ("##b", 2)].map(|(t, i)| (t.to_owned(), i));
                tokenizer.set_model(Model::WordPiece(pyaot_tokenizer::hf::WordPiece::new(
                    vocab,
                    "[UNK]".into(),
                    "##".into(),
                    100,
                )));
            }
            #[cfg(feature = "train")]
            "train" => {
                use pyaot_tokenizer::train::{BpeTrainer, WordCounts};
                let counts: WordCounts = text.split(' ').map(|w| (w, 1)).collect();
                let trainer = BpeTrainer { vocab_size: 300, show_progress: false, ..BpeTrainer::default() };
                let trained = trainer.train(&counts);
                let vocab = trained.vocab.into_iter().enumerate().map(|(id, t)| (t, id as u32));
                tokenizer.set_model(Model::Bpe(Bpe::new(vocab, trained.merges, BpeOptions::default())?));
            }
            #[cfg(feature = "json")]
            "json" => tokenizer = Tokenizer::from_json(&tokenizer.to_json(false))?,
            other => return Err(format!("unknown or disabled option {other:?}").into()),
        }
    }
    let encoding = tokenizer.encode(text.as_str(), None, true)?;
    println!("{:?}", encoding.ids());
    println!("{}", tokenizer.decode(encoding.ids(), true)?);
    Ok(())
}

#[cfg(any(feature = "normalizers", feature = "pre-tokenizers", feature = "processors", feature = "decoders"))]
mod components {
    #[cfg(any(feature = "pre-tokenizers", feature = "decoders"))]
    use pyaot_tokenizer::hf::PrependScheme;
    #[cfg(feature = "decoders")]
    use pyaot_tokenizer::hf::decoders::Decoder;
    #[cfg(feature = "normalizers")]
    use pyaot_tokenizer::hf::normalizers::Normalizer;
    #[cfg(feature = "pre-tokenizers")]
    use pyaot_tokenizer::hf::pre_tokenizers::PreTokenizer;
    #[cfg(feature = "processors")]
    use pyaot_tokenizer::hf::processors::{Piece, PostProcessor};
    #[cfg(any(feature = "normalizers", feature = "pre-tokenizers", feature = "decoders"))]
    use pyaot_tokenizer::hf::{Pattern, SplitBehavior};

    #[cfg(feature = "normalizers")]
    pub(crate) fn normalizer(index: usize) -> Normalizer {
        let all = vec![
            Normalizer::Lowercase,
            Normalizer::Uppercase,
            Normalizer::StripAccents,
            Normalizer::Nfc,
            Normalizer::Nfd,
            Normalizer::Nfkc,
            Normalizer::Nfkd,
            Normalizer::Replace { pattern: Pattern::String(" ".into()), content: "_".into() },
            #[cfg(feature = "pattern-regex")]
            Normalizer::Replace { pattern: Pattern::regex(r"\s+").expect("valid"), content: " ".into() },
            Normalizer::Strip { left: true, right: true },
            Normalizer::Prepend("▁".into()),
            Normalizer::Bert { clean_text: true, handle_chinese_chars: true, strip_accents: None, lowercase: true },
        ];
        let _ = SplitBehavior::Isolated;
        all.into_iter().nth(index).unwrap_or_else(|| Normalizer::Sequence(Vec::new()))
    }

    #[cfg(feature = "pre-tokenizers")]
    pub(crate) fn pre_tokenizer(index: usize) -> PreTokenizer {
        let all = vec![
            PreTokenizer::Whitespace,
            PreTokenizer::WhitespaceSplit,
            PreTokenizer::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true },
            PreTokenizer::Punctuation(SplitBehavior::Isolated),
            PreTokenizer::Digits { individual_digits: true },
            PreTokenizer::Bert,
            PreTokenizer::Metaspace { replacement: '▁', prepend_scheme: PrependScheme::Always, split: true },
            PreTokenizer::Split {
                pattern: Pattern::regex(r"\w+").expect("valid"),
                behavior: SplitBehavior::Isolated,
                invert: false,
            },
            PreTokenizer::CharDelimiterSplit(' '),
        ];
        all.into_iter().nth(index).unwrap_or_else(|| PreTokenizer::Sequence(Vec::new()))
    }

    #[cfg(feature = "processors")]
    pub(crate) fn processor(index: usize) -> PostProcessor {
        let sep = ("[SEP]".to_owned(), 1);
        let cls = ("[CLS]".to_owned(), 0);
        match index {
            0 => PostProcessor::Bert { sep, cls },
            1 => PostProcessor::Roberta { sep, cls, trim_offsets: true, add_prefix_space: true },
            2 => PostProcessor::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true },
            3 => PostProcessor::template(vec![Piece::parse("$A").expect("valid")], Vec::new(), Vec::new())
                .expect("valid"),
            _ => PostProcessor::Sequence(Vec::new()),
        }
    }

    #[cfg(feature = "decoders")]
    pub(crate) fn decoder(index: usize) -> Decoder {
        let all = vec![
            Decoder::WordPiece { prefix: "##".into(), cleanup: true },
            Decoder::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true },
            Decoder::Bpe { suffix: "</w>".into() },
            Decoder::Metaspace { replacement: '▁', prepend_scheme: PrependScheme::Always, split: true },
            Decoder::Replace { pattern: Pattern::String("▁".into()), content: " ".into() },
            Decoder::Strip { content: ' ', start: 1, stop: 0 },
            Decoder::Fuse,
            Decoder::ByteFallback,
        ];
        all.into_iter().nth(index).unwrap_or_else(|| Decoder::Sequence(Vec::new()))
    }
}
