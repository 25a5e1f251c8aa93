"""Sender for Microsoft 365 through Microsoft Graph: MIME sendMail, or a draft with upload sessions."""

from __future__ import annotations

import base64
import contextlib
import email.utils
import hashlib
import json
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

import httpx

from missend_guard.core.ports.sending import Committing, DeliveryError
from missend_guard.transports.senders.graph.auth import GraphAuthError, SignInRequired
from missend_guard.transports.senders.graph.mime import (
    DetachedFile,
    base64_size,
    envelope_only,
    header_only,
    recipient_problems,
    split_for_draft,
    with_bcc,
)
from missend_guard.transports.senders.graph.replies import failure, transport_failure

GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
# Graph refuses request bodies over 4 MB. For MIME the body is the unbroken base64 text, so that
# length is what is measured; the decimal reading of "4 MB" keeps us safely under either reading.
REQUEST_LIMIT = 4_000_000
UPLOAD_SESSION_OVER = 3 * 1024 * 1024  # Graph: files of 3 MB and more go through an upload session
UPLOAD_MAX = 150 * 1024 * 1024  # Graph's ceiling for one attachment
CHUNK = 10 * 320 * 1024  # upload ranges must be multiples of 320 KiB and at most 4 MB
_JSON_OVERHEAD = 4096  # room for the JSON around a small attachment's base64
SIGN_IN_AGAIN = "Sign in to Microsoft 365 again"


class GraphSignInRequiredError(DeliveryError):
    """Graph needs the user to sign in; the mail stays held (temporary) until they do."""

    sign_in_required = True

    def __init__(self, detail: str) -> None:
        super().__init__(f"{SIGN_IN_AGAIN}: {detail}", temporary=True)


def resume_key(raw: bytes, rcpt_tos: Sequence[str]) -> str:
    """Stable key of one send (same bytes, same recipients) for the resume state."""
    digest = hashlib.sha256(raw)
    digest.update(b"\0" + "\n".join(rcpt_tos).encode("utf-8"))
    return digest.hexdigest()


class _Session:
    """One send's calls: bearer token, one silent refresh on 401, errors as DeliveryError."""

    def __init__(self, sender: GraphSender) -> None:
        self._sender = sender
        self._token = sender._fresh_token(force=False)
        self._refreshed = False

    def call(
        self, method: str, path: str, step: str, *, expect: Sequence[int],
        content: bytes | None = None, json_body: Any = None, content_type: str | None = None,
        params: dict[str, str] | None = None, committing: bool = False,
    ) -> httpx.Response:
        """A Graph API call; the response when its status is in `expect`.

        `committing`: the request that sends the mail; a reply lost to it is uncertain.
        """
        url = self._sender.base_url + path
        while True:
            headers = {
                "Authorization": f"Bearer {self._token}",
                # Ids that survive the move from Drafts to Sent Items, so a resume can tell "sent".
                "Prefer": 'IdType="ImmutableId"',
            }
            if content_type:
                headers["Content-Type"] = content_type
            response = self._sender._request(
                method, url, step, headers=headers, content=content, json_body=json_body,
                params=params, committing=committing,
            )
            if response.status_code == 401:
                if self._refreshed:
                    raise self._sender._sign_in_required(
                        "Microsoft 365 refused the refreshed sign-in"
                    )
                self._refreshed = True
                self._token = self._sender._fresh_token(force=True)
                continue
            if response.status_code not in expect:
                raise failure(response, step, committing=committing)
            return response


