//! Retries with exponential backoff, with urllib3's `Retry` rules as requests users configure
//! them through `HTTPAdapter(max_retries=...)`.

use std::time::{Duration, SystemTime};

/// When to try a request again. The default retries nothing, as requests does.
#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    /// How many retries in all (connect, read and status).
    pub total: u32,
    /// Sleep `backoff_factor * 2^(n-1)` seconds before the n-th consecutive retry (none before
    /// the first, as urllib3 2).
    pub backoff_factor: f64,
    /// The longest sleep.
    pub backoff_max: Duration,
    /// Statuses that cause a retry (for allowed methods), such as 502, 503, 504.
    pub status_forcelist: Vec<u16>,
    /// Methods retried after the request was sent (read errors and statuses). Connect errors are
    /// retried for every method: the request never left.
    pub allowed_methods: Vec<String>,
    /// Honour `Retry-After` on 413, 429 and 503.
    pub respect_retry_after: bool,
    /// When retries on a status run out: `true` is an error ([`crate::ErrorKind::RetriesExhausted`]),
    /// `false` returns the last response.
    pub raise_on_status: bool,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry {
            total: 0,
            backoff_factor: 0.0,
            backoff_max: Duration::from_secs(120),
            status_forcelist: Vec::new(),
            allowed_methods: ["DELETE", "GET", "HEAD", "OPTIONS", "PUT", "TRACE"].map(String::from).to_vec(),
            respect_retry_after: true,
            raise_on_status: true,
        }
    }
}

impl Retry {
    /// `total` retries with the default rules.
    pub fn new(total: u32) -> Retry {
        Retry { total, ..Retry::default() }
    }

    pub(crate) fn method_allowed(&self, method: &str) -> bool {
        self.allowed_methods.iter().any(|m| m.eq_ignore_ascii_case(method))
    }

    /// The sleep before retry number `attempt` (1-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        if attempt <= 1 || self.backoff_factor <= 0.0 {
            return Duration::ZERO;
        }
        let secs = self.backoff_factor * 2f64.powi(attempt as i32 - 1);
        Duration::from_secs_f64(secs.min(self.backoff_max.as_secs_f64()))
    }

    /// The wait a `Retry-After` value asks for (seconds or an HTTP date).
    pub(crate) fn retry_after(value: &str) -> Option<Duration> {
        let value = value.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        let when = httpdate::parse_http_date(value).ok()?;
        Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let r = Retry { backoff_factor: 0.5, backoff_max: Duration::from_secs(3), ..Retry::new(5) };
        let waits: Vec<f64> = (1..=5).map(|n| r.backoff(n).as_secs_f64()).collect();
        assert_eq!(waits, [0.0, 1.0, 2.0, 3.0, 3.0]);
        assert!(r.method_allowed("get") && !r.method_allowed("POST"));
        assert_eq!(Retry::retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(Retry::retry_after("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
    }
}
