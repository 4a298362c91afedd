"""TLS on loopback with certificates made here: a test CA (trustme) and its leaves, a self-signed
leaf, an expired leaf, a leaf for another host name and a leaf from a CA the client is not given.

The trusted leaf is accepted with ``verify=<CA file>``; every other one is rejected with the
module's SSLError (a ConnectionError) whose message names the reason. The words differ between
OpenSSL (requests) and rustls (pyaot_http), so each reason lists the words of both, compared on
letters only ("self-signed" and "SelfSigned" are the same word here).
"""

from __future__ import annotations

import datetime
import importlib
import ipaddress
import re
import ssl
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import server as servers
from server import Server

NOW = datetime.datetime.now(datetime.timezone.utc)
CLIENT_NAME = "pyaot test client"

# Why each server's certificate is rejected, in the words either TLS stack may use.
REASONS = {
    "self-signed": ["selfsigned", "unknownissuer"],
    "expired": ["expired"],
    "wrong-host": ["notvalidfor", "mismatch", "hostname"],
    "untrusted-ca": ["unabletogetlocalissuer", "unknownissuer"],
}


def exc(http: ModuleType, name: str) -> type[BaseException]:
    return getattr(importlib.import_module(f"{http.__name__}.exceptions"), name)


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def insecure_warning(http: ModuleType) -> type[Warning]:
    """requests warns with urllib3's class; pyaot_http with its own of the same name."""
    if http.__name__ == "requests":
        import urllib3

        return urllib3.exceptions.InsecureRequestWarning
    return exc(http, "InsecureRequestWarning")  # type: ignore[return-value]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A leaf for 127.0.0.1 and localhost that is its own issuer (not a CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "self-signed.pem", directory / "self-signed.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(leaf: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(context)
    return context


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("certs")


@pytest.fixture(scope="module")
def ca_path(ca: trustme.CA, certs: Path) -> str:
    path = certs / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def tls_servers(ca: trustme.CA, certs: Path) -> Iterator[dict[str, Server]]:
    contexts = {
        "trusted": server_context(ca.issue_cert("127.0.0.1", "localhost")),
        "expired": server_context(
            ca.issue_cert(
                "127.0.0.1",
                "localhost",
                not_before=NOW - datetime.timedelta(days=30),
                not_after=NOW - datetime.timedelta(days=1),
            )
        ),
        "wrong-host": server_context(ca.issue_cert("example.org")),
        "untrusted-ca": server_context(trustme.CA().issue_cert("127.0.0.1", "localhost")),
    }
    contexts["self-signed"] = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    contexts["self-signed"].load_cert_chain(*self_signed(certs))
    # A server that requires a client certificate issued by the test CA. TLS 1.2, so that a
    # missing certificate fails the handshake itself (under 1.3 the server's refusal arrives
    # after the client's handshake has completed, as a failed read).
    client_auth = server_context(ca.issue_cert("127.0.0.1", "localhost"))
    client_auth.verify_mode = ssl.CERT_REQUIRED
    client_auth.maximum_version = ssl.TLSVersion.TLSv1_2
    ca.configure_trust(client_auth)
    contexts["client-auth"] = client_auth

    running = {name: servers.httpbin(tls=context).start() for name, context in contexts.items()}
    yield running
    for each in running.values():
        each.stop()


@pytest.fixture(scope="module")
def client_cert(ca: trustme.CA, certs: Path) -> tuple[str, str]:
    leaf = ca.issue_cert("client.example.org", common_name=CLIENT_NAME)
    cert_path, key_path = certs / "client.pem", certs / "client.key"
    leaf.cert_chain_pems[0].write_to_path(str(cert_path))
    leaf.private_key_pem.write_to_path(str(key_path))
    return str(cert_path), str(key_path)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_trusted_leaf_accepted(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str, host: str
) -> None:
    url = tls_servers["trusted"].url_for("/get?a=1", host=host)
    r = http.get(url, verify=ca_path)
    assert r.status_code == 200
    assert r.url == url
    assert r.json()["url"] == url
    assert r.json()["args"] == [["a", "1"]]


def test_session_verify_path(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str
) -> None:
    with http.Session() as s:
        s.verify = ca_path
        assert s.get(tls_servers["trusted"].url + "/get").status_code == 200
        assert s.post(tls_servers["trusted"].url + "/post", json={"k": 1}).json()["json"] == {
            "k": 1
        }


def test_ca_not_trusted_by_default(http: ModuleType, tls_servers: dict[str, Server]) -> None:
    with pytest.raises(exc(http, "SSLError")) as info:
        http.get(tls_servers["trusted"].url + "/get")
    assert any(word in letters(str(info.value)) for word in REASONS["untrusted-ca"]), str(
        info.value
    )


@pytest.mark.parametrize("name", list(REASONS))
def test_rejected(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str, name: str
) -> None:
    with pytest.raises(exc(http, "SSLError")) as info:
        http.get(tls_servers[name].url + "/get", verify=ca_path)
    assert isinstance(info.value, exc(http, "ConnectionError"))
    message = letters(str(info.value))
    assert any(word in message for word in REASONS[name]), str(info.value)


