//! The Rust API: parsing results, errors and writing, each expectation taken from CPython 3.11.

use pyaot_json::{
    ErrorKind, Options, ParseOptions, Value, Writer, from_slice, from_str, from_str_with, to_string, to_writer,
};

fn dumps(text: &str, options: &Options) -> String {
    to_string(&from_str(text).unwrap(), options).unwrap()
}

#[test]
fn numbers_follow_python() {
    let v = from_str("[-0, -0.0, 1E400, -1e400, 1.5e-7, 123456789012345678901234567890, NaN, -Infinity]").unwrap();
    let Value::Array(items) = &v else { panic!() };
    assert_eq!(items[0], Value::Int(0));
    assert!(matches!(items[1], Value::Float(f) if f == 0.0 && f.is_sign_negative()));
    assert_eq!(items[2], Value::Float(f64::INFINITY));
    assert_eq!(items[3], Value::Float(f64::NEG_INFINITY));
    assert_eq!(items[5], Value::BigInt("123456789012345678901234567890".into()));
    assert!(matches!(items[6], Value::Float(f) if f.is_nan()));
    // json.dumps(json.loads(...)) in CPython:
    assert_eq!(
        to_string(&v, &Options::default()).unwrap(),
        "[0, -0.0, Infinity, -Infinity, 1.5e-07, 123456789012345678901234567890, NaN, -Infinity]"
    );
}

#[test]
fn errors_carry_cpythons_message_and_character_position() {
    let cases = [
        ("", "Expecting value: line 1 column 1 (char 0)"),
        ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
        ("{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"),
        ("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"),
        ("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"),
        ("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"),
        ("\"é\\q\"", "Invalid \\escape: line 1 column 3 (char 2)"),
        ("\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ("\"a\u{1}\"", "Invalid control character at: line 1 column 3 (char 2)"),
        ("1.", "Extra data: line 1 column 2 (char 1)"),
        ("[1.e5]", "Expecting ',' delimiter: line 1 column 3 (char 2)"),
        ("[\n1,\n  ]", "Expecting value: line 3 column 3 (char 7)"),
        ("\u{feff}[1]", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"),
        ("\"\\ud800\\u12zz\"", "Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
    ];
    for (input, message) in cases {
        assert_eq!(from_str(input).unwrap_err().to_string(), message, "{input:?}");
    }
}

#[test]
fn strings_keep_lone_surrogates_and_join_pairs() {
    let v = from_str(r#"["\ud800", "\ud83d\ude00", "\ud800\u0041"]"#).unwrap();
    let Value::Array(items) = &v else { panic!() };
    let Value::String(lone) = &items[0] else { panic!() };
    assert_eq!((lone.as_str(), lone.char_count()), (None, 1));
    assert_eq!(items[1].as_str(), Some("😀"));
    assert_eq!(to_string(&v, &Options::default()).unwrap(), r#"["\ud800", "\ud83d\ude00", "\ud800A"]"#);
    // Bytes with an encoded surrogate pass, as with errors='surrogatepass'.
    assert!(from_slice(b"\"\xed\xa0\x80\"").is_ok());
}

#[test]
fn non_strict_mode_accepts_control_characters() {
    let options = ParseOptions { strict: false, ..ParseOptions::default() };
    assert_eq!(from_str_with("\"a\tb\"", options).unwrap().as_str(), Some("a\tb"));
}

#[test]
fn nesting_is_bounded_by_an_error() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let err = from_str(&deep).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DepthLimitExceeded { object: false });
    let ok = "[".repeat(1000) + &"]".repeat(1000);
    assert!(from_str(&ok).is_ok());
}

#[test]
fn writing_matches_json_dumps_options() {
    let doc = r#"{"b": [1, 2.5, {}], "a": "é", "c": [], "d": {"x": null}}"#;
    // Each expected string is CPython 3.11's json.dumps(json.loads(doc), ...).
    assert_eq!(dumps(doc, &Options::default()), r#"{"b": [1, 2.5, {}], "a": "\u00e9", "c": [], "d": {"x": null}}"#);
    assert_eq!(
        dumps(doc, &Options::default().indent(2).sort_keys(true)),
        "{\n  \"a\": \"\\u00e9\",\n  \"b\": [\n    1,\n    2.5,\n    {}\n  ],\n  \"c\": [],\n  \"d\": {\n    \"x\": null\n  }\n}"
    );
    assert_eq!(
        dumps(doc, &Options::default().separators(",", ":").ensure_ascii(false)),
        r#"{"b":[1,2.5,{}],"a":"é","c":[],"d":{"x":null}}"#
    );
    let tabbed = Options { indent: Some("\t".into()), ..Options::default() };
    assert_eq!(dumps("[1,[2]]", &tabbed), "[\n\t1,\n\t[\n\t\t2\n\t]\n]");
    assert_eq!(dumps("[1,[2]]", &Options::default().indent(0)), "[\n1,\n[\n2\n]\n]");
    let err = to_string(&from_str("[NaN]").unwrap(), &Options::default().allow_nan(false)).unwrap_err();
    assert_eq!(err.to_string(), "Out of range float values are not JSON compliant: nan");
}

#[test]
fn the_streaming_writer_flushes_to_any_io_write() {
    let mut w = Writer::to_writer(Vec::new(), Options::default());
    w.begin_array();
    for i in 0..100_000 {
        w.int(i);
        w.maybe_flush().unwrap();
    }
    w.end_array();
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(out.starts_with("[0, 1, 2") && out.ends_with("99999]"));
    let doc = from_str(&out).unwrap();
    assert_eq!(String::from_utf8(to_writer(Vec::new(), &doc, &Options::default()).unwrap()).unwrap(), out);
}

#[test]
fn benchmark_documents_round_trip() {
    let dir = pyaot_testdata::path("json/docs").unwrap();
    for name in ["twitter.json", "citm_catalog.json", "canada.json", "github_events.json", "mesh.json"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let value = from_str(&text).unwrap();
        let compact = to_string(&value, &Options::default().separators(",", ":")).unwrap();
        assert_eq!(from_str(&compact).unwrap(), value, "{name}");
        // serde_json agrees on the structure where both represent it.
        let serde: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&compact).unwrap();
        assert_eq!(ours, serde, "{name}");
    }
}
