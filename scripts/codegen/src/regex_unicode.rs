//! Python's character tables for `pyaot-regex` (`libs/regex/src/unicode_data.rs`), from CPython 3.11.
//!
//! `re` decides `\w`, `\d`, `\s` and case-insensitive matching with the interpreter's own Unicode
//! database (Unicode 14.0.0 in 3.11), which no Rust crate carries at that version, so the data is
//! asked of `python3.11` (or `python3`, which must then be 3.11) by [`SCRIPT`]:
//!
//! - `\w` is `str.isalnum() or "_"`, `\d` is `str.isdecimal()`, `\s` is `str.isspace()`, and
//!   "cased" is `_sre.unicode_iscased`, exactly the `_sre` macros (`SRE_UNI_IS_WORD`, ...);
//! - `lower` is `_sre.unicode_tolower`, checked equal to `_PyUnicode_ToLowercase`;
//! - `upper` is `Py_UNICODE_TOUPPER`, which `_sre` calls for `RANGE_UNI_IGNORE` but does not
//!   expose: it is `_PyUnicode_ToUppercase`, called through `ctypes.pythonapi`, and checked equal to
//!   `chr(c).upper()[0]` for every code point. It is not the simple uppercase of `UnicodeData.txt`:
//!   where the full uppercase has several characters it is their first (`ß` gives `S`);
//! - the extra case-insensitive equivalences are `re._casefix._EXTRA_CASES`;
//! - the equivalents of each code point under sre's IGNORECASE rule for a literal are computed by
//!   that rule in Python and checked against `re.findall` itself over every cased character.
//!
//! The per-code-point data is a three-stage table, about 15 KB: a record number (flags, lower
//! delta, upper delta) per code point in deduplicated leaves of 16 code points; deduplicated runs
//! of 32 leaf numbers; one byte per 512 code points naming its run. Beside it go the `\w \d \s`
//! range lists and the lowercase pairs for the automaton compiler. A second, small file
//! (`libs/regex/tests/unicode/expected.rs`) holds a count and a [`checksum`] of each property over
//! all code points, computed from Python's answers before any packing, against which the crate's
//! tests check the packed tables exhaustively without running Python.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::Generated;

/// Where the tables go, relative to the workspace root.
pub const PATH: &str = "libs/regex/src/unicode_data.rs";
/// Where the expected counts and checksums go, relative to the workspace root.
pub const EXPECTED_PATH: &str = "libs/regex/tests/unicode/expected.rs";

/// One past the last code point.
const CODE_POINTS: u32 = 0x11_0000;
/// log2 of the code points per leaf.
const LEAF_SHIFT: u32 = 4;
/// log2 of the leaves per run.
const RUN_SHIFT: u32 = 5;

/// The flag bits of a record, by name (their order in the generated file).
const FLAGS: [(&str, u8); 4] = [("WORD", 1), ("DIGIT", 2), ("SPACE", 4), ("CASED", 8)];

/// The Python program that prints the data, one property a line (hexadecimal code points).
pub const SCRIPT: &str = r#"
import ctypes, re, sys, unicodedata, _sre
from re import _casefix

if sys.version_info[:2] != (3, 11) or unicodedata.unidata_version != "14.0.0":
    sys.exit(f"pyaot-codegen needs CPython 3.11 (Unicode 14.0.0) for the regex tables, got "
             f"{sys.version.split()[0]} (Unicode {unicodedata.unidata_version})")

N = 0x110000
to_upper = ctypes.pythonapi._PyUnicode_ToUppercase
to_lower = ctypes.pythonapi._PyUnicode_ToLowercase
for f in (to_upper, to_lower):
    f.restype = ctypes.c_uint32
    f.argtypes = [ctypes.c_uint32]
out = [f"version {sys.version_info[0]}.{sys.version_info[1]} {unicodedata.unidata_version}"]

def ranges(name, pred):
    rs, start = [], None
    for c in range(N + 1):
        if c < N and pred(c):
            if start is None:
                start = c
        elif start is not None:
            rs.append(f"{start:x}-{c - 1:x}")
            start = None
    out.append(name + " " + " ".join(rs))

ranges("word", lambda c: chr(c).isalnum() or c == 0x5F)
ranges("digit", lambda c: chr(c).isdecimal())
ranges("space", lambda c: chr(c).isspace())
ranges("cased", _sre.unicode_iscased)

