//! A thin wrapper around ureq's transports for two things ureq does not do:
//!
//! - The server's reason phrase. ureq parses the status line but keeps only the code, while
//!   requests shows the phrase the server sent (`"I'm a Teapot"`), so the wrapper reads it off
//!   the status line as the response head arrives.
//! - Forward proxying. ureq tunnels every proxied request with `CONNECT`; requests (and every
//!   proxy's default configuration) sends plain-http requests to the proxy in absolute form
//!   (`GET http://host/path`). For those, the client connects to the proxy as if it were the
//!   server and the wrapper puts the target's `http://host:port` in front of the request
//!   line's path.
//!
//! Both use ureq's `unversioned` transport API (Cargo.lock pins ureq's version); both keep
//! their per-request state in thread-locals, since a request runs on one thread from sending
//! to the response head.

use std::cell::RefCell;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

thread_local! {
    /// The last status line seen on this thread.
    static LAST: RefCell<Option<(u16, String)>> = const { RefCell::new(None) };
    /// The `http://host:port` to put before the next request line's path (forward proxying).
    static FORWARD: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Forgets what an earlier exchange on this thread left, and sets the next request line's
/// absolute-form prefix (for a plain-http request through a proxy).
pub(crate) fn start(forward_prefix: Option<String>) {
    LAST.with(|l| l.borrow_mut().take());
    FORWARD.with(|f| *f.borrow_mut() = forward_prefix);
}

/// The phrase of the status line just received, when its code is `status`.
pub(crate) fn take(status: u16) -> Option<String> {
    LAST.with(|l| l.borrow_mut().take()).and_then(|(code, reason)| (code == status).then_some(reason))
}

fn sniff(input: &[u8]) {
    if !input.starts_with(b"HTTP/") {
        return;
    }
    let Some(end) = input.iter().position(|&b| b == b'\n') else {
        return;
    };
    let line = input[..end].strip_suffix(b"\r").unwrap_or(&input[..end]);
    let mut parts = line.splitn(3, |&b| b == b' ');
    let (_, Some(code), reason) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let Some(code) = std::str::from_utf8(code).ok().and_then(|c| c.parse::<u16>().ok()) else {
        return;
    };
    // Python's http.client decodes the status line as ISO-8859-1.
    let reason: String = reason.unwrap_or_default().iter().map(|&b| char::from(b)).collect();
    LAST.with(|l| *l.borrow_mut() = Some((code, reason.trim().to_string())));
}

/// The last link of the connector chain: wraps every transport in [`Sniff`].
#[derive(Debug)]
pub(crate) struct ReasonConnector;

impl<In: Transport> Connector<In> for ReasonConnector {
    type Out = Box<dyn Transport>;

    fn connect(&self, _details: &ConnectionDetails<'_>, chained: Option<In>) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|t| Box::new(Sniff(Box::new(t))) as Box<dyn Transport>))
    }
}

/// A transport that notes each status line it receives.
#[derive(Debug)]
struct Sniff(Box<dyn Transport>);

impl Transport for Sniff {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if let Some(prefix) = FORWARD.with(|f| f.borrow_mut().take()) {
            let out = self.0.buffers().output();
            // The first output of a request starts with its request line: `METHOD /path ...`.
            let space = out[..amount].iter().position(|&b| b == b' ');
            if let Some(at) = space.map(|s| s + 1)
                && out.get(at) == Some(&b'/')
                && amount + prefix.len() <= out.len()
            {
                out.copy_within(at..amount, at + prefix.len());
                out[at..at + prefix.len()].copy_from_slice(prefix.as_bytes());
                return self.0.transmit_output(amount + prefix.len(), timeout);
            }
        }
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let more = self.0.await_input(timeout)?;
        sniff(self.0.buffers().input());
        Ok(more)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_phrase_of_the_status_line() {
        sniff(b"HTTP/1.1 418 I'm a Teapot\r\nServer: x\r\n");
        assert_eq!(take(418).as_deref(), Some("I'm a Teapot"));
        sniff(b"HTTP/1.1 200\r\n");
        assert_eq!(take(200).as_deref(), Some(""));
        sniff(b"HTTP/1.1 200 OK\r\n");
        assert_eq!(take(404), None);
        sniff(b"body bytes");
        assert_eq!(take(200), None);
    }
}
