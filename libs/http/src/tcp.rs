//! TCP connections for ureq's connector chain, made here instead of by ureq's `TcpConnector`
//! for one reason: checking that a pooled connection is still open. ureq checks each pooled
//! connection twice per request (when it goes back to the pool and when it comes out) by
//! switching the socket to non-blocking, reading a byte and switching back: three system calls
//! each time, six of a keep-alive GET's nine. Here the check is one `poll` with a zero timeout
//! (as urllib3's `is_connection_dropped`). Reading and writing follow ureq's `TcpTransport`
//! (which ureq does not export): blocking socket calls with the socket's timeouts, changed only
//! when the timeout changes.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
};

/// Connects to the first address that answers, sharing the connect timeout between them.
#[derive(Debug, Default)]
pub(crate) struct PollingTcpConnector;

impl<In: Transport> Connector<In> for PollingTcpConnector {
    type Out = Either<In, PollingTcp>;

    fn connect(&self, details: &ConnectionDetails<'_>, chained: Option<In>) -> Result<Option<Self::Out>, ureq::Error> {
        if chained.is_some() {
            // A proxy tunnel (or another connector) already made the connection.
            return Ok(chained.map(Either::A));
        }
        let stream = connect(details)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        #[cfg(unix)]
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        let config = details.config;
        Ok(Some(Either::B(PollingTcp {
            stream,
            buffers: LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()),
            read_timeout: None,
            write_timeout: None,
            #[cfg(unix)]
            fd,
        })))
    }
}

fn connect(details: &ConnectionDetails<'_>) -> Result<TcpStream, ureq::Error> {
    let limit = details.timeout.not_zero().map(|d| *d);
    let deadline = limit.map(|d| Instant::now() + d);
    let addrs = &details.addrs;
    let mut last: Option<ureq::Error> = None;
    for (i, addr) in addrs.iter().enumerate() {
        let attempt = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                // The time left shared by the addresses left, at least 10 ms each.
                let share = (left / (addrs.len() - i) as u32).max(Duration::from_millis(10)).min(left);
                TcpStream::connect_timeout(addr, share)
            }
            None => TcpStream::connect(addr),
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
                last = Some(ureq::Error::Timeout(ureq::Timeout::Connect));
            }
            Err(e) => last = Some(ureq::Error::Io(e)),
        }
    }
    Err(last.unwrap_or(ureq::Error::Timeout(ureq::Timeout::Connect)))
}

/// A TCP connection as ureq's transport, with a one-call liveness check.
#[derive(Debug)]
pub(crate) struct PollingTcp {
    stream: TcpStream,
    buffers: LazyBuffers,
    /// The socket's timeouts as last set, so they are set again only when they change.
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
}

/// An I/O error as ureq's transports report it: a timeout names its reason.
fn io_to_ureq(e: io::Error, timeout: &NextTimeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(timeout.reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for PollingTcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = timeout.for_write();
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        let limit = timeout.not_zero().map(|d| *d);
        if limit != self.write_timeout {
            self.stream.set_write_timeout(limit)?;
            self.write_timeout = limit;
        }
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output).map_err(|e| io_to_ureq(e, &timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let timeout = timeout.for_read();
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        let limit = timeout.not_zero().map(|d| *d);
        if limit != self.read_timeout {
            self.stream.set_read_timeout(limit)?;
            self.read_timeout = limit;
        }
        let started = Instant::now();
        let amount = loop {
            match self.stream.read(self.buffers.input_append_buf()) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    // A signal: wait out what is left of the timeout.
                    if let Some(limit) = limit {
                        let left = limit.saturating_sub(started.elapsed());
                        if left.is_zero() {
                            return Err(ureq::Error::Timeout(timeout.reason));
                        }
                        self.stream.set_read_timeout(Some(left))?;
                        self.read_timeout = Some(left);
                    }
                }
                Err(e) => return Err(io_to_ureq(e, &timeout)),
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    #[cfg(unix)]
    fn is_open(&mut self) -> bool {
        let mut fds = libc::pollfd { fd: self.fd, events: libc::POLLIN, revents: 0 };
        // SAFETY: `fds` is one valid pollfd, and the socket is open while `self.stream` lives.
        let ready = unsafe { libc::poll(&mut fds, 1, 0) };
        // Nothing to read and no error: open and idle. Readable means the server closed it or
        // sent bytes nobody asked for; either way it cannot carry another request.
        ready == 0
    }

    #[cfg(not(unix))]
    fn is_open(&mut self) -> bool {
        // Without poll: ureq's own probe (non-blocking read of one byte).
        let _ = self.stream.set_nonblocking(true);
        let mut byte = [0u8];
        let open = matches!(self.stream.read(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        let _ = self.stream.set_nonblocking(false);
        open
    }
}
