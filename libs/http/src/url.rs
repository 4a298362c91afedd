//! URL preparation with requests' rules: what is an error, how query parameters are encoded and
//! appended, how the result is re-quoted, how redirect targets are resolved.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::error::{Error, ErrorKind, Result};

/// Characters `urllib.parse.quote_plus` leaves alone (besides letters and digits).
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-').remove(b'~');

/// requests' `requote_uri` safe set: reserved characters and `%` stay as they are.
const REQUOTE: &AsciiSet = &FORM
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'%')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b'/')
    .remove(b':')
    .remove(b';')
    .remove(b'=')
    .remove(b'?')
    .remove(b'@')
    .remove(b'[')
    .remove(b']');

/// Python's `repr` of a string, as requests' messages quote URLs and header values (`'...'`,
/// or `"..."` when the text has a single quote and no double quote).
pub(crate) fn py_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `application/x-www-form-urlencoded` encoding of pairs, as `urllib.parse.urlencode` does it
/// (space as `+`, everything but letters, digits and `_.-~` percent-encoded).
pub fn form_urlencode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        quote_plus_into(k.as_ref(), &mut out);
        out.push('=');
        quote_plus_into(v.as_ref(), &mut out);
    }
    out
}

fn quote_plus_into(s: &str, out: &mut String) {
    for (i, part) in s.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(part, FORM));
    }
}

/// requests' `requote_uri`: decode escapes of unreserved characters, then quote what is unsafe,
/// leaving valid escapes and reserved characters alone.
pub(crate) fn requote(uri: &str) -> String {
    let b = uri.as_bytes();
    let mut unquoted = String::with_capacity(uri.len());
    let mut i = 0;
    let mut valid = true;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = uri.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(c) if c.is_ascii_alphanumeric() || b"-._~".contains(&c) => {
                    unquoted.push(c as char);
                    i += 3;
                    continue;
                }
                Some(_) => {}
                None => valid = false,
            }
        }
        let ch = uri[i..].chars().next().expect("in bounds");
        unquoted.push(ch);
        i += ch.len_utf8();
    }
    if valid {
        utf8_percent_encode(&unquoted, REQUOTE).to_string()
    } else {
        // An invalid escape: quote everything unsafe except `%` itself, from the original.
        utf8_percent_encode(uri, REQUOTE).to_string()
    }
}

/// The parts of an absolute URL, split as urllib3's `parse_url` splits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parts {
    pub scheme: String,
    pub userinfo: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

impl Parts {
    /// Splits `url`; `Ok(None)` when it has no scheme. Errors are requests' `InvalidURL`.
    pub(crate) fn parse(url: &str) -> Result<Option<Parts>> {
        let invalid = |why: &str| Error::new(ErrorKind::InvalidUrl, format!("Invalid URL {}: {why}", py_repr(url)));
        let (scheme, rest) = match url.find(':') {
            Some(i)
                if i > 0
                    && url.as_bytes()[0].is_ascii_alphabetic()
                    && url[..i].bytes().all(|c| c.is_ascii_alphanumeric() || b"+.-".contains(&c)) =>
            {
                (url[..i].to_ascii_lowercase(), &url[i + 1..])
            }
            _ => return Ok(None),
        };
        let Some(rest) = rest.strip_prefix("//") else {
            // `host:port/path` reads as scheme `host` in urllib3 too; the caller reports it.
            return Ok(Some(Parts {
                scheme,
                userinfo: None,
                host: String::new(),
                port: None,
                path: rest.to_string(),
                query: None,
                fragment: None,
            }));
        };
        let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(authority[..i].to_string()), &authority[i + 1..]),
            None => (None, authority),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let close = v6.find(']').ok_or_else(|| invalid("unclosed IPv6 address"))?;
            let after = &v6[close + 1..];
            let host = format!("[{}]", v6[..close].to_ascii_lowercase());
            match after.strip_prefix(':') {
                Some(p) => (host, Some(p)),
                None if after.is_empty() => (host, None),
                None => return Err(invalid("bad IPv6 address")),
            }
        } else {
            match hostport.rfind(':') {
                Some(i) => (hostport[..i].to_lowercase(), Some(&hostport[i + 1..])),
                None => (hostport.to_lowercase(), None),
            }
        };
        let port = match port {
            None | Some("") => None,
            Some(p) => match p.parse::<u32>() {
                Ok(n) if n <= 65535 && p.bytes().all(|c| c.is_ascii_digit()) => Some(n as u16),
                _ => return Err(Error::new(ErrorKind::InvalidUrl, format!("Failed to parse: {url}"))),
            },
        };
        let (before_fragment, fragment) = match tail.find('#') {
            Some(i) => (&tail[..i], Some(tail[i + 1..].to_string())),
            None => (tail, None),
        };
        let (path, query) = match before_fragment.find('?') {
            Some(i) => (&before_fragment[..i], Some(before_fragment[i + 1..].to_string())),
            None => (before_fragment, None),
        };
        Ok(Some(Parts { scheme, userinfo, host, port, path: path.to_string(), query, fragment }))
    }

    /// The port, or the scheme's default.
    pub(crate) fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }
}

