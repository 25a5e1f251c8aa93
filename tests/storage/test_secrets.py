from __future__ import annotations

import sys

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from missend_guard.storage.secrets import KeychainUnavailable, Secrets


class MemoryKeyring(keyring.backend.KeyringBackend):
    """In-memory backend so tests never touch a real keychain."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.store[(service, username)]


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("collection is locked")


class DbusBrokenKeyring(MemoryKeyring):
    def set_password(self, service, username, password):
        raise ConnectionError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_relay_password_generated_once_and_stored(memory_keyring):
    secrets = Secrets()
    first = secrets.relay_password()
    assert len(first) >= 32
    assert memory_keyring.store[("missend-guard", "relay-password")] == first
    assert Secrets().relay_password() == first
    assert secrets.reset_relay_password() != first


def test_account_passwords_and_generic_secrets(memory_keyring):
    secrets = Secrets(service="mg-test")
    assert secrets.account_password("会社") is None
    secrets.set_account_password("会社", "pä55-wörd")
    assert secrets.account_password("会社") == "pä55-wörd"
    secrets.delete_account_password("会社")
    assert secrets.account_password("会社") is None
    secrets.delete_account_password("会社")  # already gone: no error
    secrets.put("graph-cache", "x")
    assert secrets.get("graph-cache") == "x"
    secrets.delete("graph-cache")
    assert secrets.get("graph-cache") is None
    assert all(service == "mg-test" for service, _ in memory_keyring.store)


def test_no_backend_names_what_to_do():
    secrets = Secrets(backend=keyring.backends.fail.Keyring())
    with pytest.raises(KeychainUnavailable) as caught:
        secrets.relay_password()
    message = str(caught.value)
    assert "No usable keychain" in message
    if sys.platform.startswith("linux"):
        assert "gnome-keyring" in message
        assert "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring" in message
        assert "pip install keyrings.alt" in message
        assert "plain-text" in message


def test_fail_backend_selected_globally_is_detected():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(KeychainUnavailable):
            Secrets().get("x")
    finally:
        keyring.set_keyring(previous)


def test_locked_keychain_message():
    with pytest.raises(KeychainUnavailable, match="locked"):
        Secrets(backend=LockedKeyring()).account_password("a")


def test_backend_specific_errors_become_keychain_unavailable():
    with pytest.raises(KeychainUnavailable, match=r"DbusBrokenKeyring.*ServiceUnknown"):
        Secrets(backend=DbusBrokenKeyring()).set_account_password("a", "b")


def test_plaintext_file_backend(tmp_path):
    file_backend = pytest.importorskip("keyrings.alt.file")
    backend = file_backend.PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    secrets = Secrets(backend=backend)
    password = secrets.relay_password()
    assert (tmp_path / "keyring_pass.cfg").exists()
    again = file_backend.PlaintextKeyring()
    again.file_path = str(tmp_path / "keyring_pass.cfg")
    assert Secrets(backend=again).relay_password() == password


def test_a_backend_named_but_not_installed_is_a_clear_error_not_a_traceback(tmp_path):
    """The README's Linux-server hint names keyrings.alt; without it installed, say what to do."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyrings.not_installed.file.PlaintextKeyring"}
    done = subprocess.run(
        [sys.executable, "-m", "missend_guard", "relay-password", "--data-dir", str(tmp_path)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "keyrings.not_installed.file.PlaintextKeyring" in done.stderr
    assert "could not be loaded" in done.stderr