lower, upper, lo, up = [0] * N, [0] * N, [], []
for c in range(N):
    l, u = _sre.unicode_tolower(c), to_upper(c)
    if l != to_lower(c):
        sys.exit(f"_sre.unicode_tolower({c:#x}) differs from _PyUnicode_ToLowercase")
    if u != ord(chr(c).upper()[0]):
        sys.exit(f"_PyUnicode_ToUppercase({c:#x}) differs from chr(c).upper()[0]")
    lower[c], upper[c] = l, u
    if l != c:
        lo.append(f"{c:x}:{l:x}")
    if u != c:
        up.append(f"{c:x}:{u:x}")
out.append("lower " + " ".join(lo))
out.append("upper " + " ".join(up))
fixes = _casefix._EXTRA_CASES
out.append("fixes " + " ".join(f"{k:x}:" + ",".join(f"{v:x}" for v in vs) for k, vs in sorted(fixes.items())))

# sre's rule for a literal c under unicode IGNORECASE: an uncased c matches only itself; else d
# matches when lower(d) is lower(c) or one of fixes[lower(c)].
by_lower = {}
for c in range(N):
    by_lower.setdefault(lower[c], []).append(c)
classes = {}
for c in range(N):
    if _sre.unicode_iscased(c):
        l = lower[c]
        members = {d for k in (l, *fixes.get(l, ())) for d in by_lower.get(k, ())}
        members.discard(c)
        if members:
            classes[c] = sorted(members)
# Checked against re itself: every cased code point and every lower case that differs from its
# character, matched against the string of all of them (a few thousand: not every code point,
# which would make this quadratic in 0x110000).
candidates = sorted({c for c in range(N) if _sre.unicode_iscased(c)} | {l for c, l in enumerate(lower) if l != c})
text = "".join(map(chr, candidates))
for c in candidates:
    found = sorted({ord(m) for m in re.findall(re.escape(chr(c)), text, re.I)} - {c})
    if found != classes.get(c, []):
        sys.exit(f"equivalents of {c:#x}: re finds {found}, the rule gives {classes.get(c)}")
out.append("equivalents " + " ".join(f"{c:x}:" + ",".join(f"{d:x}" for d in ds) for c, ds in sorted(classes.items())))
print("\n".join(out))
"#;

/// CPython's answers, as [`SCRIPT`] prints them.
#[derive(Debug)]
pub struct Data {
    /// `"3.11 14.0.0"`: the Python and Unicode versions.
    pub version: String,
    /// `\w`, `\d`, `\s` and "cased", as sorted inclusive ranges.
    pub word: Vec<(u32, u32)>,
    /// See `word`.
    pub digit: Vec<(u32, u32)>,
    /// See `word`.
    pub space: Vec<(u32, u32)>,
    /// See `word`.
    pub cased: Vec<(u32, u32)>,
    /// `(c, lower(c))` where they differ, sorted.
    pub lower: Vec<(u32, u32)>,
    /// `(c, upper(c))` where they differ, sorted.
    pub upper: Vec<(u32, u32)>,
    /// `re._casefix._EXTRA_CASES`, sorted.
    pub fixes: Vec<(u32, Vec<u32>)>,
    /// Every code point that has case equivalents, with them (sorted).
    pub equivalents: Vec<(u32, Vec<u32>)>,
}

