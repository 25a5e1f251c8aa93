"""A fake Microsoft identity platform (device code, tokens, refresh) for MSAL, checking request shapes."""

from __future__ import annotations

import base64
import itertools
import json
import time
from urllib.parse import urlsplit

CLIENT_ID = "11111111-2222-3333-4444-555555555555"


HOST = "login.microsoftonline.com"


TENANT = "organizations"


BASE = f"https://{HOST}/{TENANT}"


def _b64url(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class FakeResponse:
    """The requests-like shape MSAL reads."""

    def __init__(self, status: int, payload: dict) -> None:
        self.status_code = status
        self.text = json.dumps(payload)
        self.headers: dict[str, str] = {"Content-Type": "application/json"}

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


class FakeAuthority:
    """Entra ID's endpoints as MSAL uses them: discovery, device code, token (refresh, device)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []  # (method, path, grant_type)
        self.unknown: list[str] = []
        self.expires_in = 3600
        self.revoked: set[str] = set()
        self.issued_refresh: set[str] = set()
        self._n = itertools.count(1)

    def get(self, url, params=None, headers=None, **kwargs):
        path = urlsplit(url).path
        self.calls.append(("GET", path, ""))
        if path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            return FakeResponse(200, {
                "authorization_endpoint": f"{BASE}/oauth2/v2.0/authorize",
                "token_endpoint": f"{BASE}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{BASE}/oauth2/v2.0/devicecode",
                "issuer": f"https://{HOST}/{{tenantid}}/v2.0",
            })
        if path == "/common/discovery/instance":
            return FakeResponse(200, {"tenant_discovery_endpoint": "x", "metadata": [{
                "preferred_network": HOST, "preferred_cache": "login.windows.net",
                "aliases": [HOST, "login.windows.net", "login.microsoft.com"]}]})
        self.unknown.append(url)
        return FakeResponse(404, {"error": "not_found"})

    def post(self, url, params=None, data=None, headers=None, **kwargs):
        path = urlsplit(url).path
        data = data or {}
        grant = data.get("grant_type", "")
        self.calls.append(("POST", path, grant))
        if path == f"/{TENANT}/oauth2/v2.0/devicecode":
            return FakeResponse(200, {
                "device_code": "dev-code", "user_code": "ABCD-EFGH", "interval": 1,
                "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900,
                "message": "To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH.",
            })
        if path != f"/{TENANT}/oauth2/v2.0/token":
            self.unknown.append(url)
            return FakeResponse(404, {"error": "not_found"})
        if grant == "refresh_token":
            token = data.get("refresh_token")
            if token not in self.issued_refresh or token in self.revoked:
                return FakeResponse(400, {
                    "error": "invalid_grant",
                    "error_description": "AADSTS50173: The provided grant has expired due to it "
                                         "being revoked.",
                })
            return self._tokens()
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            return self._tokens()
        return FakeResponse(400, {"error": "unsupported_grant_type"})

    def _tokens(self) -> FakeResponse:
        n = next(self._n)
        self.issued_refresh.add(f"rt-{n}")
        now = int(time.time())
        claims = {"iss": f"https://{HOST}/tid-1/v2.0", "aud": CLIENT_ID, "sub": "sub-1",
                  "oid": "uid-1", "tid": "tid-1", "iat": now, "exp": now + 3600,
                  "preferred_username": "ken.yamamoto@example.co.jp", "name": "山本 健"}
        return FakeResponse(200, {
            "token_type": "Bearer", "scope": "Mail.Send Mail.ReadWrite openid profile",
            "expires_in": self.expires_in, "access_token": f"at-{n}", "refresh_token": f"rt-{n}",
            "id_token": f"{_b64url({'alg': 'none'})}.{_b64url(claims)}.",
            "client_info": _b64url({"uid": "uid-1", "utid": "tid-1"}),
        })

    def grants(self) -> list[str]:
        return [g for m, p, g in self.calls if p.endswith("/token")]
