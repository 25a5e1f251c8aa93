"""Microsoft 365 sign-in for the Graph sender: an MSAL public client with an encrypted token cache."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import msal
import msal_extensions

DEFAULT_TENANT = "organizations"  # work and school accounts of any tenant; no personal accounts
DEFAULT_AUTHORITY_HOST = "login.microsoftonline.com"
# Mail.Send for sendMail; Mail.ReadWrite for drafts, upload sessions (mail over 4 MB) and the
# Sent Items look-up that avoids a double send. MSAL adds offline_access/openid/profile itself
# (and refuses them in this list).
GRAPH_SCOPES: tuple[str, ...] = ("Mail.Send", "Mail.ReadWrite")
# Set to "1" to allow an unencrypted token cache file. For headless test machines only.
PLAINTEXT_CACHE_ENV = "MISSEND_GUARD_PLAINTEXT_TOKEN_CACHE"

# Answers from the token endpoint that mean only the user can fix it by signing in again.
_SIGN_IN_ERRORS = frozenset({
    "invalid_grant", "interaction_required", "login_required", "consent_required",
    "invalid_client", "unauthorized_client",
})

ShowDeviceCode = Callable[[str, str, str], None]


class GraphAuthError(Exception):
    """Sign-in could not work: no client id, no safe token storage, sign-in refused or unreachable."""


class SignInRequired(GraphAuthError):  # noqa: N818 -- name agreed with the delivery worker
    """No usable token without the user: never signed in, refresh token revoked or expired."""


def plaintext_cache_allowed(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """True when the documented test-only opt-in for an unencrypted cache is set."""
    env = os.environ if environ is None else environ
    return env.get(PLAINTEXT_CACHE_ENV, "") == "1"


def _build_cache(cache_path: Path, allow_plaintext: bool) -> msal.SerializableTokenCache:
    """A token cache persisted with the OS's encryption (DPAPI, Keychain, libsecret)."""
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        persistence = msal_extensions.build_encrypted_persistence(str(cache_path))
    except (ImportError, RuntimeError, OSError, ValueError) as exc:
        if not allow_plaintext:
            raise GraphAuthError(
                "No encrypted storage for the Microsoft 365 sign-in is available on this system "
                f"({exc}). On Linux install libsecret and PyGObject (gir1.2-secret-1, python3-gi) "
                "and run a keyring such as gnome-keyring; on Windows and macOS this works out of "
                f"the box. For a headless test machine only, set {PLAINTEXT_CACHE_ENV}=1."
            ) from exc
        # Tokens readable by this user only, never by others on the machine.
        cache_path.touch(mode=0o600, exist_ok=True)
        cache_path.chmod(0o600)
        persistence = msal_extensions.FilePersistence(str(cache_path))
    return msal_extensions.PersistedTokenCache(persistence)


def _describe(result: dict[str, Any]) -> str:
    text = str(result.get("error_description") or result.get("error") or "no details")
    return text.splitlines()[0] if text else "no details"


