"""Shared fixtures: free loopback ports, a test keychain, real SMTP sinks (plain and TLS)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import trustme

    from tests.helpers.sink import Sink

SINK_USER = "sink-user"
SINK_PASSWORD = "sink-pässword-1"  # non-ASCII on purpose: AUTH must carry UTF-8


def find_free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def free_port() -> int:
    """One free loopback port."""
    return find_free_port()


class MemoryKeyring:
    """A keyring backend in memory (keyring ships none); selected per test with keyring.set_keyring."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        import keyring.errors

        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)

    def get_credential(self, service: str, username: str | None) -> Any:
        return None


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """keyring's process-wide backend replaced by an in-memory one for this test."""
    import keyring
    import keyring.backend

    backend_cls = type("TestMemoryKeyring", (MemoryKeyring, keyring.backend.KeyringBackend), {})
    backend = backend_cls()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def keyring_file_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a subprocess using keyrings.alt's plaintext file under tmp_path.

    keyrings.alt puts its file in keyring's data_root(): $XDG_DATA_HOME/python_keyring on Linux.
    """
    pytest.importorskip("keyrings.alt", reason="keyrings.alt is needed for subprocess keychains")
    import os

    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")  # no keyringrc of the developer's
    return env


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    """A plain upstream SMTP server (no TLS, no AUTH) on a free loopback port."""
    from tests.helpers.sink import Sink

    sink = Sink(find_free_port()).start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    """A throw-away certificate authority (trustme)."""
    import trustme

    return trustme.CA()


@pytest.fixture
def ca_file(tls_ca: trustme.CA, tmp_path: Path) -> str:
    """The test CA as a PEM file, for a client's `cafile`."""
    path = tmp_path / "test-ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def tls_sink_factory(tls_ca: trustme.CA) -> Iterator[Callable[[str], Sink]]:
    """Start upstreams with TLS (`ssl` or `starttls`) and required AUTH (SINK_USER/SINK_PASSWORD)."""
    import ssl

    from tests.helpers.sink import Sink

    started: list[Sink] = []

    def make(security: str) -> Sink:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        sink = Sink(find_free_port(), security=security, tls=context, user=SINK_USER,
                    password=SINK_PASSWORD)
        started.append(sink.start())
        return sink

    try:
        yield make
    finally:
        for sink in started:
            sink.stop()


@pytest.fixture
def graph_isolation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Microsoft 365 tests: nothing reaches the internet, the token cache never uses the real keyring."""
    import msal_extensions

    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: object) -> object:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"test tried to reach {address}")
        return real_connect(sock, address)

    def no_keyring(location: str) -> None:
        raise RuntimeError("libsecret did not perform properly (test machine)")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", no_keyring)
