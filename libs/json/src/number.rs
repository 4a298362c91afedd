//! Python's number text rules: `float.__repr__` and integer literals.

/// Appends `float.__repr__(value)` for a finite `value`: the shortest digits that round-trip,
/// in fixed notation when the decimal exponent is in `-4..16` (`0.0001`, `1000000000000000.0`),
/// else in exponent notation with a sign and at least two exponent digits (`1e-05`, `1e+16`).
///
/// Non-finite values are the caller's business (JSON writes `NaN`, `Infinity`, `-Infinity`).
pub fn write_float_repr(out: &mut Vec<u8>, value: f64) {
    debug_assert!(value.is_finite());
    // ryu writes the shortest round-trip digits straight into the output (at most 24 bytes).
    let start = out.len();
    out.reserve(24);
    // SAFETY: `reserve(24)` leaves at least 24 writable bytes after `start`; for a finite value
    // `format64` writes at most 24 ASCII bytes there and returns how many, which are then
    // initialised, so extending the length over them is sound.
    unsafe {
        let written = ryu::raw::format64(value, out.as_mut_ptr().add(start));
        out.set_len(start + written);
    }
    // ryu chooses the same notation as Python except when the decimal point is 4 places left
    // of the first digit (ryu `0.00001`, Python `1e-05`), and spells exponents `e16`/`e-7`
    // where Python writes `e+16`/`e-07`. Keep it as is when neither applies (most floats): an
    // exponent, if any, is within the last five bytes (`e-324`).
    let ryu_text = &out[start..];
    let unsigned = ryu_text.strip_prefix(b"-").unwrap_or(ryu_text);
    if !unsigned.starts_with(b"0.0000") && !ryu_text[ryu_text.len().saturating_sub(5)..].contains(&b'e') {
        return;
    }
    let mut copy = [0u8; 24];
    copy[..ryu_text.len()].copy_from_slice(ryu_text);
    let shortest_len = ryu_text.len();
    out.truncate(start);
    let shortest = &copy[..shortest_len];
    let (negative, shortest) = match shortest {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, shortest),
    };
    // Recover the digits d1..dn and `point`, where value = 0.d1..dn * 10^point.
    let (mantissa, exponent) = match shortest.iter().position(|&b| b == b'e') {
        Some(e) => (&shortest[..e], parse_small_int(&shortest[e + 1..])),
        None => (shortest, 0),
    };
    let mut digits = [0u8; 24];
    let mut n = 0;
    let mut point = exponent;
    let mut seen_point = false;
    for &b in mantissa {
        if b == b'.' {
            seen_point = true;
        } else if n == 0 && b == b'0' {
            if seen_point {
                point -= 1;
            }
        } else {
            digits[n] = b;
            n += 1;
            if !seen_point {
                point += 1;
            }
        }
    }
    while n > 0 && digits[n - 1] == b'0' {
        n -= 1;
    }
    if negative {
        out.push(b'-');
    }
    if n == 0 {
        out.extend_from_slice(b"0.0");
        return;
    }
    let digits = &digits[..n];
    let n = n as i32;
    if -4 < point && point <= 16 {
        if point <= 0 {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (-point) as usize));
            out.extend_from_slice(digits);
        } else if point >= n {
            out.extend_from_slice(digits);
            out.extend(std::iter::repeat_n(b'0', (point - n) as usize));
            out.extend_from_slice(b".0");
        } else {
            out.extend_from_slice(&digits[..point as usize]);
            out.push(b'.');
            out.extend_from_slice(&digits[point as usize..]);
        }
    } else {
        out.push(digits[0]);
        if n > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let e = point - 1;
        out.extend_from_slice(if e < 0 { b"e-" } else { b"e+" });
        let e = e.unsigned_abs();
        if e < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(itoa::Buffer::new().format(e).as_bytes());
    }
}

/// `float.__repr__(value)` as a `String` (finite values only).
pub fn float_repr(value: f64) -> String {
    let mut out = Vec::with_capacity(24);
    write_float_repr(&mut out, value);
    String::from_utf8(out).expect("float repr is ASCII")
}

fn parse_small_int(text: &[u8]) -> i32 {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, text),
    };
    let magnitude = digits.iter().fold(0i32, |acc, &d| acc * 10 + i32::from(d - b'0'));
    if negative { -magnitude } else { magnitude }
}

/// Parses a JSON integer literal (`-?(0|[1-9][0-9]*)`) that fits in an `i64`; `None` when it
/// does not fit (the caller keeps the text as a big integer).
pub fn parse_i64(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    if digits.len() <= 18 {
        // At most 18 digits cannot overflow.
        let magnitude = digits.iter().fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
        return Some(if negative { -magnitude } else { magnitude });
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        // Each right-hand side is what CPython 3.11 prints for repr() of the left-hand side.
        let cases = [
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (100.0, "100.0"),
            (1e22, "1e+22"),
            (1.2345e-5, "1.2345e-05"),
            (9999999999999998.0, "9999999999999998.0"),
            (-1.5, "-1.5"),
            (2.5e-300, "2.5e-300"),
            (0.3, "0.3"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(value), expected, "{value:e}");
        }
    }

    #[test]
    fn integers_fit_or_are_left_as_text() {
        assert_eq!(parse_i64("-0"), Some(0));
        assert_eq!(parse_i64("123456789012345678"), Some(123_456_789_012_345_678));
        assert_eq!(parse_i64("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64("9223372036854775808"), None);
    }
}
