//! Cookies: a jar with the matching rules of Python's `http.cookiejar` as requests uses it.
//!
//! Domains are kept in cookiejar's form, so bindings show the same values requests shows: a
//! host-only cookie has the request's host as its domain (`localhost.local` for a host without
//! a dot, as cookiejar's "effective host name" rule gives), a `Domain=` attribute is kept with a
//! leading dot, and a cookie set by hand without a domain (domain `""`) goes to every host.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use crate::url::Parts;

/// One cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
    /// The domain in `http.cookiejar`'s form (see the module docs); `""` matches every host.
    pub domain: String,
    /// The path it applies to.
    pub path: String,
    /// Sent over https only.
    pub secure: bool,
    /// When it expires; `None` for a session cookie.
    pub expires: Option<SystemTime>,
    /// Whether the `Domain` attribute was given (the cookie also matches subdomains).
    pub domain_specified: bool,
    /// Marked `HttpOnly`.
    pub http_only: bool,
}

impl Cookie {
    /// A cookie as requests' `create_cookie(name, value)` makes it: every host, path `/`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Cookie {
        Cookie {
            name: name.into(),
            value: value.into(),
            domain: String::new(),
            path: "/".to_string(),
            secure: false,
            expires: None,
            domain_specified: false,
            http_only: false,
        }
    }

    /// The expiry as seconds since the Unix epoch.
    pub fn expires_unix(&self) -> Option<i64> {
        self.expires.map(|t| match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        })
    }

    fn is_expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|t| t <= now)
    }

    fn matches(&self, target: &Parts, now: SystemTime) -> bool {
        if self.is_expired(now) || (self.secure && target.scheme != "https") {
            return false;
        }
        domain_matches(&self.domain, &effective_host(&target.host)) && path_matches(&self.path, &target.path)
    }
}

/// cookiejar's `eff_request_host`: a host name without a dot gets `.local`.
fn effective_host(host: &str) -> String {
    if !host.contains('.') && !host.starts_with('[') { format!("{host}.local") } else { host.to_string() }
}

fn domain_matches(domain: &str, host: &str) -> bool {
    if domain.is_empty() || domain == host {
        return true;
    }
    match domain.strip_prefix('.') {
        Some(bare) => host == bare || host.ends_with(domain),
        None => false,
    }
}

fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    let request_path = if request_path.is_empty() { "/" } else { request_path };
    request_path.starts_with(cookie_path)
}

/// The default path of a cookie set without `Path` (RFC 6265 5.1.4, as cookiejar does).
fn default_path(request_path: &str) -> String {
    match request_path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => request_path[..i].to_string(),
    }
}

/// Parses one `Set-Cookie` value received from `source`; `None` when it is malformed or its
/// `Domain` does not cover the host (cookiejar refuses those).
pub(crate) fn parse_set_cookie(header: &str, source: &Parts, now: SystemTime) -> Option<Cookie> {
    let parsed = cookie::Cookie::parse(header.to_string()).ok()?;
    let host = effective_host(&source.host);
    let (domain, domain_specified) = match parsed.domain() {
        Some(d) if !d.is_empty() => {
            let d = d.to_ascii_lowercase();
            let dotted = if d.starts_with('.') { d.clone() } else { format!(".{d}") };
            if !(host == dotted[1..] || host.ends_with(&dotted)) {
                return None;
            }
            (dotted, true)
        }
        _ => (host, false),
    };
    let path = match parsed.path() {
        Some(p) if p.starts_with('/') => p.to_string(),
        _ => default_path(&source.path),
    };
    let expires = if let Some(age) = parsed.max_age() {
        let secs = age.whole_seconds();
        Some(if secs <= 0 { SystemTime::UNIX_EPOCH } else { now + Duration::from_secs(secs as u64) })
    } else {
        parsed.expires_datetime().map(|t| {
            let secs = t.unix_timestamp();
            if secs <= 0 { SystemTime::UNIX_EPOCH } else { SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64) }
        })
    };
    Some(Cookie {
        name: parsed.name().to_string(),
        value: parsed.value().to_string(),
        domain,
        path,
        secure: parsed.secure().unwrap_or(false),
        expires,
        domain_specified,
        http_only: parsed.http_only().unwrap_or(false),
    })
}

/// A thread-safe cookie jar. Given to requests ([`crate::RequestBuilder::jar`]), cookies responses set go in,
/// and matching cookies go out with every request.
#[derive(Debug, Default)]
pub struct Jar {
    cookies: Mutex<Vec<Cookie>>,
}

impl Clone for Jar {
    fn clone(&self) -> Jar {
        Jar { cookies: Mutex::new(self.lock().clone()) }
    }
}

