//! Bytes to text as `json.loads(bytes)` does it: detect UTF-8, UTF-16 or UTF-32 from the first
//! bytes (`json.detect_encoding`), then decode with `errors='surrogatepass'`, producing
//! Python UTF-8 (see [`crate::string`]).

use std::borrow::Cow;

use crate::string::push_code_point;

/// The encodings `json.detect_encoding` chooses between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8, no BOM.
    Utf8,
    /// UTF-8 with a BOM (`utf-8-sig`), which is skipped.
    Utf8Sig,
    /// UTF-16 with a BOM giving the byte order; the BOM is skipped.
    Utf16,
    /// UTF-16 big-endian, no BOM.
    Utf16Be,
    /// UTF-16 little-endian, no BOM.
    Utf16Le,
    /// UTF-32 with a BOM giving the byte order; the BOM is skipped.
    Utf32,
    /// UTF-32 big-endian, no BOM.
    Utf32Be,
    /// UTF-32 little-endian, no BOM.
    Utf32Le,
}

impl Encoding {
    /// Python's codec name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Sig => "utf-8-sig",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf16Be => "utf-16-be",
            Encoding::Utf16Le => "utf-16-le",
            Encoding::Utf32 => "utf-32",
            Encoding::Utf32Be => "utf-32-be",
            Encoding::Utf32Le => "utf-32-le",
        }
    }
}

/// `json.detect_encoding`.
pub fn detect_encoding(b: &[u8]) -> Encoding {
    if b.starts_with(&[0, 0, 0xFE, 0xFF]) || b.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Encoding::Utf32;
    }
    if b.starts_with(&[0xFE, 0xFF]) || b.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16;
    }
    if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Sig;
    }
    if b.len() >= 4 {
        if b[0] == 0 {
            return if b[1] != 0 { Encoding::Utf16Be } else { Encoding::Utf32Be };
        }
        if b[1] == 0 {
            return if b[2] != 0 || b[3] != 0 { Encoding::Utf16Le } else { Encoding::Utf32Le };
        }
    } else if b.len() == 2 {
        if b[0] == 0 {
            return Encoding::Utf16Be;
        }
        if b[1] == 0 {
            return Encoding::Utf16Le;
        }
    }
    Encoding::Utf8
}

/// Whether `b` is Python UTF-8: well-formed UTF-8 in which surrogate code points
/// (`ED A0..BF 80..BF`) are also allowed, as `'surrogatepass'` allows.
pub fn is_python_utf8(mut b: &[u8]) -> bool {
    loop {
        match std::str::from_utf8(b) {
            Ok(_) => return true,
            Err(e) => {
                let rest = &b[e.valid_up_to()..];
                match rest {
                    [0xED, 0xA0..=0xBF, 0x80..=0xBF, ..] => b = &rest[3..],
                    _ => return false,
                }
            }
        }
    }
}

/// Decodes bytes to Python UTF-8 the way `json.loads` does; `Err` names the encoding that
/// failed (CPython raises `UnicodeDecodeError` there).
pub fn decode(b: &[u8]) -> Result<Cow<'_, [u8]>, Encoding> {
    let encoding = detect_encoding(b);
    let fail = |_| encoding;
    match encoding {
        Encoding::Utf8 => is_python_utf8(b).then_some(Cow::Borrowed(b)).ok_or(encoding),
        Encoding::Utf8Sig => is_python_utf8(&b[3..]).then_some(Cow::Borrowed(&b[3..])).ok_or(encoding),
        Encoding::Utf16 => utf16(&b[2..], b[0] == 0xFE).map(Cow::Owned).map_err(fail),
        Encoding::Utf16Be => utf16(b, true).map(Cow::Owned).map_err(fail),
        Encoding::Utf16Le => utf16(b, false).map(Cow::Owned).map_err(fail),
        Encoding::Utf32 => utf32(&b[4..], b[0] == 0).map(Cow::Owned).map_err(fail),
        Encoding::Utf32Be => utf32(b, true).map(Cow::Owned).map_err(fail),
        Encoding::Utf32Le => utf32(b, false).map(Cow::Owned).map_err(fail),
    }
}

fn utf16(b: &[u8], big_endian: bool) -> Result<Vec<u8>, ()> {
    if !b.len().is_multiple_of(2) {
        return Err(());
    }
    let unit = |c: &[u8]| {
        if big_endian { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) }
    };
    let units: Vec<u16> = b.chunks_exact(2).map(unit).collect();
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = u32::from(units[i]);
        match units.get(i + 1).map(|&l| u32::from(l)) {
            Some(low) if (0xD800..0xDC00).contains(&u) && (0xDC00..0xE000).contains(&low) => {
                push_code_point(&mut out, 0x10000 + (((u - 0xD800) << 10) | (low - 0xDC00)));
                i += 2;
            }
            _ => {
                push_code_point(&mut out, u);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn utf32(b: &[u8], big_endian: bool) -> Result<Vec<u8>, ()> {
    if !b.len().is_multiple_of(4) {
        return Err(());
    }
    let mut out = Vec::with_capacity(b.len() / 4);
    for c in b.chunks_exact(4) {
        let c = [c[0], c[1], c[2], c[3]];
        let u = if big_endian { u32::from_be_bytes(c) } else { u32::from_le_bytes(c) };
        if u > 0x10FFFF {
            return Err(());
        }
        push_code_point(&mut out, u);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str, name: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        match name {
            "utf-16-le" => units.iter().flat_map(|u| u.to_le_bytes()).collect(),
            "utf-16-be" => units.iter().flat_map(|u| u.to_be_bytes()).collect(),
            "utf-32-le" => s.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect(),
            "utf-32-be" => s.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn detects_and_decodes_like_json_loads() {
        let text = "[\"é😀\"]";
        for name in ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"] {
            let bytes = enc(text, name);
            assert_eq!(detect_encoding(&bytes).name(), name);
            assert_eq!(&*decode(&bytes).unwrap(), text.as_bytes(), "{name}");
        }
        let mut bom16 = vec![0xFF, 0xFE];
        bom16.extend(enc(text, "utf-16-le"));
        assert_eq!(detect_encoding(&bom16), Encoding::Utf16);
        assert_eq!(&*decode(&bom16).unwrap(), text.as_bytes());
        let mut sig = vec![0xEF, 0xBB, 0xBF];
        sig.extend_from_slice(text.as_bytes());
        assert_eq!(&*decode(&sig).unwrap(), text.as_bytes());
        assert_eq!(detect_encoding(b"\x001"), Encoding::Utf16Be);
    }

    #[test]
    fn surrogates_pass_and_garbage_fails() {
        assert!(is_python_utf8(b"a\xed\xa0\x80b"));
        assert!(!is_python_utf8(b"a\xffb"));
        assert!(!is_python_utf8(b"\xed\xa0"));
        // A lone high surrogate in UTF-16 passes through, as with errors='surrogatepass'.
        assert_eq!(&*decode(&[0x41, 0x00, 0x00, 0xD8]).unwrap(), b"A\xed\xa0\x80");
        assert_eq!(decode(b"\xff\xfe\x41"), Err(Encoding::Utf16));
        assert_eq!(decode(b"[\"\xff\"]"), Err(Encoding::Utf8));
    }
}
