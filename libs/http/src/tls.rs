//! Certificate verification settings: which roots are trusted, and the client certificate.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use crate::error::{Error, ErrorKind, Result};

/// How the server's certificate is checked.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Verify {
    /// Verify against the system's roots plus Mozilla's (webpki) roots. With `trust_env`, the
    /// `REQUESTS_CA_BUNDLE` or `CURL_CA_BUNDLE` variable names a bundle used instead, as in
    /// requests.
    #[default]
    Default,
    /// Verify against the certificates in this PEM file (or every PEM file in this folder).
    CaBundle(PathBuf),
    /// Do not verify (requests' `verify=False`). Connections are then open to interception.
    Disabled,
}

/// A client certificate chain and its private key, from PEM files.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    /// The certificate chain (may also hold the key).
    pub cert: PathBuf,
    /// The private key, when not in the certificate file.
    pub key: Option<PathBuf>,
}

/// The TLS settings that decide which connections may be shared: one connection pool per
/// distinct value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub(crate) struct TlsKey {
    pub verify: Verify,
    pub identity: Option<Identity>,
}

/// The default roots: the system's store and Mozilla's, deduplicated, loaded once.
fn default_roots() -> Arc<Vec<Certificate<'static>>> {
    static ROOTS: OnceLock<Arc<Vec<Certificate<'static>>>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let mut seen = std::collections::HashSet::new();
            let mut roots = Vec::new();
            let native = rustls_native_certs::load_native_certs();
            let system = native.certs.iter().map(AsRef::as_ref);
            let mozilla = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(AsRef::as_ref);
            for der in system.chain(mozilla) {
                if seen.insert(der.to_vec()) {
                    roots.push(Certificate::from_der(der).to_owned());
                }
            }
            Arc::new(roots)
        })
        .clone()
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Error::new(ErrorKind::InvalidConfig, format!("could not read the {what} {}: {e}", path.display())))
}

fn pem_items(path: &Path, what: &str) -> Result<Vec<PemItem<'static>>> {
    let data = read(path, what)?;
    ureq::tls::parse_pem(&data)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::new(ErrorKind::InvalidConfig, format!("bad PEM in the {what} {}: {e}", path.display())))
}

/// The certificates of a CA bundle file, or of every file in a folder.
fn bundle(path: &Path) -> Result<Vec<Certificate<'static>>> {
    if !path.exists() {
        return Err(Error::new(
            ErrorKind::InvalidConfig,
            format!("Could not find a suitable TLS CA certificate bundle, invalid path: {}", path.display()),
        ));
    }
    let files: Vec<PathBuf> = if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| {
            Error::new(ErrorKind::InvalidConfig, format!("could not read the CA folder {}: {e}", path.display()))
        })?;
        let mut files: Vec<PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut certs = Vec::new();
    for file in files {
        for item in pem_items(&file, "CA bundle")? {
            if let PemItem::Certificate(c) = item {
                certs.push(c);
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidConfig,
            format!("Could not find a suitable TLS CA certificate bundle, invalid path: {}", path.display()),
        ));
    }
    Ok(certs)
}

fn identity(id: &Identity) -> Result<ClientCert> {
    let mut chain = Vec::new();
    let mut key: Option<PrivateKey<'static>> = None;
    let mut files = vec![id.cert.as_path()];
    files.extend(id.key.as_deref());
    for file in files {
        for item in pem_items(file, "client certificate")? {
            match item {
                PemItem::Certificate(c) => chain.push(c),
                PemItem::PrivateKey(k) => key = Some(k),
                _ => {}
            }
        }
    }
    let key =
        key.ok_or_else(|| Error::new(ErrorKind::InvalidConfig, format!("no private key in {}", id.cert.display())))?;
    if chain.is_empty() {
        return Err(Error::new(ErrorKind::InvalidConfig, format!("no certificate in {}", id.cert.display())));
    }
    Ok(ClientCert::new_with_certs(&chain, key))
}

/// Builds ureq's TLS settings for a key; `trust_env` lets `REQUESTS_CA_BUNDLE` and
/// `CURL_CA_BUNDLE` replace the default roots.
pub(crate) fn config(key: &TlsKey, trust_env: bool) -> Result<TlsConfig> {
    let mut b = TlsConfig::builder();
    match &key.verify {
        Verify::Default => {
            let env_bundle = if trust_env {
                ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]
                    .iter()
                    .find_map(|v| std::env::var_os(v).filter(|s| !s.is_empty()))
            } else {
                None
            };
            b = b.root_certs(match env_bundle {
                Some(path) => RootCerts::Specific(Arc::new(bundle(Path::new(&path))?)),
                None => RootCerts::Specific(default_roots()),
            });
        }
        Verify::CaBundle(path) => b = b.root_certs(RootCerts::Specific(Arc::new(bundle(path)?))),
        Verify::Disabled => b = b.disable_verification(true),
    }
    if let Some(id) = &key.identity {
        b = b.client_cert(Some(identity(id)?));
    }
    Ok(b.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_roots_are_many_and_unique() {
        let roots = default_roots();
        assert!(roots.len() >= webpki_root_certs::TLS_SERVER_ROOT_CERTS.len());
        let unique: std::collections::HashSet<_> = roots.iter().map(Certificate::der).collect();
        assert_eq!(unique.len(), roots.len());
    }

    #[test]
    fn a_missing_bundle_is_a_config_error() {
        let key = TlsKey { verify: Verify::CaBundle("/nonexistent/ca.pem".into()), identity: None };
        assert_eq!(config(&key, false).unwrap_err().kind(), ErrorKind::InvalidConfig);
    }
}