impl Jar {
    /// An empty jar.
    pub fn new() -> Jar {
        Jar::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Cookie>> {
        self.cookies.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds a cookie, replacing one with the same domain, path and name. An expired cookie
    /// removes that one instead, as a `Set-Cookie` with a past expiry does.
    pub fn insert(&self, cookie: Cookie) {
        let mut cookies = self.lock();
        cookies.retain(|c| !(c.domain == cookie.domain && c.path == cookie.path && c.name == cookie.name));
        if !cookie.is_expired(SystemTime::now()) {
            cookies.push(cookie);
        }
    }

    /// Removes cookies by name, and by domain and path when given.
    pub fn remove(&self, name: &str, domain: Option<&str>, path: Option<&str>) -> usize {
        let mut cookies = self.lock();
        let before = cookies.len();
        cookies
            .retain(|c| !(c.name == name && domain.is_none_or(|d| c.domain == d) && path.is_none_or(|p| c.path == p)));
        before - cookies.len()
    }

    /// Removes every cookie (of a domain, path and name when given).
    pub fn clear(&self, domain: Option<&str>, path: Option<&str>, name: Option<&str>) {
        self.lock().retain(|c| {
            !(domain.is_none_or(|d| c.domain == d)
                && path.is_none_or(|p| c.path == p)
                && name.is_none_or(|n| c.name == n))
        });
    }

    /// Every cookie, in the order they were set (expired ones dropped).
    pub fn cookies(&self) -> Vec<Cookie> {
        let now = SystemTime::now();
        let mut cookies = self.lock();
        cookies.retain(|c| !c.is_expired(now));
        cookies.clone()
    }

    /// How many unexpired cookies the jar holds.
    pub fn len(&self) -> usize {
        let now = SystemTime::now();
        self.lock().iter().filter(|c| !c.is_expired(now)).count()
    }

    /// Whether the jar holds no unexpired cookie.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `Cookie` header for a request to `url`, or `None` when no cookie matches.
    pub fn header_for(&self, url: &str) -> Option<String> {
        let parts = Parts::parse(url).ok().flatten()?;
        cookie_header(Some(self), &[], &parts)
    }

    /// Stores the cookies of `Set-Cookie` headers received from `url`; returns them.
    pub fn store_set_cookies<'a>(&self, url: &str, headers: impl IntoIterator<Item = &'a str>) -> Vec<Cookie> {
        let Some(parts) = Parts::parse(url).ok().flatten() else {
            return Vec::new();
        };
        let now = SystemTime::now();
        let set: Vec<Cookie> = headers.into_iter().filter_map(|h| parse_set_cookie(h, &parts, now)).collect();
        for c in &set {
            self.insert(c.clone());
        }
        set
    }
}

/// Builds the `Cookie` header from a jar plus a request's own cookies (which win on a name
/// clash), longest path first as cookiejar orders them.
pub(crate) fn cookie_header(jar: Option<&Jar>, extra: &[Cookie], target: &Parts) -> Option<String> {
    let now = SystemTime::now();
    let mut chosen: Vec<Cookie> = Vec::new();
    if let Some(jar) = jar {
        chosen.extend(jar.lock().iter().filter(|c| c.matches(target, now)).cloned());
    }
    for c in extra.iter().filter(|c| c.matches(target, now)) {
        chosen.retain(|o| o.name != c.name);
        chosen.push(c.clone());
    }
    if chosen.is_empty() {
        return None;
    }
    chosen.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
    let mut header = String::new();
    for (i, c) in chosen.iter().enumerate() {
        if i > 0 {
            header.push_str("; ");
        }
        header.push_str(&c.name);
        header.push('=');
        header.push_str(&c.value);
    }
    Some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(u: &str) -> Parts {
        Parts::parse(u).unwrap().unwrap()
    }

    #[test]
    fn host_only_and_domain_cookies() {
        let jar = Jar::new();
        jar.store_set_cookies("http://a.example.com/x/y", ["s=1", "d=2; Domain=example.com; Path=/"]);
        let all = jar.cookies();
        assert_eq!(all[0].domain, "a.example.com");
        assert_eq!(all[0].path, "/x");
        assert_eq!(all[1].domain, ".example.com");
        assert_eq!(jar.header_for("http://a.example.com/x/z").as_deref(), Some("s=1; d=2"));
        assert_eq!(jar.header_for("http://b.example.com/x").as_deref(), Some("d=2"));
        assert_eq!(jar.header_for("http://other.com/").as_deref(), None);
    }

    #[test]
    fn foreign_domain_is_refused_and_expiry_deletes() {
        let jar = Jar::new();
        jar.store_set_cookies("http://127.0.0.1/", ["a=1; Domain=evil.com", "b=2"]);
        assert_eq!(jar.len(), 1);
        jar.store_set_cookies("http://127.0.0.1/", ["b=; Max-Age=0"]);
        assert!(jar.is_empty());
    }

    #[test]
    fn request_cookies_override_and_go_everywhere() {
        let jar = Jar::new();
        jar.insert(Cookie::new("a", "jar"));
        let extra = [Cookie::new("a", "req"), Cookie::new("b", "2")];
        assert_eq!(cookie_header(Some(&jar), &extra, &parts("http://h/")).as_deref(), Some("a=req; b=2"));
        assert_eq!(effective_host("localhost"), "localhost.local");
    }

    #[test]
    fn secure_cookies_need_https() {
        let jar = Jar::new();
        jar.store_set_cookies("https://h.com/", ["s=1; Secure"]);
        assert_eq!(jar.header_for("http://h.com/"), None);
        assert_eq!(jar.header_for("https://h.com/").as_deref(), Some("s=1"));
    }
}