/// Prepares a request URL as requests' `PreparedRequest.prepare_url` does, appending the already
/// encoded `query` (from [`form_urlencode`] or the caller's raw string). Errors name the URL.
pub(crate) fn prepare(url: &str, query: &str) -> Result<(String, Parts)> {
    let url = url.trim_start();
    let schemeless = || {
        Error::new(
            ErrorKind::MissingSchema,
            format!("Invalid URL {}: No scheme supplied. Perhaps you meant https://{url}?", py_repr(url)),
        )
    };
    let no_adapter =
        || Error::new(ErrorKind::InvalidSchema, format!("No connection adapters were found for {}", py_repr(url)));
    if url.contains(':') && !url.to_ascii_lowercase().starts_with("http") {
        return Err(no_adapter());
    }
    let mut parts = Parts::parse(url)?.ok_or_else(schemeless)?;
    if parts.host.is_empty() {
        if parts.scheme != "http" && parts.scheme != "https" {
            return Err(no_adapter());
        }
        return Err(Error::new(ErrorKind::InvalidUrl, format!("Invalid URL {}: No host supplied", py_repr(url))));
    }
    if parts.host.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c)) {
        return Err(Error::new(ErrorKind::InvalidUrl, format!("Failed to parse: {url}")));
    }
    if !parts.host.is_ascii() {
        parts.host = match url::Host::parse(&parts.host) {
            Ok(host) => host.to_string(),
            Err(_) => return Err(Error::new(ErrorKind::InvalidUrl, "URL has an invalid label.")),
        };
    } else if parts.host.starts_with(['*', '.']) {
        return Err(Error::new(ErrorKind::InvalidUrl, "URL has an invalid label."));
    }
    // urllib3's parse_url normalises what requests then re-quotes.
    parts.path = encode_invalid(&remove_dot_segments(&parts.path), PATH_EXTRA);
    parts.query = parts.query.map(|q| encode_invalid(&q, QUERY_EXTRA));
    parts.fragment = parts.fragment.map(|f| encode_invalid(&f, QUERY_EXTRA));
    parts.userinfo = parts.userinfo.map(|u| encode_invalid(&u, ":"));
    if parts.path.is_empty() {
        parts.path.push('/');
    }
    if !query.is_empty() {
        parts.query = Some(match parts.query.take() {
            Some(q) if !q.is_empty() => format!("{q}&{query}"),
            _ => query.to_string(),
        });
    }
    if parts.scheme != "http" && parts.scheme != "https" {
        return Err(no_adapter());
    }
    let text = requote(&unparse(&parts));
    Ok((text, parts))
}

/// Characters urllib3 leaves alone in a path, besides the unreserved ones and sub-delimiters.
const PATH_EXTRA: &str = ":@/";
/// The same for a query or fragment.
const QUERY_EXTRA: &str = ":@/?";

/// urllib3's `_encode_invalid_chars`: existing escapes upper-cased and kept when every `%`
/// starts one (else every `%` is escaped too), and characters outside the allowed set
/// percent-encoded as UTF-8.
fn encode_invalid(component: &str, extra: &str) -> String {
    let b = component.as_bytes();
    let is_escape =
        |i: usize| b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
    let percents = b.iter().filter(|&&c| c == b'%').count();
    let escapes = (0..b.len()).filter(|&i| b[i] == b'%' && is_escape(i)).count();
    let keep_percent = percents == escapes;
    let mut out = String::with_capacity(component.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' && keep_percent {
            out.push('%');
            out.push(char::from(b[i + 1]).to_ascii_uppercase());
            out.push(char::from(b[i + 2]).to_ascii_uppercase());
            i += 3;
            continue;
        }
        let allowed = c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&c) || extra.as_bytes().contains(&c);
        if allowed {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
        i += 1;
    }
    out
}

