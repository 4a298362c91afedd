//! Never panic, never hang: the fuzz targets' bodies (`libs/regex/fuzz/targets.rs`) over a
//! deterministic pseudo-random corpus, plus hostile inputs (deep nesting, huge repeat counts,
//! exponential patterns, long haystacks). The same checks run under cargo-fuzz; this keeps them
//! in every `cargo test`.

#[path = "../fuzz/targets.rs"]
mod targets;

use pyaot_regex::{Anchor, Flags, MatchError, Regex};

/// xorshift64*: a small deterministic generator, so a failing case is reproducible from its
/// index.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pattern pieces rich in metacharacters and in the prefixes of every special form, so that
/// random sequences reach the parser's error paths and the matcher's rarer instructions.
const PATTERN_ALPHABET: &[&str] = &[
    "(", ")", "[", "]", "{", "}", "?", "*", "+", "|", "^", "$", "\\", ".", "-", ":", "=", "!", "<", ">", "P", "#", ",",
    "a", "b", "x", "0", "1", "2", "9", "é", "ß", "İ", "\u{212A}", "\n", " ", "(?", "(?:", "(?P<n>", "(?P=n)", "(?=",
    "(?!", "(?<=", "(?<!", "(?>", "(?i)", "(?s:", "(?(1)", "\\1", "\\b", "\\B", "\\d", "\\w", "\\s", "\\W", "\\A",
    "\\Z", "\\x4", "\\u00e9", "\\N{", "[^", "[a-", "{2}", "{1,3}", "{,2}", "*?", "+?", "??", "*+", "++", "?+", "{2,}?",
    "\\g<", "\\0", "a*", "(a|b)", "[\\d-z]",
];

/// Haystack pieces: a few letters the patterns use, non-ASCII text and line ends.
const HAYSTACK_ALPHABET: &[&str] = &["a", "b", "x", "ab", "0", "1", " ", "\n", "é", "ß", "İ", "K", "-", "!", "aa"];

/// One random case in the targets' input layout: flag byte, pattern, NUL, haystack.
fn random_case(rng: &mut Rng) -> Vec<u8> {
    // Mostly str patterns; MULTILINE/DOTALL/IGNORECASE/VERBOSE/ASCII sometimes.
    let mut data = vec![((rng.next() & 0xFE) as u8 & 0b1101_1010) | u8::from(rng.below(4) != 0)];
    for _ in 0..rng.below(12) {
        data.extend_from_slice(rng.pick(PATTERN_ALPHABET).as_bytes());
    }
    data.push(0);
    for _ in 0..rng.below(10) {
        data.extend_from_slice(rng.pick(HAYSTACK_ALPHABET).as_bytes());
    }
    data
}

#[test]
fn random_patterns_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..3000 {
        let data = random_case(&mut rng);
        let run = std::panic::catch_unwind(|| {
            targets::check_parse(&data);
            targets::check_match(&data);
        });
        assert!(run.is_ok(), "case {case} panicked: {:?}", String::from_utf8_lossy(&data));
    }
}

#[test]
fn random_bytes_never_panic() {
    // Raw bytes, including invalid UTF-8 and NULs, for both kinds of pattern.
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    for _ in 0..2000 {
        let data: Vec<u8> = (0..rng.below(24)).map(|_| rng.next() as u8).collect();
        targets::check_parse(&data);
        targets::check_match(&data);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("(", ")"), ("(?:", ")"), ("(?=", ")"), ("(?P<g>", ")")] {
        let pattern = format!("{}a{}", open.repeat(100_000), close.repeat(100_000));
        // Named groups repeat a name and fail early, the rest at the nesting limit; none may
        // overflow the stack.
        assert!(Regex::new(&pattern).is_err(), "{open}...{close} x 100000 compiled");
    }
    // Sets do not nest: `[[[...a]` is one set of `[` and `a`, the other `]` are literals.
    let sets = format!("{}a{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(Regex::new(&sets).unwrap().find(&sets[100_000..]).unwrap().map(|m| m.range()), Some(0..100_000));
    let alternation = "a|".repeat(100_000);
    assert!(Regex::new(&alternation).is_ok());
    let quantifiers = "a".to_string() + &"?".repeat(100_000);
    assert!(Regex::new(&quantifiers).is_err()); // "multiple repeat"
}

#[test]
fn huge_repeat_counts_compile_and_match() {
    let regex = Regex::new("a{1000000}").expect("CPython accepts it");
    assert_eq!(regex.find("aaaa").unwrap(), None);
    let haystack = "a".repeat(1_000_001);
    assert_eq!(regex.find(haystack.as_str()).unwrap().map(|m| m.range()), Some(0..1_000_000));
    let regex = Regex::new("(?:ab){0,4294967294}c").expect("just below MAXREPEAT");
    assert_eq!(regex.find("ababc").unwrap().map(|m| m.range()), Some(0..5));
    assert!(Regex::new("a{4294967296}").is_err()); // OverflowError in CPython
}

#[test]
fn nested_quantifiers_are_linear_on_regular_patterns() {
    // `(a+)+$` is regular: an automaton answers in linear time where a backtracker (CPython)
    // takes exponential time. The answer must be "no match", not the step-limit error.
    let regex = Regex::new("(a+)+$").unwrap();
    let haystack = "a".repeat(30_000) + "!";
    assert_eq!(regex.find(haystack.as_str()), Ok(None));
}

#[test]
fn the_step_limit_stops_exponential_backtracking() {
    // The backreference keeps this on the backtracking engine.
    let regex = Regex::new(r"(a|aa)+\1$").unwrap().with_step_limit(100_000);
    let haystack = "a".repeat(40) + "!";
    assert!(matches!(regex.find(haystack.as_str()), Err(MatchError::StepLimit(100_000))));
}

#[test]
fn long_haystacks_do_not_overflow() {
    let line = "x".repeat(10 << 20);
    let regex = Regex::new(".*").unwrap();
    assert_eq!(regex.find(line.as_str()).unwrap().map(|m| m.range()), Some(0..line.len()));
    // findall('.*') on one line: the line, then the empty match at the end.
    assert_eq!(regex.count(line.as_str()).unwrap(), 2);
    let regex = Regex::new("(.)*").unwrap();
    assert_eq!(regex.find(line.as_str()).unwrap().map(|m| m.range()), Some(0..line.len()));
    let bytes = Regex::new_bytes(b"(?s).*", Flags(0)).unwrap();
    let mut slots = vec![usize::MAX; bytes.slot_count()];
    let found = bytes.search_raw(line.as_bytes(), 0, usize::MAX, Anchor::Full, false, &mut slots);
    assert_eq!((found, slots[1]), (Ok(Some(0)), line.len()));
}
