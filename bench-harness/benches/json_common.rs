//! What the JSON benches share: the document digest every engine must reproduce.

use pyaot_json::Value;

/// Counts of a document's values, object members, strings, string bytes (keys included) and
/// numbers: the same digest `suites/json-*.toml` records from CPython's json.
#[derive(Default)]
pub struct Digest {
    values: usize,
    members: usize,
    strings: usize,
    string_bytes: usize,
    numbers: usize,
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "values={} members={} strings={} string_bytes={} numbers={}",
            self.values, self.members, self.strings, self.string_bytes, self.numbers
        )
    }
}

#[allow(dead_code, reason = "shared by two bench targets, which each use a part")]
impl Digest {
    /// The digest of one of our documents.
    pub fn of_value(value: &Value) -> Digest {
        let mut digest = Digest::default();
        digest.add_value(value);
        digest
    }

    fn add_value(&mut self, value: &Value) {
        self.values += 1;
        match value {
            Value::Object(map) => {
                self.members += map.len();
                for (key, item) in map.iter() {
                    self.string_bytes += key.as_bytes().len();
                    self.add_value(item);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.add_value(item)),
            Value::String(s) => {
                self.strings += 1;
                self.string_bytes += s.as_bytes().len();
            }
            Value::Int(_) | Value::BigInt(_) | Value::Float(_) => self.numbers += 1,
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// The digest of any serde-serializable document (serde_json, simd-json and sonic-rs values).
    pub fn of_serde(value: &impl serde::Serialize) -> Digest {
        let value = serde_json::to_value(value).expect("documents convert to serde_json::Value");
        let mut digest = Digest::default();
        digest.add_serde(&value);
        digest
    }

    fn add_serde(&mut self, value: &serde_json::Value) {
        self.values += 1;
        match value {
            serde_json::Value::Object(map) => {
                self.members += map.len();
                for (key, item) in map {
                    self.string_bytes += key.len();
                    self.add_serde(item);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| self.add_serde(item)),
            serde_json::Value::String(s) => {
                self.strings += 1;
                self.string_bytes += s.len();
            }
            serde_json::Value::Number(_) => self.numbers += 1,
            serde_json::Value::Null | serde_json::Value::Bool(_) => {}
        }
    }
}
