"""A local nginx for the HTTP benchmarks, set up and torn down around a suite run.

    with http_server.nginx() as server:
        server.url("1k")            # http://127.0.0.1:PORT/1k   (keep-alive)
        server.tls_url("1k")        # https://127.0.0.1:PORT/1k  (closes after each response)
        server.ca                   # the PEM file of the CA that signed the server's certificate
        server.body("1m")           # the bytes that path serves

`http-get.toml` names :func:`nginx` as its ``fixture``: `run_suite.py` enters it before any
engine is set up and leaves it when the run ends, failed or not. Everything lives in one
temporary directory (configuration, pid file, logs, nginx's temp paths, the files served, the
certificates), so nothing needs root and nothing outside that directory is touched; nginx runs
in the foreground (``daemon off``) as a child of this process, which stops it (and, on Linux,
the kernel stops it if this process dies first).

The server:
- listens on 127.0.0.1 only, on two free ports: plain HTTP with keep-alive (up to 1,000,000
  requests per connection, 300 s idle) and TLS (``keepalive_timeout 0``: each response closes
  its connection, so every request needs a new connection; no session cache and no session
  tickets, so every connection is a full handshake);
- serves ``/1k`` (1024 bytes) and ``/1m`` (1 MiB), fixed pseudo-random bytes (not
  compressible; nginx compresses nothing here anyway), with sendfile, no access log and one
  worker process (the benchmark machine has two cores, and each client is one thread);
- has an ECDSA P-256 certificate for ``127.0.0.1`` and ``localhost`` signed by a throw-away CA,
  both made with the ``openssl`` command.

Run it by hand (``python http_server.py``) to get a server for poking at: it prints the URLs and
serves until interrupted.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["BODIES", "Server", "nginx"]

# Path -> size of the file served there.
BODIES = {"1k": 1024, "1m": 1024 * 1024}

_CONFIG = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    client_body_temp_path {dir}/temp/body;
    proxy_temp_path {dir}/temp/proxy;
    fastcgi_temp_path {dir}/temp/fastcgi;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;
    types {{ }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    etag off;
    keepalive_requests 1000000;
    keepalive_timeout 300s;

    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
    }}

    server {{
        listen 127.0.0.1:{tls_port} ssl;
        root {dir}/www;
        ssl_certificate {dir}/server.pem;
        ssl_certificate_key {dir}/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache off;
        ssl_session_tickets off;
        keepalive_timeout 0;
    }}
}}
"""


class Server:
    """A running nginx: its URLs, its CA and the bodies it serves."""

    def __init__(self, directory: Path, port: int, tls_port: int, version: str) -> None:
        self.directory = directory
        self.port = port
        self.tls_port = tls_port
        self.ca = str(directory / "ca.pem")
        self.version = version
        self.description = (
            f"{version}, one worker, on 127.0.0.1 (plain port keep-alive; TLS port closing each "
            "connection, no session cache or tickets, ECDSA P-256 certificate)"
        )

    def url(self, path: str) -> str:
        """The plain-HTTP URL of ``/path`` (keep-alive)."""
        return f"http://127.0.0.1:{self.port}/{path}"

    def tls_url(self, path: str) -> str:
        """The HTTPS URL of ``/path`` (each response closes its connection)."""
        return f"https://127.0.0.1:{self.tls_port}/{path}"

    def body(self, path: str) -> bytes:
        """The bytes served at ``/path``."""
        return (self.directory / "www" / path).read_bytes()


def _free_ports(count: int) -> list[int]:
    """Ports nobody listens on right now (the kernel's choice); held open until all are picked,
    so they differ."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _certificates(directory: Path) -> None:
    """ca.pem (a CA) and server.pem/server.key (for 127.0.0.1 and localhost, signed by the CA)."""
    _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key", cwd=directory)
    _openssl(
        "req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "2", "-subj", "/CN=pyaot bench CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", "ca.pem", cwd=directory,
    )  # fmt: skip
    _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key", cwd=directory)
    _openssl("req", "-new", "-key", "server.key", "-subj", "/CN=127.0.0.1", "-out", "server.csr", cwd=directory)
    (directory / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-sha256", "-extfile", "server.ext", "-out", "server.pem", cwd=directory,
    )  # fmt: skip


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, have the kernel send SIGTERM when the parent dies."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _wait_listening(proc: subprocess.Popen, ports: list[int], log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", pending[0]), timeout=1).close()
            pending.pop(0)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx is not listening on {pending} after {timeout} s") from None
            time.sleep(0.02)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def nginx(executable: str | None = None) -> Iterator[Server]:
    """Start nginx in a temporary directory; yield the :class:`Server`; stop it and delete the
    directory on the way out, whatever happened."""
    exe = executable or shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(exe):
        raise RuntimeError("nginx is needed (scripts/bench installs it with apt-get: apt-get install nginx)")
    version = subprocess.run([exe, "-v"], capture_output=True, text=True).stderr.strip().replace("nginx version: ", "")
    directory = Path(tempfile.mkdtemp(prefix="pyaot-bench-nginx-"))
    proc: subprocess.Popen | None = None
    try:
        # Run as root, nginx's workers drop to `nobody`: they must be able to read the files.
        directory.chmod(0o755)
        (directory / "temp").mkdir()
        www = directory / "www"
        www.mkdir(mode=0o755)
        rng = random.Random(20261124)
        for path, size in BODIES.items():
            (www / path).write_bytes(rng.randbytes(size))
            (www / path).chmod(0o644)
        _certificates(directory)
        for attempt in range(3):
            port, tls_port = _free_ports(2)
            config = directory / "nginx.conf"
            config.write_text(_CONFIG.format(dir=directory, port=port, tls_port=tls_port))
            log = directory / "stderr.log"
            with open(log, "wb") as err:
                proc = subprocess.Popen(
                    [exe, "-p", str(directory), "-c", str(config), "-e", str(directory / "error.log")],
                    stdin=subprocess.DEVNULL,
                    stdout=err,
                    stderr=err,
                    preexec_fn=_die_with_parent,  # noqa: PLW1509 (no threads yet)
                )
            try:
                _wait_listening(proc, [port, tls_port], log)
                break
            except RuntimeError:
                _stop(proc)
                if attempt == 2:  # another process took a port in between: try new ones
                    raise
        yield Server(directory, port, tls_port, version)
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    with nginx() as server:
        print(f"{server.version} in {server.directory}")
        for path in BODIES:
            print(f"  {server.url(path)}   {server.tls_url(path)}")
        print(f"  CA: {server.ca}   (Ctrl-C stops it)")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
