//! GPT-2's byte-level alphabet: every byte shown as one printable character.
//!
//! Bytes that are printable Latin-1 (`!`..=`~`, `¡`..=`¬`, `®`..=`ÿ`) stand for themselves; the
//! other 68 map, in byte order, to U+0100 onwards. HuggingFace's `ByteLevel` pre-tokenizer,
//! decoder and `initial_alphabet` all use this table.

/// The character that stands for each byte.
pub const BYTE_TO_CHAR: [char; 256] = build_byte_to_char();

const fn build_byte_to_char() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut next = 0x100u32;
    let mut byte = 0usize;
    while byte < 256 {
        let printable = matches!(byte, 0x21..=0x7e | 0xa1..=0xac | 0xae..=0xff);
        let code = if printable {
            byte as u32
        } else {
            next += 1;
            next - 1
        };
        table[byte] = match char::from_u32(code) {
            Some(c) => c,
            None => '\0',
        };
        byte += 1;
    }
    table
}

/// The byte a byte-level character stands for, if it is one.
pub fn char_to_byte(c: char) -> Option<u8> {
    match CHAR_TO_BYTE.get(c as usize) {
        Some(&byte) if byte >= 0 => Some(byte as u8),
        _ => None,
    }
}

/// The inverse of [`BYTE_TO_CHAR`], indexed by code point (-1: not in the alphabet).
const CHAR_TO_BYTE: [i16; 0x144] = build_char_to_byte();

const fn build_char_to_byte() -> [i16; 0x144] {
    let mut table = [-1i16; 0x144];
    let mut byte = 0usize;
    while byte < 256 {
        table[BYTE_TO_CHAR[byte] as usize] = byte as i16;
        byte += 1;
    }
    table
}

/// The 256 characters of the alphabet (HuggingFace's `ByteLevel.alphabet()`).
pub fn alphabet() -> impl Iterator<Item = char> {
    BYTE_TO_CHAR.iter().copied()
}

/// Appends the byte-level characters of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len());
    for &b in bytes {
        out.push(BYTE_TO_CHAR[b as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for b in 0..=255u8 {
            assert_eq!(char_to_byte(BYTE_TO_CHAR[b as usize]), Some(b));
        }
        assert_eq!(BYTE_TO_CHAR[b' ' as usize], 'Ġ');
        assert_eq!(BYTE_TO_CHAR[b'\n' as usize], 'Ċ');
        assert_eq!(char_to_byte('x'), Some(b'x'));
        assert_eq!(char_to_byte('\u{144}'), None);
    }
}