/// Runs [`SCRIPT`] with `python3.11`, or `python3` when there is no `python3.11`.
///
/// # Errors
///
/// When no Python runs, it is not CPython 3.11, or its output does not parse.
pub fn python_data() -> Result<Data> {
    let mut output = None;
    for python in ["python3.11", "python3"] {
        match Command::new(python).arg("-c").arg(SCRIPT).output() {
            Ok(out) => {
                output = Some((python, out));
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("running {python}")),
        }
    }
    let Some((python, output)) = output else { bail!("the regex tables need CPython 3.11: no python3.11 or python3") };
    if !output.status.success() {
        bail!("{python} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    parse(&String::from_utf8(output.stdout)?)
}

fn hex(text: &str) -> Result<u32> {
    u32::from_str_radix(text, 16).with_context(|| format!("not a hexadecimal code point: {text:?}"))
}

fn parse(text: &str) -> Result<Data> {
    let mut lines: HashMap<&str, &str> = HashMap::new();
    for line in text.lines() {
        let (name, rest) = line.split_once(' ').unwrap_or((line, ""));
        lines.insert(name, rest);
    }
    let line = |name: &str| lines.get(name).copied().with_context(|| format!("no {name:?} line from Python"));
    let pairs = |name: &str, sep: char| -> Result<Vec<(u32, u32)>> {
        line(name)?
            .split_whitespace()
            .map(|pair| {
                let (a, b) = pair.split_once(sep).with_context(|| format!("bad {name} item {pair:?}"))?;
                Ok((hex(a)?, hex(b)?))
            })
            .collect()
    };
    let lists = |name: &str| -> Result<Vec<(u32, Vec<u32>)>> {
        line(name)?
            .split_whitespace()
            .map(|item| {
                let (key, values) = item.split_once(':').with_context(|| format!("bad {name} item {item:?}"))?;
                Ok((hex(key)?, values.split(',').map(hex).collect::<Result<_>>()?))
            })
            .collect()
    };
    Ok(Data {
        version: line("version")?.to_owned(),
        word: pairs("word", '-')?,
        digit: pairs("digit", '-')?,
        space: pairs("space", '-')?,
        cased: pairs("cased", '-')?,
        lower: pairs("lower", ':')?,
        upper: pairs("upper", ':')?,
        fixes: lists("fixes")?,
        equivalents: lists("equivalents")?,
    })
}

/// The checksum the tests recompute: FNV-1a over 32-bit words (each word xored in whole, then
/// the state multiplied by the FNV prime). Every step is a bijection of the state, so two
/// sequences of the same length that differ in one word always differ.
pub fn checksum(words: impl IntoIterator<Item = u32>) -> u64 {
    words.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ u64::from(w)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// One flag per code point, from ranges.
fn flat_bools(ranges: &[(u32, u32)]) -> Vec<bool> {
    let mut flat = vec![false; CODE_POINTS as usize];
    for &(start, end) in ranges {
        flat[start as usize..=end as usize].fill(true);
    }
    flat
}

/// The mapping of every code point, from the pairs where it is not the identity.
fn flat_map(pairs: &[(u32, u32)]) -> Vec<u32> {
    let mut flat: Vec<u32> = (0..CODE_POINTS).collect();
    for &(c, v) in pairs {
        flat[c as usize] = v;
    }
    flat
}

/// The lists of every code point (empty where absent), flattened as `len, items...`.
fn flat_lists(lists: &[(u32, Vec<u32>)]) -> Vec<u32> {
    let by_key: BTreeMap<u32, &Vec<u32>> = lists.iter().map(|(k, v)| (*k, v)).collect();
    let mut flat = Vec::new();
    for c in 0..CODE_POINTS {
        let items = by_key.get(&c).map_or(&[][..], |v| v.as_slice());
        flat.push(items.len() as u32);
        flat.extend_from_slice(items);
    }
    flat
}

/// Deduplicates `items` in chunks of `size`: the distinct chunks concatenated, and the number
/// of each chunk in order.
fn dedup<T: Clone + Eq + std::hash::Hash>(items: &[T], size: usize) -> (Vec<T>, Vec<usize>) {
    let mut distinct = Vec::new();
    let mut numbers = Vec::with_capacity(items.len() / size);
    let mut seen: HashMap<&[T], usize> = HashMap::new();
    for chunk in items.chunks_exact(size) {
        let next = seen.len();
        let number = *seen.entry(chunk).or_insert(next);
        if number == next {
            distinct.extend_from_slice(chunk);
        }
        numbers.push(number);
    }
    (distinct, numbers)
}

/// Both generated files: the tables ([`PATH`]) and the tests' expectations ([`EXPECTED_PATH`]).
///
/// # Errors
///
/// When Python cannot give the data (see [`python_data`]) or a stage outgrows its integer type.
pub fn generate(root: &Path) -> Result<Vec<Generated>> {
    let data = python_data()?;
    let bools: Vec<Vec<bool>> = [&data.word, &data.digit, &data.space, &data.cased].map(|r| flat_bools(r)).into();
    let lower = flat_map(&data.lower);
    let upper = flat_map(&data.upper);
    Ok(vec![tables(root, &data, &bools, &lower, &upper)?, expected(root, &data, &bools, &lower, &upper)?])
}

fn tables(root: &Path, data: &Data, bools: &[Vec<bool>], lower: &[u32], upper: &[u32]) -> Result<Generated> {
    let records: Vec<(u8, i32, i32)> = (0..CODE_POINTS)
        .map(|c| {
            let i = c as usize;
            let flags = FLAGS.iter().zip(bools).filter(|(_, flat)| flat[i]).fold(0, |acc, ((_, bit), _)| acc | bit);
            (flags, lower[i] as i32 - c as i32, upper[i] as i32 - c as i32)
        })
        .collect();
    let distinct: Vec<(u8, i32, i32)> = records.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    if distinct.first() != Some(&(0, 0, 0)) || distinct.len() > 256 {
        bail!("record 0 must be (0, 0, 0) and there must be at most 256 records: {}", distinct.len());
    }
    let number: HashMap<(u8, i32, i32), u8> = distinct.iter().enumerate().map(|(i, r)| (*r, i as u8)).collect();
    let codes: Vec<u8> = records.iter().map(|r| number[r]).collect();
    let (leaves, leaf_numbers) = dedup(&codes, 1 << LEAF_SHIFT);
    let (runs, run_numbers) = dedup(&leaf_numbers, 1 << RUN_SHIFT);
    if leaves.len() >> LEAF_SHIFT > usize::from(u16::MAX) || runs.len() >> RUN_SHIFT > 256 {
        bail!("the table's stages outgrew their integer types: change LEAF_SHIFT or RUN_SHIFT");
    }

    let mut text = String::new();
    writeln!(
        text,
        "// @generated by `cargo run -p pyaot-codegen -- write` (scripts/codegen/src/regex_unicode.rs)\n\
         // from CPython {} (Unicode {}); do not edit. `scripts/test` checks it is fresh.\n",
        data.version.split(' ').next().unwrap_or("?"),
        data.version.split(' ').nth(1).unwrap_or("?"),
    )?;
    for (name, bit) in FLAGS {
        writeln!(text, "/// The record flag of {}.", name.to_lowercase())?;
        writeln!(text, "pub(crate) const {name}: u8 = {bit};")?;
    }
    writeln!(text, "/// log2 of the code points per leaf.")?;
    writeln!(text, "pub(crate) const LEAF_SHIFT: u32 = {LEAF_SHIFT};")?;
    writeln!(text, "/// log2 of the leaves per run.")?;
    writeln!(text, "pub(crate) const RUN_SHIFT: u32 = {RUN_SHIFT};")?;
    writeln!(text)?;
    writeln!(text, "/// The run of each {} code points.", 1 << (LEAF_SHIFT + RUN_SHIFT))?;
    write_array(&mut text, "TOP", "u8", &decimal(&run_numbers))?;
    writeln!(text, "/// The distinct runs: a leaf number per {} code points.", 1 << LEAF_SHIFT)?;
    write_array(&mut text, "RUNS", "u16", &decimal(&runs))?;
    writeln!(text, "/// The distinct leaves: the record number of each code point.")?;
    write_array(&mut text, "LEAVES", "u8", &decimal(&leaves))?;
    writeln!(text, "/// The flags of each record. Record 0 (no flag, no case) is that of code points past U+10FFFF.")?;
    write_array(&mut text, "RECORD_FLAGS", "u8", &decimal(&distinct.iter().map(|r| r.0).collect::<Vec<_>>()))?;
    writeln!(text, "/// `lower(c) - c` of each record.")?;
    write_array(&mut text, "RECORD_LOWER", "i32", &decimal(&distinct.iter().map(|r| r.1).collect::<Vec<_>>()))?;
    writeln!(text, "/// `upper(c) - c` of each record.")?;
    write_array(&mut text, "RECORD_UPPER", "i32", &decimal(&distinct.iter().map(|r| r.2).collect::<Vec<_>>()))?;
    for (name, what, ranges) in
        [("WORD", "`\\w`", &data.word), ("DIGIT", "`\\d`", &data.digit), ("SPACE", "`\\s`", &data.space)]
    {
        writeln!(text, "/// The code points of {what}: sorted, merged, inclusive ranges.")?;
        write_array(&mut text, &format!("{name}_RANGES"), "(u32, u32)", &hex_pairs(ranges.iter().copied()))?;
    }
    writeln!(text, "/// Every `(c, lower(c))` with `lower(c) != c`, sorted by `c`.")?;
    write_array(&mut text, "LOWER_PAIRS", "(u32, u32)", &hex_pairs(data.lower.iter().copied()))?;
    let mut by_lower: Vec<(u32, u32)> = data.lower.iter().map(|&(c, l)| (l, c)).collect();
    by_lower.sort_unstable();
    writeln!(text, "/// Every `(lower(c), c)` with `lower(c) != c`, sorted.")?;
    write_array(&mut text, "BY_LOWER", "(u32, u32)", &hex_pairs(by_lower.into_iter()))?;
    writeln!(text, "/// `re._casefix._EXTRA_CASES`, sorted by key.")?;
    let fixes: Vec<String> = data
        .fixes
        .iter()
        .map(|(k, vs)| {
            let vs: Vec<String> = vs.iter().map(|v| format!("0x{v:04X}")).collect();
            format!("(0x{k:04X}, &[{}])", vs.join(", "))
        })
        .collect();
    write_array(&mut text, "FIXES", "(u32, &[u32])", &fixes)?;
    text.truncate(text.trim_end().len());
    text.push('\n');
    Ok(Generated { path: root.join(PATH), text })
}

fn expected(root: &Path, data: &Data, bools: &[Vec<bool>], lower: &[u32], upper: &[u32]) -> Result<Generated> {
    let mut text = String::new();
    writeln!(
        text,
        "// @generated by `cargo run -p pyaot-codegen -- write` (scripts/codegen/src/regex_unicode.rs)\n\
         // from CPython {} (Unicode {}); do not edit. Counts and checksums (`checksum` in that\n\
         // file) of each property over all code points, from Python's answers before any packing.\n",
        data.version.split(' ').next().unwrap_or("?"),
        data.version.split(' ').nth(1).unwrap_or("?"),
    )?;
    writeln!(text, "/// How many code points have the property, and the checksum of its value at every code point.")?;
    writeln!(text, "pub struct Expected {{")?;
    writeln!(text, "    /// Code points where the property is true, or where the mapping is not the identity.")?;
    writeln!(text, "    pub count: u32,")?;
    writeln!(text, "    /// The checksum of the property's words over `0..=0x10FFFF`.")?;
    writeln!(text, "    pub checksum: u64,")?;
    writeln!(text, "}}\n")?;
    let mut item = |name: &str, what: &str, count: usize, sum: u64| {
        writeln!(text, "/// {what}")?;
        writeln!(text, "pub const {name}: Expected = Expected {{ count: {count}, checksum: 0x{sum:016x} }};")
    };
    for ((name, _), flat) in FLAGS.iter().zip(bools) {
        let count = flat.iter().filter(|b| **b).count();
        item(
            name,
            &format!("`is_{}`: 1 or 0 per code point.", name.to_lowercase()),
            count,
            checksum(flat.iter().map(|b| u32::from(*b))),
        )?;
    }
    item("LOWER", "`lower`: its value per code point.", data.lower.len(), checksum(lower.iter().copied()))?;
    item("UPPER", "`upper`: its value per code point.", data.upper.len(), checksum(upper.iter().copied()))?;
    item(
        "FIXES",
        "`ignorecase_fixes`: length, then items, per code point.",
        data.fixes.len(),
        checksum(flat_lists(&data.fixes)),
    )?;
    item(
        "EQUIVALENTS",
        "`case_equivalents` (sorted): length, then items, per code point.",
        data.equivalents.len(),
        checksum(flat_lists(&data.equivalents)),
    )?;
    Ok(Generated { path: root.join(EXPECTED_PATH), text })
}

fn decimal<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn hex_pairs(pairs: impl Iterator<Item = (u32, u32)>) -> Vec<String> {
    pairs.map(|(a, b)| format!("(0x{a:04X}, 0x{b:04X})")).collect()
}

fn write_array(text: &mut String, name: &str, ty: &str, items: &[String]) -> Result<()> {
    writeln!(text, "#[rustfmt::skip]")?;
    writeln!(text, "pub(crate) static {name}: [{ty}; {}] = [", items.len())?;
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && line.len() + item.len() + 2 > 110 {
            writeln!(text, "   {line}")?;
            line.clear();
        }
        write!(line, " {item},")?;
    }
    if !line.is_empty() {
        writeln!(text, "   {line}")?;
    }
    writeln!(text, "];\n")?;
    Ok(())
}
