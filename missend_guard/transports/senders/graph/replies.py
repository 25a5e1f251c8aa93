"""What Microsoft Graph's answers mean for a send: retry, failed, or uncertain (a lost reply)."""

from __future__ import annotations

import email.utils
import time

import httpx

from missend_guard.core.ports.sending import DeliveryError

_TEMPORARY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
# Errors that prove the request never reached Graph whole: it cannot have been acted on.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError,
             httpx.WriteTimeout, httpx.LocalProtocolError, httpx.UnsupportedProtocol,
             httpx.ProxyError)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def graph_error(response: httpx.Response) -> tuple[str, str]:
    """Graph's error.code and error.message, or the status line when the body is not Graph's."""
    try:
        error = response.json().get("error") or {}
        return str(error.get("code") or response.reason_phrase), str(error.get("message") or "")
    except (ValueError, AttributeError):
        return response.reason_phrase, response.text[:200]


def failure(response: httpx.Response, step: str, *, committing: bool = False) -> DeliveryError:
    """The DeliveryError for an unexpected status; a gateway timeout to a send is uncertain."""
    code, message = graph_error(response)
    reply = f"Microsoft Graph {response.status_code} {code}: {message} ({step})".replace(" : ", ": ")
    if committing and response.status_code == 504:
        # A gateway gave up waiting for Exchange, which may still have sent the mail.
        return DeliveryError(reply, temporary=True, uncertain=True)
    if response.status_code in _TEMPORARY_STATUS:
        return DeliveryError(
            reply, temporary=True, retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    return DeliveryError(reply, temporary=False)


def transport_failure(exc: httpx.TransportError, step: str, *, committing: bool) -> DeliveryError:
    """A request that got no answer: temporary, or uncertain when a send may have been acted on."""
    what = "timed out" if isinstance(exc, httpx.TimeoutException) else "unreachable"
    reply = f"Microsoft Graph {what} ({step}): {exc or type(exc).__name__}"
    if committing and not isinstance(exc, _NOT_SENT):
        return DeliveryError(f"{reply}; the mail may have been sent", temporary=True,
                             uncertain=True)
    return DeliveryError(reply, temporary=True)
