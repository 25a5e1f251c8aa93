"""Passwords in the OS keychain (the only module that imports keyring)."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from missend_guard.core.errors import UserError

T = TypeVar("T")
RELAY_KEY = "relay-password"
_ACCOUNT_PREFIX = "account:"


class KeychainUnavailable(UserError):  # noqa: N818 (name fixed by storage_api.md)
    """No usable keychain; the message says what to install or configure."""


def _how_to_fix() -> str:
    if sys.platform == "darwin":
        return "Unlock the login keychain in Keychain Access and try again."
    if sys.platform == "win32":
        return "Windows Credential Manager is not reachable; sign in to Windows normally and retry."
    return (
        "Install and unlock a keychain (gnome-keyring or KWallet) in your desktop session. "
        "On a headless server, set PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring "
        "(needs `pip install keyrings.alt`); note that this stores passwords in a plain-text "
        "file readable by anyone who can read your home directory."
    )


class Secrets:
    """Relay password, account passwords and other secrets under one keychain service name."""

    def __init__(self, service: str = "missend-guard", backend: Any | None = None) -> None:
        self.service = service
        # None = keyring's configured backend (PYTHON_KEYRING_BACKEND, keyringrc).
        self._backend = backend

    def _keyring(self) -> keyring.backend.KeyringBackend:
        try:
            backend = self._backend if self._backend is not None else keyring.get_keyring()
        except (ImportError, AttributeError, ValueError, keyring.errors.InitError) as exc:
            # PYTHON_KEYRING_BACKEND or keyringrc names a backend that cannot be loaded.
            chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "")
            named = f" {chosen!r} (PYTHON_KEYRING_BACKEND)" if chosen else ""
            raise KeychainUnavailable(
                f"The keychain backend{named} could not be loaded ({exc}). Install the package "
                f"that provides it (for keyrings.alt: pip install keyrings.alt) or choose another "
                f"one. {_how_to_fix()}"
            ) from None
        # fail.Keyring: nothing usable was found; null.Keyring silently drops what it is given.
        if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
            raise KeychainUnavailable(f"No usable keychain was found. {_how_to_fix()}")
        return backend

    def _call(self, action: str, operation: Callable[[keyring.backend.KeyringBackend], T]) -> T:
        backend = self._keyring()
        try:
            return operation(backend)
        except keyring.errors.KeyringLocked:
            raise KeychainUnavailable(
                f"The keychain is locked, so the password could not be {action}. "
                f"Unlock it and try again. {_how_to_fix()}"
            ) from None
        except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
            raise KeychainUnavailable(
                f"The keychain could not be used ({exc}). {_how_to_fix()}"
            ) from None
        except keyring.errors.PasswordDeleteError:
            raise
        except Exception as exc:
            # Backends raise their own errors (D-Bus, Secret Service, Win32): the user needs an
            # actionable message rather than a traceback from deep inside the keychain stack.
            raise KeychainUnavailable(
                f"The keychain ({type(backend).__name__}) failed while the password was being "
                f"{action}: {exc}. {_how_to_fix()}"
            ) from exc

    def get(self, key: str) -> str | None:
        """The secret stored under `key`, or None."""
        return self._call("read", lambda b: b.get_password(self.service, key))

    def put(self, key: str, value: str) -> None:
        """Store (or replace) a secret."""
        self._call("saved", lambda b: b.set_password(self.service, key, value))

    def delete(self, key: str) -> None:
        """Remove a secret; nothing happens when it does not exist."""
        def remove(backend: keyring.backend.KeyringBackend) -> None:
            # Already gone is fine: deleting is idempotent for our callers.
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(self.service, key)

        self._call("deleted", remove)

    def relay_password(self) -> str:
        """The local relay's AUTH password, generated (token_urlsafe) and stored on first use."""
        password = self.get(RELAY_KEY)
        if password:
            return password
        password = secrets.token_urlsafe(24)
        self.put(RELAY_KEY, password)
        # Read back: a backend that accepts but does not keep (or a race with another process)
        # must not leave the relay with a password the mail client was never told.
        stored = self.get(RELAY_KEY)
        if not stored:
            raise KeychainUnavailable(
                f"The keychain accepted the relay password but did not keep it. {_how_to_fix()}"
            )
        return stored

    def reset_relay_password(self) -> str:
        """Replace the relay password with a new random one."""
        self.delete(RELAY_KEY)
        return self.relay_password()

    def account_password(self, name: str) -> str | None:
        """The password of account `name`, or None."""
        return self.get(_ACCOUNT_PREFIX + name)

    def set_account_password(self, name: str, password: str) -> None:
        """Store the password of account `name`."""
        self.put(_ACCOUNT_PREFIX + name, password)

    def delete_account_password(self, name: str) -> None:
        """Forget the password of account `name`."""
        self.delete(_ACCOUNT_PREFIX + name)