/// RFC 3986's `remove_dot_segments`, as urllib3 applies it.
fn remove_dot_segments(path: &str) -> String {
    let mut output: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "." => {}
            ".." => {
                output.pop();
            }
            s => output.push(s),
        }
    }
    if path.starts_with('/') && output.first().is_none_or(|s| !s.is_empty()) {
        output.insert(0, "");
    }
    if path.ends_with("/.") || path.ends_with("/..") {
        output.push("");
    }
    output.join("/")
}

/// Puts parts back together as `urlunparse` does.
fn unparse(p: &Parts) -> String {
    let mut s = format!("{}://", p.scheme);
    if let Some(u) = &p.userinfo {
        s.push_str(u);
        s.push('@');
    }
    s.push_str(&p.host);
    if let Some(port) = p.port {
        s.push(':');
        s.push_str(&port.to_string());
    }
    s.push_str(&p.path);
    if let Some(q) = &p.query
        && !q.is_empty()
    {
        s.push('?');
        s.push_str(q);
    }
    if let Some(f) = &p.fragment
        && !f.is_empty()
    {
        s.push('#');
        s.push_str(f);
    }
    s
}

/// The user name and password in a URL's userinfo, percent-decoded, as requests'
/// `get_auth_from_url` reads them.
pub(crate) fn userinfo_auth(p: &Parts) -> Option<(String, String)> {
    let info = p.userinfo.as_deref()?;
    let (user, pass) = info.split_once(':').unwrap_or((info, ""));
    let dec = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    Some((dec(user), dec(pass)))
}

/// The URL without userinfo and fragment, the form sent on the wire.
pub(crate) fn wire_uri(p: &Parts) -> String {
    let mut s = format!("{}://{}", p.scheme, p.host);
    if let Some(port) = p.port {
        s.push(':');
        s.push_str(&port.to_string());
    }
    s.push_str(&wire_target(p));
    s
}

/// The path and query as sent in the request line.
pub(crate) fn wire_target(p: &Parts) -> String {
    let mut s = requote(&p.path);
    if let Some(q) = &p.query
        && !q.is_empty()
    {
        s.push('?');
        s.push_str(&requote(q));
    }
    s
}

/// Resolves a redirect's `Location` against the current URL as requests' `resolve_redirects`
/// does: `//host` takes the current scheme, relative references are joined, and a target
/// without a fragment keeps the current one.
pub(crate) fn resolve_location(current: &str, location: &str) -> Result<String> {
    let mut location = location.to_string();
    if location.starts_with("//") {
        let scheme = current.split(':').next().unwrap_or("http");
        location = format!("{scheme}:{location}");
    }
    let has_scheme = Parts::parse(&location).ok().flatten().is_some_and(|p| !p.host.is_empty());
    let mut target = if has_scheme {
        location
    } else {
        let base = url::Url::parse(current)
            .map_err(|e| Error::new(ErrorKind::InvalidUrl, format!("Invalid URL {}: {e}", py_repr(current))))?;
        base.join(&location)
            .map_err(|e| Error::new(ErrorKind::InvalidUrl, format!("Invalid redirect {}: {e}", py_repr(&location))))?
            .to_string()
    };
    if !target.contains('#')
        && let Some(i) = current.find('#')
    {
        target.push_str(&current[i..]);
    }
    Ok(requote(&target))
}

