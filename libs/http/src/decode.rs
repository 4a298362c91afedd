//! Response body decoding: `Content-Encoding` (gzip, deflate, brotli, stacked) and the bound
//! on decompressed size.

use std::io::{self, Read};

use crate::error::{Error, ErrorKind};

/// A boxed body reader, the form every stage takes.
pub(crate) type BodyRead = Box<dyn Read + Send>;

/// Wraps `raw` in the decoders `content_encoding` names (applied in reverse order, as they were
/// applied by the server), then in a limit of `limit` decompressed bytes when the body is
/// compressed. Unknown encodings leave the body as it is, as requests does.
pub(crate) fn decoder(raw: BodyRead, content_encoding: Option<&str>, limit: Option<u64>) -> BodyRead {
    let Some(header) = content_encoding else {
        return raw;
    };
    let mut reader = raw;
    let mut compressed = false;
    for coding in header.rsplit(',').map(|c| c.trim().to_ascii_lowercase()) {
        reader = match coding.as_str() {
            "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(reader)),
            "deflate" => Box::new(Deflate::new(reader)),
            "br" => Box::new(brotli_decompressor::Decompressor::new(reader, 8192)),
            _ => continue,
        };
        compressed = true;
    }
    match limit {
        Some(limit) if compressed => Box::new(Bounded { inner: reader, left: limit, limit }),
        _ => reader,
    }
}

/// `deflate` as servers send it: zlib-wrapped as the RFC says, or raw as some servers do;
/// urllib3 accepts both, deciding on the first bytes.
struct Deflate {
    state: DeflateState,
}

enum DeflateState {
    Undecided(Option<BodyRead>),
    Zlib(flate2::read::ZlibDecoder<Prefixed>),
    Raw(flate2::read::DeflateDecoder<Prefixed>),
}

/// Bytes peeked from a reader, then the reader.
struct Prefixed {
    head: Vec<u8>,
    at: usize,
    rest: BodyRead,
}

impl Read for Prefixed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.head.len() {
            let n = (self.head.len() - self.at).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        self.rest.read(buf)
    }
}

impl Deflate {
    fn new(inner: BodyRead) -> Deflate {
        Deflate { state: DeflateState::Undecided(Some(inner)) }
    }
}

impl Read for Deflate {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let DeflateState::Undecided(inner) = &mut self.state {
            let mut rest = inner.take().expect("decided once");
            let mut head = vec![0u8; 2];
            let mut got = 0;
            while got < 2 {
                let n = rest.read(&mut head[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            head.truncate(got);
            // A zlib header: CM = 8 and the 16-bit check value divisible by 31.
            let zlib = got == 2 && head[0] & 0x0f == 8 && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0;
            let prefixed = Prefixed { head, at: 0, rest };
            self.state = if zlib {
                DeflateState::Zlib(flate2::read::ZlibDecoder::new(prefixed))
            } else {
                DeflateState::Raw(flate2::read::DeflateDecoder::new(prefixed))
            };
        }
        match &mut self.state {
            DeflateState::Zlib(d) => d.read(buf),
            DeflateState::Raw(d) => d.read(buf),
            DeflateState::Undecided(_) => unreachable!("decided above"),
        }
    }
}

/// Fails a read that would go past `limit` decompressed bytes.
struct Bounded {
    inner: BodyRead,
    left: u64,
    limit: u64,
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Allow a clean end exactly at the limit; anything more is refused.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(DecodeLimit(self.limit))),
            };
        }
        let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The error a [`Bounded`] reader raises, found again by [`read_error`].
#[derive(Debug)]
pub(crate) struct DecodeLimit(pub u64);

impl std::fmt::Display for DecodeLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "decompressed body exceeds the limit of {} bytes", self.0)
    }
}

impl std::error::Error for DecodeLimit {}

/// A body's connection: its errors are tagged so that [`read_error`] tells them apart from
/// decompression errors.
pub(crate) struct Transport<R>(pub R);

/// An I/O error from the connection, not from a decoder.
#[derive(Debug)]
struct TransportError(io::Error);

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TransportError {}

impl<R: Read> Read for Transport<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| io::Error::new(e.kind(), TransportError(e)))
    }
}

/// Maps an error from reading a body (through the decoders) to ours.
pub(crate) fn read_error(e: &io::Error, url: &str) -> Error {
    match e.get_ref() {
        Some(inner) if inner.is::<TransportError>() => {
            let TransportError(cause) = inner.downcast_ref::<TransportError>().expect("checked");
            match cause.get_ref().and_then(|c| c.downcast_ref::<ureq::Error>()) {
                Some(ureq::Error::Timeout(_)) => {
                    Error::new(ErrorKind::ReadTimeout, format!("read from {url} timed out (read timeout)"))
                }
                _ => crate::error::io_error(cause, url).0,
            }
        }
        Some(inner) if inner.is::<DecodeLimit>() => Error::new(ErrorKind::ContentDecoding, format!("{inner} ({url})")),
        _ => Error::new(ErrorKind::ContentDecoding, format!("failed to decode the body of {url}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn read_all(r: &mut BodyRead) -> io::Result<Vec<u8>> {
        let mut v = Vec::new();
        r.read_to_end(&mut v)?;
        Ok(v)
    }

    fn boxed(b: Vec<u8>) -> BodyRead {
        Box::new(io::Cursor::new(b))
    }

    #[test]
    fn gzip_zlib_raw_deflate_and_stacked() {
        let text = b"hello hello hello".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let mut zl = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zl.write_all(&text).unwrap();
        let zl = zl.finish().unwrap();
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(&text).unwrap();
        let raw = raw.finish().unwrap();
        for (body, enc) in [(&gz, "gzip"), (&zl, "deflate"), (&raw, "deflate"), (&text, "identity")] {
            assert_eq!(read_all(&mut decoder(boxed(body.clone()), Some(enc), None)).unwrap(), text, "{enc}");
        }
        let mut gz2 = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz2.write_all(&zl).unwrap();
        let stacked = gz2.finish().unwrap();
        assert_eq!(read_all(&mut decoder(boxed(stacked), Some("deflate, gzip"), None)).unwrap(), text);
    }

    #[test]
    fn the_bound_stops_a_bomb() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![0u8; 1 << 20]).unwrap();
        let gz = gz.finish().unwrap();
        let err = read_all(&mut decoder(boxed(gz.clone()), Some("gzip"), Some(1000))).unwrap_err();
        assert_eq!(read_error(&err, "u").kind(), ErrorKind::ContentDecoding);
        assert_eq!(read_all(&mut decoder(boxed(gz), Some("gzip"), Some(1 << 20))).unwrap().len(), 1 << 20);
    }

    #[test]
    fn corrupt_gzip_is_a_decoding_error() {
        let err = read_all(&mut decoder(boxed(b"not gzip".to_vec()), Some("gzip"), None)).unwrap_err();
        assert_eq!(read_error(&err, "u").kind(), ErrorKind::ContentDecoding);
    }
}