@pytest.mark.parametrize("name", list(REASONS))
def test_verify_false_accepts_and_warns(
    http: ModuleType, tls_servers: dict[str, Server], name: str
) -> None:
    with pytest.warns(insecure_warning(http)):
        r = http.get(tls_servers[name].url + "/get", verify=False)
    assert r.status_code == 200
    assert r.json()["url"] == tls_servers[name].url + "/get"


def test_session_verify_false_warns(http: ModuleType, tls_servers: dict[str, Server]) -> None:
    with http.Session() as s:
        s.verify = False
        with pytest.warns(insecure_warning(http)):
            assert s.get(tls_servers["self-signed"].url + "/get").status_code == 200


def test_insecure_warning_class(http: ModuleType) -> None:
    assert issubclass(insecure_warning(http), Warning)
    assert insecure_warning(http).__name__ == "InsecureRequestWarning"


def test_client_certificate(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str, client_cert: tuple[str, str]
) -> None:
    r = http.get(tls_servers["client-auth"].url + "/get", verify=ca_path, cert=client_cert)
    assert r.status_code == 200
    assert r.json()["client_cert"]["commonName"] == CLIENT_NAME


def test_client_certificate_single_file(
    http: ModuleType,
    tls_servers: dict[str, Server],
    ca_path: str,
    client_cert: tuple[str, str],
    certs: Path,
) -> None:
    combined = certs / "client-combined.pem"
    combined.write_text(Path(client_cert[0]).read_text() + Path(client_cert[1]).read_text())
    r = http.get(tls_servers["client-auth"].url + "/get", verify=ca_path, cert=str(combined))
    assert r.json()["client_cert"]["commonName"] == CLIENT_NAME


def test_client_certificate_missing(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str
) -> None:
    # requests (OpenSSL) fails in the handshake with SSLError. rustls has sent its last
    # handshake flight when the server refuses it, so pyaot_http may meet the refusal as a
    # broken pipe while sending the request: a ConnectionError (SSLError's base) either way.
    with pytest.raises(exc(http, "ConnectionError")):
        http.get(tls_servers["client-auth"].url + "/get", verify=ca_path)


def test_no_client_certificate_sent_unasked(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str, client_cert: tuple[str, str]
) -> None:
    r = http.get(tls_servers["trusted"].url + "/get", verify=ca_path, cert=client_cert)
    assert "client_cert" not in r.json()


def test_https_to_plain_server(http: ModuleType, server: Server) -> None:
    with pytest.raises(exc(http, "SSLError")):
        http.get(f"https://127.0.0.1:{server.port}/get", timeout=5)


def test_plain_http_to_tls_server(http: ModuleType, tls_servers: dict[str, Server]) -> None:
    with pytest.raises(exc(http, "ConnectionError")):
        http.get(f"http://127.0.0.1:{tls_servers['trusted'].port}/get", timeout=5)


def test_redirect_from_http_to_https(
    http: ModuleType, server: Server, tls_servers: dict[str, Server], ca_path: str
) -> None:
    target = tls_servers["trusted"].url + "/get"
    r = http.get(server.url + "/redirect-to", params={"url": target}, verify=ca_path)
    assert r.url == target
    assert [h.url.split(":")[0] for h in r.history] == ["http"]


def test_https_through_connect_proxy(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str, proxy: Server
) -> None:
    tls = tls_servers["trusted"]
    r = http.get(tls.url + "/get", verify=ca_path, proxies={"https": proxy.url})
    assert r.status_code == 200
    assert "via" not in r.headers  # tunnelled, not forwarded
    assert [(s.method, s.target) for s in proxy.seen] == [("CONNECT", f"127.0.0.1:{tls.port}")]


def test_connect_proxy_credentials(
    http: ModuleType, tls_servers: dict[str, Server], ca_path: str, proxy: Server
) -> None:
    tls = tls_servers["trusted"]
    proxy_url = f"http://user:pw@127.0.0.1:{proxy.port}"
    r = http.get(tls.url + "/headers", verify=ca_path, proxies={"https": proxy_url})
    assert "proxy-authorization" not in r.json()["headers"]
    assert proxy.seen[0].method == "CONNECT"
    assert proxy.seen[0].headers["proxy-authorization"] == "Basic dXNlcjpwdw=="


def test_https_proxy_from_environment(
    http: ModuleType,
    tls_servers: dict[str, Server],
    ca_path: str,
    proxy: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    tls = tls_servers["trusted"]
    # A new session: pyaot_http's module-level calls share one pool, and an earlier test's
    # tunnel to this server through this proxy would be reused without a new CONNECT.
    with http.Session() as session:
        assert session.get(tls.url + "/get", verify=ca_path).status_code == 200
    assert [s.method for s in proxy.seen] == ["CONNECT"]


def test_sni_names_the_host(http: ModuleType, ca: trustme.CA, ca_path: str) -> None:
    """The client says which host it wants in the handshake (SNI) for a host name, and sends
    none for an IP address (as the TLS spec says)."""
    seen: list[str | None] = []
    context = server_context(ca.issue_cert("127.0.0.1", "localhost"))
    context.sni_callback = lambda _sock, name, _ctx: seen.append(name)  # type: ignore[assignment]
    with Server(servers.HttpbinHandler, context) as tls:
        assert http.get(tls.url_for("/get", host="localhost"), verify=ca_path).status_code == 200
        assert http.get(tls.url_for("/get", host="127.0.0.1"), verify=ca_path).status_code == 200
    assert seen == ["localhost", None]