class GraphSender:
    """Delivers exact MIME bytes through Microsoft Graph as the signed-in user."""

    def __init__(
        self, token_provider: Callable[[], str], *, base_url: str = GRAPH_BASE_URL,
        save_to_sent_items: bool = True, http_client: httpx.Client | None = None,
        on_sign_in_required: Callable[[str], None] | None = None,
        refresh_token: Callable[[], str] | None = None,
        state: MutableMapping[str, str] | None = None,
        request_limit: int = REQUEST_LIMIT, chunk_size: int = CHUNK,
    ) -> None:
        if chunk_size % (320 * 1024) or chunk_size > 4 * 1024 * 1024:
            raise ValueError("chunk_size must be a multiple of 320 KiB and at most 4 MiB")
        self.base_url = base_url.rstrip("/")
        self.save_to_sent_items = save_to_sent_items
        self._token_provider = token_provider
        self._refresh_token = refresh_token or token_provider
        self._on_sign_in_required = on_sign_in_required
        self._client = http_client or httpx.Client(timeout=httpx.Timeout(120.0, connect=15.0))
        self.state: MutableMapping[str, str] = {} if state is None else state
        self.request_limit = request_limit
        self.chunk_size = chunk_size

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    # -- plumbing ---------------------------------------------------------------------------

    def _sign_in_required(self, detail: str) -> GraphSignInRequiredError:
        error = GraphSignInRequiredError(detail)
        if self._on_sign_in_required is not None:
            self._on_sign_in_required(error.reply)
        return error

    def _fresh_token(self, *, force: bool) -> str:
        try:
            return (self._refresh_token if force else self._token_provider)()
        except SignInRequired as exc:
            raise self._sign_in_required(str(exc)) from exc
        except GraphAuthError as exc:
            raise DeliveryError(f"Microsoft 365 sign-in unavailable: {exc}", temporary=True) from exc

    def _request(
        self, method: str, url: str, step: str, *, headers: dict[str, str],
        content: bytes | None = None, json_body: Any = None, params: dict[str, str] | None = None,
        committing: bool = False,
    ) -> httpx.Response:
        try:
            return self._client.request(
                method, url, headers=headers, content=content, json=json_body, params=params,
            )
        except httpx.TransportError as exc:
            raise transport_failure(exc, step, committing=committing) from exc

    def _save(self, key: str, **values: str) -> None:
        self.state[key] = json.dumps(values)

    def _load(self, key: str) -> dict[str, str]:
        try:
            loaded = json.loads(self.state.get(key) or "{}")
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _forget(self, key: str) -> None:
        self.state.pop(key, None)

    # -- the port ---------------------------------------------------------------------------

    def send(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str], *,
             on_committing: Committing | None = None) -> str:
        """Deliver `raw` to exactly the envelope recipients, or raise DeliveryError.

        `on_committing()` runs right before the request that sends (sendMail, or the draft's send).
        """
        if not rcpt_tos:
            raise DeliveryError("No recipients in the envelope", temporary=False)
        extra = header_only(raw, rcpt_tos)
        if extra:
            # Graph sends to every header recipient; these were not asked for in this envelope.
            raise DeliveryError(
                "Not sent: Microsoft 365 would also deliver to header recipients missing from the "
                f"envelope ({', '.join(extra)})", temporary=False,
            )
        problems = recipient_problems(raw, rcpt_tos)
        if problems:
            raise DeliveryError(f"Not sent: {'; '.join(problems)}", temporary=False)
        mime = with_bcc(raw, envelope_only(raw, rcpt_tos))
        key = resume_key(raw, rcpt_tos)
        session = _Session(self)
        # MIME sendMail always keeps a Sent Items copy (it has no saveToSentItems for MIME), so
        # "don't save" goes through a draft marked delete-after-submit.
        committing = on_committing or _nothing
        if self.save_to_sent_items and base64_size(len(mime)) <= self.request_limit:
            return self._send_mime(session, key, mime, committing)
        return self._send_draft(session, key, mime, committing)

    def find_delivered(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str]) -> str | None:
        """After a lost reply: where Graph shows the mail as sent, or None (not seen, or no look)."""
        key = resume_key(raw, rcpt_tos)
        saved = self._load(key)
        session = _Session(self)
        where = saved.get("draft", "")
        if where:
            state = self._draft_state(session, where)
            if not (state == "sent" or (state == "gone" and saved.get("phase") == "send")):
                return None
            where = f"message {where}"
        else:
            where = self._find_sent(session, raw) or ""
            if not where:
                return None
        self._forget(key)
        return f"Microsoft Graph: already sent before a lost reply ({where})"

    # -- up to 4 MB: one sendMail -----------------------------------------------------------

    def _send_mime(self, session: _Session, key: str, mime: bytes, committing: Committing) -> str:
        pending = self._load(key)
        if pending.get("phase") == "sendmail":
            found = self._find_sent(session, mime)
            if found:
                self._forget(key)
                return f"Microsoft Graph: already sent before a lost reply ({found})"
        self._save(key, phase="sendmail")
        committing()
        try:
            response = session.call(
                "POST", "/me/sendMail", "sendMail", expect=(202, 200),
                content=base64.b64encode(mime), content_type="text/plain", committing=True,
            )
        except DeliveryError as exc:
            if not exc.temporary:
                self._forget(key)
            raise
        self._forget(key)
        return f"Microsoft Graph {response.status_code} Accepted (sendMail){_request_id(response)}"

    def _find_sent(self, session: _Session, mime: bytes) -> str | None:
        """After a lost sendMail reply: the Sent Items copy with this Message-ID, if any."""
        message_id = _message_id(mime)
        if not message_id:
            return None
        try:
            response = session.call(
                "GET", "/me/mailFolders/sentitems/messages", "look for an earlier send",
                expect=(200,), params={
                    "$filter": "internetMessageId eq '{}'".format(message_id.replace("'", "''")),
                    "$select": "id,internetMessageId",
                },
            )
        except DeliveryError as exc:
            if exc.temporary:
                raise
            return None  # cannot look (e.g. no Mail.Read consent): sending again beats losing it
        found = response.json().get("value") or []
        return str(found[0].get("id")) if found else None

    # -- over 4 MB: draft, attachments, send ------------------------------------------------

    def _send_draft(self, session: _Session, key: str, mime: bytes, committing: Committing) -> str:
        try:
            parts = split_for_draft(
                mime, request_limit=self.request_limit, always_detach_over=UPLOAD_SESSION_OVER - 1,
            )
        except ValueError as exc:
            raise DeliveryError(f"Not sent: {exc}", temporary=False) from exc
        for file in parts.files:
            if len(file.data) > UPLOAD_MAX:
                raise DeliveryError(
                    f"Not sent: attachment {file.name!r} is {len(file.data)} bytes, over Microsoft "
                    "Graph's 150 MB limit", temporary=False,
                )
        saved = self._load(key)
        draft_id = saved.get("draft", "")
        resumed = False
        if draft_id:
            state = self._draft_state(session, draft_id)
            if state == "sent" or (state == "gone" and saved.get("phase") == "send"):
                self._forget(key)
                return f"Microsoft Graph: already sent before a lost reply (message {draft_id})"
            resumed = state == "draft"
        if not resumed:
            created = session.call(
                "POST", "/me/messages", "create draft", expect=(201, 200),
                content=base64.b64encode(parts.mime), content_type="text/plain",
            )
            draft_id = str(created.json()["id"])
            self._save(key, draft=draft_id, phase="attach")
        try:
            self._attach_all(session, draft_id, parts.files, resumed=resumed)
            if not self.save_to_sent_items:
                self._delete_after_submit(session, draft_id)
            self._save(key, draft=draft_id, phase="send")
            committing()
            response = session.call(
                "POST", f"/me/messages/{draft_id}/send", "send draft", expect=(202, 200),
                committing=True,
            )
        except DeliveryError as exc:
            if not exc.temporary:
                self._forget(key)
                self._discard_draft(session, draft_id)
            raise
        self._forget(key)
        return (
            f"Microsoft Graph {response.status_code} Accepted (draft {draft_id} sent with "
            f"{len(parts.files)} attachment(s) added){_request_id(response)}"
        )

    def _draft_state(self, session: _Session, draft_id: str) -> str:
        """'draft' (still to send), 'sent', or 'gone'."""
        response = session.call(
            "GET", f"/me/messages/{draft_id}", "check draft", expect=(200, 404),
            params={"$select": "id,isDraft"},
        )
        if response.status_code == 404:
            return "gone"
        return "draft" if response.json().get("isDraft", True) else "sent"

    def _attach_all(
        self, session: _Session, draft_id: str, files: Sequence[DetachedFile], *, resumed: bool,
    ) -> None:
        present: list[str] = []
        if resumed:
            listing = session.call(
                "GET", f"/me/messages/{draft_id}/attachments", "list attachments", expect=(200,),
                params={"$select": "id,name"},
            )
            present = [str(item.get("name")) for item in listing.json().get("value") or []]
        for file in files:
            if file.name in present:
                present.remove(file.name)  # attached before the interruption
                continue
            if base64_size(len(file.data)) + _JSON_OVERHEAD <= self.request_limit and (
                len(file.data) < UPLOAD_SESSION_OVER
            ):
                self._attach_small(session, draft_id, file)
            else:
                self._upload(session, draft_id, file)

    def _attach_small(self, session: _Session, draft_id: str, file: DetachedFile) -> None:
        body: dict[str, Any] = {
            "@odata.type": "#microsoft.graph.fileAttachment",
            "name": file.name, "contentType": file.content_type, "isInline": file.is_inline,
            "contentBytes": base64.b64encode(file.data).decode("ascii"),
        }
        if file.content_id:
            body["contentId"] = file.content_id
        session.call(
            "POST", f"/me/messages/{draft_id}/attachments", f"attach {file.name}",
            expect=(201, 200), json_body=body,
        )

    def _upload(self, session: _Session, draft_id: str, file: DetachedFile) -> None:
        item: dict[str, Any] = {
            "attachmentType": "file", "name": file.name, "size": len(file.data),
            "contentType": file.content_type, "isInline": file.is_inline,
        }
        if file.content_id:
            item["contentId"] = file.content_id
        created = session.call(
            "POST", f"/me/messages/{draft_id}/attachments/createUploadSession",
            f"upload session for {file.name}", expect=(201, 200),
            json_body={"AttachmentItem": item},
        )
        upload_url = str(created.json()["uploadUrl"])
        total = len(file.data)
        for start in range(0, total, self.chunk_size):
            piece = file.data[start:start + self.chunk_size]
            step = f"upload {file.name} bytes {start}-{start + len(piece) - 1}/{total}"
            # The upload URL is pre-authenticated: an Authorization header would be refused.
            response = self._request("PUT", upload_url, step, content=piece, headers={
                "Content-Type": "application/octet-stream",
                "Content-Range": f"bytes {start}-{start + len(piece) - 1}/{total}",
            })
            last = start + len(piece) >= total
            if response.status_code not in ((201, 200) if last else (200, 202)):
                raise failure(response, step)

    def _delete_after_submit(self, session: _Session, draft_id: str) -> None:
        """saveToSentItems=false for a draft: MAPI PR_DELETE_AFTER_SUBMIT (0x0E01) on the item."""
        session.call(
            "PATCH", f"/me/messages/{draft_id}", "no copy in Sent Items", expect=(200,),
            json_body={"singleValueExtendedProperties": [
                {"id": "Boolean 0x0E01", "value": "true"},
            ]},
        )

    def _discard_draft(self, session: _Session, draft_id: str) -> None:
        """Best effort: a draft that can never be sent should not linger in the user's Drafts."""
        # The mail is kept in Failed regardless; a stray draft is harmless.
        with contextlib.suppress(DeliveryError):
            session.call("DELETE", f"/me/messages/{draft_id}", "discard draft", expect=(204, 200))


def _nothing() -> None:
    return None


def _message_id(mime: bytes) -> str:
    head = mime.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    message = email.message_from_bytes(head)
    return str(message.get("Message-ID") or "").strip()


def _request_id(response: httpx.Response) -> str:
    request_id = response.headers.get("request-id")
    return f" request-id {request_id}" if request_id else ""
