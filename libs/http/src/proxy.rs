//! Proxy selection with requests' rules: explicit mappings keyed by scheme or scheme and host,
//! the `*_proxy` environment variables, and `no_proxy`.

use std::net::IpAddr;

use crate::error::{Error, ErrorKind, Result};
use crate::url::Parts;

/// A mapping from requests' proxy keys (`"http"`, `"https"`, `"all"`, `"http://host"`,
/// `"all://host"`, and `"no_proxy"`) to proxy URLs.
pub type ProxyMap = Vec<(String, String)>;

/// The `*_proxy` variables as `urllib.request.getproxies` reads them (any case, lower case
/// winning; `HTTP_PROXY` ignored under CGI, when `REQUEST_METHOD` is set), for the keys this
/// client uses: `http`, `https`, `all` and `no`. Looked up by name: walking the whole
/// environment on every request cost more than the rest of proxy selection.
fn env_proxies() -> ProxyMap {
    let mut map: ProxyMap = Vec::new();
    for key in ["http", "https", "all", "no"] {
        let lower = format!("{key}_proxy");
        let value = std::env::var(&lower).ok().or_else(|| std::env::var(lower.to_ascii_uppercase()).ok());
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            map.push((key.to_string(), value));
        }
    }
    if std::env::var_os("REQUEST_METHOD").is_some() {
        map.retain(|(k, _)| k != "http");
    }
    map
}

fn get<'a>(map: &'a ProxyMap, key: &str) -> Option<&'a str> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// requests' `should_bypass_proxies` with `urllib`'s `proxy_bypass_environment`: the host is in
/// `no_proxy` (exact IP, CIDR range, or a domain suffix), or `no_proxy` is `*`.
fn bypass(target: &Parts, no_proxy: &str) -> bool {
    let host = target.host.trim_start_matches('[').trim_end_matches(']');
    let host_port = format!("{host}:{}", target.port_or_default());
    let ip: Option<IpAddr> = host.parse().ok();
    for entry in no_proxy.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if entry == "*" {
            return true;
        }
        if let Some(ip) = ip {
            if let Some((net, bits)) = entry.split_once('/') {
                if let (Ok(IpAddr::V4(net)), Ok(bits), IpAddr::V4(ip)) = (net.parse(), bits.parse::<u32>(), ip)
                    && bits <= 32
                {
                    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
                    if u32::from(net) & mask == u32::from(ip) & mask {
                        return true;
                    }
                }
            } else if entry.parse::<IpAddr>().is_ok_and(|e| e == ip) {
                return true;
            }
            continue;
        }
        let bare = entry.trim_start_matches('.').to_ascii_lowercase();
        let (bare_host, bare_port) = match bare.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h.to_string(), Some(p)),
            _ => (bare.clone(), None),
        };
        if bare_port.is_some_and(|p| p.parse::<u16>().ok() != Some(target.port_or_default())) {
            continue;
        }
        if host == bare_host || host.ends_with(&format!(".{bare_host}")) || host_port.ends_with(entry) {
            return true;
        }
    }
    false
}

/// Picks the proxy URL for `target` as requests does: the request's mapping, then (with
/// `trust_env`) the environment's unless `no_proxy` covers the host, then the session's; keys
/// tried as `scheme://host`, `scheme`, `all://host`, `all`.
pub(crate) fn select(target: &Parts, request: &ProxyMap, session: &ProxyMap, trust_env: bool) -> Option<String> {
    let mut merged: ProxyMap = request.clone();
    let mut add_defaults = |from: &ProxyMap| {
        for (k, v) in from {
            if get(&merged, k).is_none() {
                merged.push((k.clone(), v.clone()));
            }
        }
    };
    if trust_env {
        let env = env_proxies();
        let no_proxy = get(request, "no_proxy").or(get(&env, "no")).unwrap_or("").to_string();
        if !bypass(target, &no_proxy) {
            add_defaults(&env);
        }
    }
    add_defaults(session);
    let host = target.host.as_str();
    let keys = [format!("{}://{host}", target.scheme), target.scheme.clone(), format!("all://{host}"), "all".into()];
    keys.iter().find_map(|k| get(&merged, k)).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A proxy URL with its scheme: a scheme-less `host:port` means `http://host:port`, as
/// requests' `prepend_scheme_if_needed` reads it.
pub(crate) fn with_scheme(url: &str) -> String {
    if url.contains("://") { url.to_string() } else { format!("http://{url}") }
}

/// Parses a proxy URL for ureq.
pub(crate) fn to_ureq(url: &str) -> Result<ureq::Proxy> {
    let url = with_scheme(url);
    ureq::Proxy::new(&url).map_err(|e| {
        Error::new(
            ErrorKind::InvalidProxyUrl,
            format!("Please check proxy URL. It is malformed and could be missing the host. ({url}: {e})"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(u: &str) -> Parts {
        Parts::parse(u).unwrap().unwrap()
    }

    fn map(pairs: &[(&str, &str)]) -> ProxyMap {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn keys_are_tried_most_specific_first() {
        let m = map(&[("all", "a:1"), ("http", "h:1"), ("http://x.com", "x:1")]);
        assert_eq!(select(&parts("http://x.com/"), &m, &Vec::new(), false).as_deref(), Some("x:1"));
        assert_eq!(select(&parts("http://y.com/"), &m, &Vec::new(), false).as_deref(), Some("h:1"));
        assert_eq!(select(&parts("https://y.com/"), &m, &Vec::new(), false).as_deref(), Some("a:1"));
        let session = map(&[("https", "s:1")]);
        assert_eq!(select(&parts("https://y.com/"), &Vec::new(), &session, false).as_deref(), Some("s:1"));
    }

    #[test]
    fn no_proxy_rules() {
        assert!(bypass(&parts("http://a.example.com/"), "example.com"));
        assert!(bypass(&parts("http://example.com/"), ".example.com"));
        assert!(!bypass(&parts("http://badexample.com/"), "example.com"));
        assert!(bypass(&parts("http://10.1.2.3/"), "10.0.0.0/8"));
        assert!(!bypass(&parts("http://11.1.2.3/"), "10.0.0.0/8, 127.0.0.1"));
        assert!(bypass(&parts("http://127.0.0.1:8080/"), "127.0.0.1"));
        assert!(bypass(&parts("http://h.com:81/"), "h.com:81"));
        assert!(!bypass(&parts("http://h.com/"), "h.com:81"));
        assert!(bypass(&parts("http://anything/"), "*"));
    }
}