class GraphAuth:
    """Signs one Microsoft 365 account in and hands out Graph access tokens, refreshed silently."""

    def __init__(
        self, client_id: str, tenant: str, cache_path: Path, *,
        authority_host: str = DEFAULT_AUTHORITY_HOST, http_client: Any = None,
        allow_plaintext_cache: bool = False, username: str | None = None,
        scopes: Sequence[str] = GRAPH_SCOPES,
    ) -> None:
        if not client_id.strip():
            raise GraphAuthError(
                "No Microsoft Entra application (client id) is configured for this account. "
                "Your administrator registers one with the delegated Mail.Send permission; "
                "see docs/microsoft-365.md."
            )
        self.client_id = client_id.strip()
        self.tenant = tenant.strip() or DEFAULT_TENANT
        self.authority = f"https://{authority_host}/{self.tenant}"
        self.scopes = list(scopes)
        self.username = username
        self._cache = _build_cache(Path(cache_path), allow_plaintext_cache)
        self._http_client = http_client
        self._app: msal.PublicClientApplication | None = None
        self._lock = threading.Lock()  # one refresh at a time; MSAL's cache is shared

    def _application(self) -> msal.PublicClientApplication:
        """Built on first use: construction already talks to the authority."""
        if self._app is None:
            try:
                self._app = msal.PublicClientApplication(
                    self.client_id, authority=self.authority, token_cache=self._cache,
                    http_client=self._http_client,
                )
            except (OSError, ValueError, httpx.HTTPError) as exc:
                raise GraphAuthError(f"Could not reach Microsoft sign-in: {exc}") from exc
        return self._app

    def _account(self, app: msal.PublicClientApplication) -> dict[str, Any] | None:
        accounts: list[dict[str, Any]] = app.get_accounts(username=self.username or None)
        return accounts[0] if accounts else None

    def signed_in_user(self) -> str | None:
        """The cached account's user name, or None when nobody is signed in."""
        with self._lock:
            try:
                account = self._account(self._application())
            except (OSError, ValueError, httpx.HTTPError) as exc:
                raise GraphAuthError(f"Could not read the Microsoft 365 sign-in: {exc}") from exc
        return str(account["username"]) if account else None

    def token(self, scopes: Sequence[str] | None = None, *, force_refresh: bool = False) -> str:
        """An access token without user interaction; raises SignInRequired when that is impossible."""
        with self._lock:
            try:
                app = self._application()
                account = self._account(app)
                if account is None:
                    raise SignInRequired("Not signed in to Microsoft 365 yet.")
                result = app.acquire_token_silent_with_error(
                    list(scopes or self.scopes), account=account, force_refresh=force_refresh,
                )
            except (OSError, ValueError, httpx.HTTPError) as exc:
                # Network down or keychain locked: worth retrying later, not a sign-in problem.
                raise GraphAuthError(f"Could not refresh the Microsoft 365 sign-in: {exc}") from exc
        if result is None:
            raise SignInRequired("The Microsoft 365 sign-in has expired.")
        if "access_token" in result:
            return str(result["access_token"])
        if result.get("error") in _SIGN_IN_ERRORS:
            raise SignInRequired(f"Microsoft 365 asks to sign in again: {_describe(result)}")
        raise GraphAuthError(f"Microsoft sign-in failed: {_describe(result)}")

    def sign_in_interactive(self, *, timeout: float | None = 300) -> str:
        """Sign in with the system browser (loopback redirect); returns the user name."""
        try:
            app = self._application()
            result = app.acquire_token_interactive(
                self.scopes, prompt=msal.Prompt.SELECT_ACCOUNT, login_hint=self.username,
                timeout=timeout,
            )
        except (OSError, ValueError, httpx.HTTPError) as exc:
            raise GraphAuthError(f"Browser sign-in could not start: {exc}") from exc
        return self._signed_in(result)

    def sign_in_device_code(
        self, show: ShowDeviceCode, cancelled: threading.Event | None = None,
    ) -> str:
        """Sign in on another device: `show(user_code, verification_uri, message)`, then wait."""
        try:
            app = self._application()
            flow = app.initiate_device_flow(self.scopes)
            if "user_code" not in flow:
                raise GraphAuthError(f"Microsoft refused the device sign-in: {_describe(flow)}")
            show(str(flow["user_code"]), str(flow["verification_uri"]), str(flow["message"]))
            stop = cancelled or threading.Event()
            result = app.acquire_token_by_device_flow(
                flow,
                exit_condition=lambda f: stop.is_set() or f.get("expires_at", 0) < time.time(),
            )
        except (OSError, ValueError, httpx.HTTPError) as exc:
            raise GraphAuthError(f"Device sign-in failed: {exc}") from exc
        return self._signed_in(result)

    def _signed_in(self, result: dict[str, Any]) -> str:
        if "access_token" not in result:
            raise GraphAuthError(f"Microsoft 365 sign-in did not complete: {_describe(result)}")
        claims = result.get("id_token_claims") or {}
        username = str(claims.get("preferred_username") or claims.get("email") or "")
        if username:
            self.username = username
        return username

    def sign_out(self) -> None:
        """Forget the cached tokens of this account."""
        with self._lock:
            app = self._application()
            for account in app.get_accounts(username=self.username or None):
                app.remove_account(account)