/// requests' `Session.should_strip_auth`: drop `Authorization` when a redirect leaves the
/// origin, except http to https on the default ports.
pub(crate) fn should_strip_auth(old: &Parts, new: &Parts) -> bool {
    if old.host != new.host {
        return true;
    }
    if old.scheme == "http"
        && matches!(old.port, None | Some(80))
        && new.scheme == "https"
        && matches!(new.port, None | Some(443))
    {
        return false;
    }
    let default = if old.scheme == "https" { 443 } else { 80 };
    let changed_port = old.port != new.port;
    let changed_scheme = old.scheme != new.scheme;
    if !changed_scheme && old.port.is_none_or(|p| p == default) && new.port.is_none_or(|p| p == default) {
        return false;
    }
    changed_port || changed_scheme
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_matches_urlencode() {
        assert_eq!(form_urlencode(&[("a b", "c&d"), ("é", "~x_y.z-")]), "a+b=c%26d&%C3%A9=~x_y.z-");
    }

    #[test]
    fn requote_keeps_reserved_and_valid_escapes() {
        assert_eq!(requote("http://h/a b?x=|&y=%41%2F"), "http://h/a%20b?x=%7C&y=A%2F");
        assert_eq!(requote("http://h/%zz é"), "http://h/%zz%20%C3%A9");
    }

    #[test]
    fn urllib3_normalisation() {
        assert_eq!(encode_invalid("/a%2fb c", PATH_EXTRA), "/a%2Fb%20c");
        assert_eq!(encode_invalid("/100%", PATH_EXTRA), "/100%25");
        assert_eq!(encode_invalid("/%41%zz", PATH_EXTRA), "/%2541%25zz");
        assert_eq!(remove_dot_segments("/a/./b/../c"), "/a/c");
        assert_eq!(remove_dot_segments("/a/.."), "/");
        assert_eq!(prepare("http://h/x/../100%", "").unwrap().0, "http://h/100%25");
    }

    #[test]
    fn prepare_follows_requests() {
        let (u, _) = prepare("http://Example.COM:8080", "a=1").unwrap();
        assert_eq!(u, "http://example.com:8080/?a=1");
        let (u, _) = prepare("https://h/p?x=1#f", "y=2").unwrap();
        assert_eq!(u, "https://h/p?x=1&y=2#f");
        assert_eq!(prepare("example.com/x", "").unwrap_err().kind(), ErrorKind::MissingSchema);
        assert_eq!(prepare("ftp://h/x", "").unwrap_err().kind(), ErrorKind::InvalidSchema);
        assert_eq!(prepare("localhost:80/x", "").unwrap_err().kind(), ErrorKind::InvalidSchema);
        assert_eq!(prepare("http://", "").unwrap_err().kind(), ErrorKind::InvalidUrl);
        assert_eq!(prepare("http://h:99999/", "").unwrap_err().kind(), ErrorKind::InvalidUrl);
        assert_eq!(prepare("http://*h/", "").unwrap_err().kind(), ErrorKind::InvalidUrl);
        assert_eq!(prepare("http://exa mple.com/", "").unwrap_err().kind(), ErrorKind::InvalidUrl);
    }

    #[test]
    fn messages_quote_as_python() {
        assert_eq!(py_repr("a'b"), "\"a'b\"");
        assert_eq!(py_repr("a\r\nb"), "'a\\r\\nb'");
        assert_eq!(
            prepare("example.com/x", "").unwrap_err().message(),
            "Invalid URL 'example.com/x': No scheme supplied. Perhaps you meant https://example.com/x?"
        );
        assert_eq!(prepare("ftp://h/", "").unwrap_err().message(), "No connection adapters were found for 'ftp://h/'");
    }

    #[test]
    fn redirect_targets() {
        assert_eq!(resolve_location("http://h/a/b#f", "c").unwrap(), "http://h/a/c#f");
        assert_eq!(resolve_location("https://h/a", "//g/x").unwrap(), "https://g/x");
        assert_eq!(resolve_location("http://h/a", "/x?y=1#z").unwrap(), "http://h/x?y=1#z");
    }

    #[test]
    fn auth_stripping() {
        let p = |u: &str| Parts::parse(u).unwrap().unwrap();
        assert!(!should_strip_auth(&p("http://h/"), &p("http://h:80/x")));
        assert!(!should_strip_auth(&p("http://h/"), &p("https://h/x")));
        assert!(should_strip_auth(&p("http://h/"), &p("http://g/x")));
        assert!(should_strip_auth(&p("http://h:1/"), &p("http://h:2/x")));
        assert!(should_strip_auth(&p("https://h/"), &p("http://h/x")));
    }
}
