//! Name resolution: ureq's default resolver runs every lookup on a new thread when a timeout is
//! set (so the lookup can be abandoned), and it resolves before every request, pooled connection
//! or not. A thread per request was the largest cost of a keep-alive GET (about 40 µs of 150 on
//! the development VM). IP literals need no lookup: they are answered inline; names still go
//! through ureq's resolver, so their timeout holds.

use std::net::{IpAddr, SocketAddr};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

#[derive(Debug, Default)]
pub(crate) struct LiteralFirst {
    names: DefaultResolver,
}

/// The address of a URI whose host is an IP literal.
fn literal(uri: &Uri) -> Option<SocketAddr> {
    let authority = uri.authority()?;
    let host = authority.host();
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    let port = authority.port_u16().or_else(|| match uri.scheme_str()? {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

impl Resolver for LiteralFirst {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal(uri) {
            Some(addr) => {
                let mut found = self.empty();
                found.push(addr);
                Ok(found)
            }
            None => self.names.resolve(uri, config, timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_answered_inline() {
        let at = |u: &str| literal(&u.parse::<Uri>().unwrap());
        assert_eq!(at("http://127.0.0.1:8080/x"), Some("127.0.0.1:8080".parse().unwrap()));
        assert_eq!(at("https://[::1]/"), Some("[::1]:443".parse().unwrap()));
        assert_eq!(at("http://10.0.0.1/"), Some("10.0.0.1:80".parse().unwrap()));
        assert_eq!(at("http://localhost:80/"), None);
    }
}
