//! The `regex-rust` suite: every benchmark of the shared `regex/spec.json` through pyaot-regex and
//! the `regex` crate, each pattern compiled before timing (except in the `compile` model).
//!
//! The Rust twin of `bench-harness/python/regex_peers.py` (same models, same regex-redux program);
//! the expected results are CPython's answers with span lengths in UTF-8 bytes
//! (`bench-harness/python/regex_cases.py regex-rust`). The `regex` crate runs rebar's way, a
//! `bytes::Regex` over the haystack's bytes with `unicode(false)` for the ASCII benchmarks;
//! pyaot-regex gets the haystack as `&str`, with `ASCII` for those. Where the `regex` crate's
//! answer differs (its dialect), the suite's `may_differ` makes the cell n/a.

use criterion::{Criterion, criterion_group, criterion_main};
use pyaot_bench_harness::inproc::{self, Engine};
use pyaot_bench_harness::suite::Case;
use serde::Deserialize;

const SUITE: &str = "regex-rust";

/// One entry of `regex/spec.json`.
#[derive(Deserialize)]
struct Spec {
    name: String,
    model: String,
    pattern: String,
    ci: bool,
    unicode: bool,
}

fn spec() -> Vec<Spec> {
    let path = pyaot_testdata::path("regex/spec.json").unwrap_or_else(|e| panic!("{e:#}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

// regex-redux (the Benchmarks Game), as in regex_peers.py.
const REDUX_STRIP: &str = ">.*\n|\n";
const REDUX_VARIANTS: [&str; 9] = [
    "agggtaaa|tttaccct",
    "[cgt]gggtaaa|tttaccc[acg]",
    "a[act]ggtaaa|tttacc[agt]t",
    "ag[act]gtaaa|tttac[agt]ct",
    "agg[act]taaa|ttta[agt]cct",
    "aggg[acg]aaa|ttt[cgt]ccct",
    "agggt[cgt]aa|tt[acg]accct",
    "agggta[cgt]a|t[acg]taccct",
    "agggtaa[cgt]|[acg]ttaccct",
];
const REDUX_REPLACEMENTS: [(&str, &str); 5] = [
    ("tHa[Nt]", "<4>"),
    ("aND|caN|Ha[DS]|WaS", "<3>"),
    ("a[NSt]|BY", "<2>"),
    ("<[^>]*>", "|"),
    ("\\|[^|][^|]*\\|", "-"),
];

/// The regex-redux answer, as `regex_cases.py` writes it.
fn redux_result(counts: &[usize], lengths: [usize; 3]) -> String {
    let join = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
    format!("counts={};lengths={}", join(counts), join(&lengths))
}

/// Groups that took part in a match, group 0 included.
fn taking_part(len: usize, get: impl Fn(usize) -> bool) -> usize {
    (0..len).filter(|&i| get(i)).count()
}

mod rust_regex {
    //! The `regex` crate: `bytes::Regex` over the haystack's bytes (rebar's way).
    use regex::bytes::{NoExpand, Regex, RegexBuilder};

    use super::{REDUX_REPLACEMENTS, REDUX_STRIP, REDUX_VARIANTS, Spec, redux_result, taking_part};

    fn build(pattern: &str, ci: bool, unicode: bool) -> Result<Regex, String> {
        // Limits raised so that the big patterns (dictionary/single, the date patterns) build.
        RegexBuilder::new(pattern)
            .case_insensitive(ci)
            .unicode(unicode)
            .size_limit(1 << 30)
            .dfa_size_limit(1 << 30)
            .build()
            .map_err(|e| format!("error: {}", e.to_string().lines().last().unwrap_or_default()))
    }

    /// The timed closure for the benchmark on `haystack`.
    pub fn engine(s: &Spec, haystack: &[u8]) -> Result<Box<dyn Fn() -> String>, String> {
        let haystack = haystack.to_vec();
        let (ci, unicode) = (s.ci, s.unicode);
        Ok(match s.model.as_str() {
            "compile" => {
                let pattern = s.pattern.clone();
                build(&pattern, ci, unicode)?;
                Box::new(move || match build(&pattern, ci, unicode) {
                    Ok(re) => re.find_iter(&haystack).count().to_string(),
                    Err(e) => e,
                })
            }
            "count" => {
                let re = build(&s.pattern, ci, unicode)?;
                Box::new(move || re.find_iter(&haystack).count().to_string())
            }
            "count-spans" => {
                let re = build(&s.pattern, ci, unicode)?;
                Box::new(move || re.find_iter(&haystack).map(|m| m.end() - m.start()).sum::<usize>().to_string())
            }
            "count-captures" => {
                let re = build(&s.pattern, ci, unicode)?;
                Box::new(move || {
                    re.captures_iter(&haystack)
                        .map(|c| taking_part(c.len(), |i| c.get(i).is_some()))
                        .sum::<usize>()
                        .to_string()
                })
            }
            "grep-captures" => {
                let re = build(&s.pattern, ci, unicode)?;
                let lines: Vec<Vec<u8>> = haystack.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
                Box::new(move || {
                    lines
                        .iter()
                        .filter_map(|line| re.captures(line))
                        .map(|c| taking_part(c.len(), |i| c.get(i).is_some()))
                        .sum::<usize>()
                        .to_string()
                })
            }
            "regex-redux" => {
                let strip = build(REDUX_STRIP, ci, unicode)?;
                let variants = REDUX_VARIANTS.iter().map(|v| build(v, ci, unicode)).collect::<Result<Vec<_>, _>>()?;
                let replacements = REDUX_REPLACEMENTS
                    .iter()
                    .map(|(f, r)| Ok((build(f, ci, unicode)?, r.as_bytes())))
                    .collect::<Result<Vec<_>, String>>()?;
                Box::new(move || {
                    let input_len = haystack.len();
                    let mut seq = strip.replace_all(&haystack, NoExpand(b"")).into_owned();
                    let code_len = seq.len();
                    let counts: Vec<usize> = variants.iter().map(|v| v.find_iter(&seq).count()).collect();
                    for (re, with) in &replacements {
                        seq = re.replace_all(&seq, NoExpand(with)).into_owned();
                    }
                    redux_result(&counts, [input_len, code_len, seq.len()])
                })
            }
            other => return Err(format!("unknown model {other:?}")),
        })
    }
}

mod pyaot {
    //! pyaot-regex on `&str`, with Python's flags.
    use pyaot_regex::{Flags, Regex};

    use super::{REDUX_REPLACEMENTS, REDUX_STRIP, REDUX_VARIANTS, Spec, redux_result, taking_part};

    fn build(pattern: &str, ci: bool, unicode: bool) -> Result<Regex, String> {
        let flags = (if ci { Flags::IGNORECASE } else { 0 }) | (if unicode { 0 } else { Flags::ASCII });
        Regex::with_flags(pattern, Flags(flags)).map_err(|e| format!("error: {e}"))
    }

    fn count(re: &Regex, haystack: &str) -> Result<usize, String> {
        re.find_iter(haystack).try_fold(0, |n, m| m.map(|_| n + 1)).map_err(|e| format!("error: {e:?}"))
    }

    fn answer(result: Result<usize, String>) -> String {
        result.map_or_else(|e| e, |n| n.to_string())
    }

    /// The timed closure for the benchmark on `haystack`.
    pub fn engine(s: &Spec, haystack: &[u8]) -> Result<Box<dyn Fn() -> String>, String> {
        let haystack = String::from_utf8(haystack.to_vec()).map_err(|e| format!("haystack is not UTF-8: {e}"))?;
        let (ci, unicode) = (s.ci, s.unicode);
        Ok(match s.model.as_str() {
            "compile" => {
                let pattern = s.pattern.clone();
                build(&pattern, ci, unicode)?;
                Box::new(move || answer(build(&pattern, ci, unicode).and_then(|re| count(&re, &haystack))))
            }
            "count" => {
                let re = build(&s.pattern, ci, unicode)?;
                Box::new(move || answer(count(&re, &haystack)))
            }
            "count-spans" => {
                let re = build(&s.pattern, ci, unicode)?;
                Box::new(move || {
                    answer(
                        re.find_iter(haystack.as_str())
                            .try_fold(0, |n, m| m.map(|m| n + m.end() - m.start()))
                            .map_err(|e| format!("error: {e:?}")),
                    )
                })
            }
            "count-captures" => {
                let re = build(&s.pattern, ci, unicode)?;
                Box::new(move || {
                    answer(
                        re.captures_iter(haystack.as_str())
                            .try_fold(0, |n, c| c.map(|c| n + taking_part(c.len(), |i| c.get(i).is_some())))
                            .map_err(|e| format!("error: {e:?}")),
                    )
                })
            }
            "grep-captures" => {
                let re = build(&s.pattern, ci, unicode)?;
                let lines: Vec<String> = haystack.split('\n').map(str::to_owned).collect();
                Box::new(move || {
                    answer(lines.iter().try_fold(0, |n, line| match re.captures(line.as_str()) {
                        Ok(Some(c)) => Ok(n + taking_part(c.len(), |i| c.get(i).is_some())),
                        Ok(None) => Ok(n),
                        Err(e) => Err(format!("error: {e:?}")),
                    }))
                })
            }
            "regex-redux" => {
                let strip = build(REDUX_STRIP, ci, unicode)?;
                let variants = REDUX_VARIANTS.iter().map(|v| build(v, ci, unicode)).collect::<Result<Vec<_>, _>>()?;
                let replacements = REDUX_REPLACEMENTS
                    .iter()
                    .map(|(f, r)| Ok((build(f, ci, unicode)?, *r)))
                    .collect::<Result<Vec<_>, String>>()?;
                Box::new(move || {
                    let run = || -> Result<String, String> {
                        let input_len = haystack.len();
                        let mut seq = strip.replace_all(&haystack, "").map_err(|e| format!("error: {e:?}"))?;
                        let code_len = seq.len();
                        let counts = variants.iter().map(|v| count(v, &seq)).collect::<Result<Vec<_>, _>>()?;
                        for (re, with) in &replacements {
                            seq = re.replace_all(&seq, with).map_err(|e| format!("error: {e:?}"))?;
                        }
                        Ok(redux_result(&counts, [input_len, code_len, seq.len()]))
                    };
                    run().unwrap_or_else(|e| e)
                })
            }
            other => return Err(format!("unknown model {other:?}")),
        })
    }
}

/// A checked and timed engine from a closure maker; one that cannot be built (a pattern it
/// rejects) answers with the error, so the check reports it instead of timing it.
fn engine(name: &'static str, made: Result<Box<dyn Fn() -> String>, String>) -> Engine<'static> {
    match made {
        Ok(run) => Engine::new(name, move |_| run()),
        Err(e) => Engine::new(name, move |_| e.clone()),
    }
}

fn benches(c: &mut Criterion) {
    let suite = inproc::load_suite(SUITE).unwrap_or_else(|e| panic!("{e:#}"));
    let specs = spec();
    let haystacks: Vec<Vec<u8>> =
        suite.cases.iter().map(|case| inproc::read_input(case).unwrap_or_else(|e| panic!("{e:#}"))).collect();
    let find = |case: &Case| -> (&Spec, &[u8]) {
        let s =
            specs.iter().find(|s| s.name == case.name).unwrap_or_else(|| panic!("{:?} is not in spec.json", case.name));
        let at = suite.cases.iter().position(|c| c.name == case.name).expect("the case is the suite's");
        (s, &haystacks[at])
    };
    inproc::bench_suite_by_case(c, &suite, |case| {
        let (s, haystack) = find(case);
        vec![engine("regex", rust_regex::engine(s, haystack)), engine("pyaot-regex", pyaot::engine(s, haystack))]
    });
}

criterion_group!(regex_rust, benches);
criterion_main!(regex_rust);
