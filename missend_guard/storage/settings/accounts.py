"""Upstream accounts as settings.json holds them: an SMTP server or Microsoft 365, no passwords."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from missend_guard.core.ports.sending import SECURITY_MODES
from missend_guard.storage.settings.schema import SettingsError

ACCOUNT_KINDS = ("smtp", "graph")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Account:
    """An upstream account (SMTP server or Microsoft 365); its password lives in the keychain."""

    name: str
    kind: str = "smtp"
    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    from_addresses: tuple[str, ...] = ()
    default: bool = False
    client_id: str = ""
    tenant: str = "organizations"

    def __post_init__(self) -> None:
        addresses = tuple(a.strip().lower() for a in self.from_addresses)
        object.__setattr__(self, "from_addresses", addresses)
        label = f"Account {self.name!r}"
        if not self.name.strip():
            raise SettingsError("An account needs a name.")
        if self.kind not in ACCOUNT_KINDS:
            raise SettingsError(f"{label}: kind must be smtp or graph, not {self.kind!r}.")
        if self.kind == "smtp":
            if not self.host:
                raise SettingsError(f"{label}: the SMTP server (host) is missing.")
            port = self.port
            if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
                raise SettingsError(f"{label}: port must be between 1 and 65535, not {port!r}.")
            if self.security not in SECURITY_MODES:
                raise SettingsError(
                    f"{label}: security must be starttls, ssl or none, not {self.security!r}."
                )
            if self.security == "none" and not _is_loopback(self.host):
                # Without TLS the password and the mail would cross the network in clear text.
                raise SettingsError(
                    f"{label}: security 'none' is only allowed for a server on this computer "
                    f"(localhost); use starttls or ssl for {self.host}."
                )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (no password: that is in the keychain)."""
        return {
            "name": self.name, "kind": self.kind, "host": self.host, "port": self.port,
            "security": self.security, "username": self.username,
            "from_addresses": list(self.from_addresses), "default": self.default,
            "client_id": self.client_id, "tenant": self.tenant,
        }

    @classmethod
    def from_json(cls, data: Any) -> Account:
        """Read one account; SettingsError when the entry is not usable."""
        if not isinstance(data, Mapping):
            raise SettingsError(f"An account entry must be an object, not {data!r}.")
        known = {
            "name", "kind", "host", "port", "security", "username", "from_addresses", "default",
            "client_id", "tenant",
        }
        kwargs = {k: v for k, v in data.items() if k in known}
        for key in ("name", "kind", "host", "security", "username", "client_id", "tenant"):
            if key in kwargs and not isinstance(kwargs[key], str):
                raise SettingsError(f"Account field {key!r} must be text, not {kwargs[key]!r}.")
        addresses = kwargs.get("from_addresses", [])
        if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
            raise SettingsError("Account field 'from_addresses' must be a list of addresses.")
        kwargs["from_addresses"] = tuple(addresses)
        kwargs["default"] = bool(kwargs.get("default", False))
        return cls(**kwargs)


def check_accounts(accounts: tuple[Account, ...]) -> None:
    """SettingsError when two accounts share a name or more than one is the default."""
    names = [a.name.casefold() for a in accounts]
    duplicates = {a.name for a in accounts if names.count(a.name.casefold()) > 1}
    if duplicates:
        first = sorted(duplicates)[0]
        raise SettingsError(f"Two accounts share the name {first!r}; names must differ.")
    if sum(a.default for a in accounts) > 1:
        raise SettingsError("Only one account can be the default.")
