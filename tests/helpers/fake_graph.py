"""A fake Microsoft Graph mail endpoint on 127.0.0.1 that validates every request's shape."""

from __future__ import annotations

import base64
import email
import email.policy
import email.utils
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

REQUEST_LIMIT = 4 * 1024 * 1024  # what the fake refuses with 413, as Graph does past 4 MB
UNIT = 320 * 1024
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def strip_bcc(mime: bytes) -> bytes:
    """The copy recipients get: Exchange drops the Bcc field (and its folded lines)."""
    sep = b"\r\n\r\n" if b"\r\n\r\n" in mime else b"\n\n"
    head, _, body = mime.partition(sep)
    eol = sep[: len(sep) // 2]
    kept: list[bytes] = []
    skipping = False
    for line in head.split(eol):
        if line[:1] in (b" ", b"\t") and skipping:
            continue
        skipping = line.lower().startswith(b"bcc:")
        if not skipping:
            kept.append(line)
    return eol.join(kept) + sep + body


def mime_recipients(mime: bytes) -> frozenset[str]:
    """To/Cc/Bcc addresses, lower-cased, as Exchange reads them from MIME."""
    message = email.message_from_bytes(mime, policy=email.policy.compat32)
    values = [str(v) for name in ("to", "cc", "bcc") for v in message.get_all(name, [])]
    return frozenset(a.lower() for _, a in email.utils.getaddresses(values) if "@" in a)


@dataclass
class Delivery:
    """One message as the fake Exchange sent it."""

    mime: bytes  # what recipients see (Bcc removed)
    submitted: bytes  # the MIME as posted (with Bcc)
    recipients: frozenset[str]
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    via: str = "sendMail"


@dataclass
class Draft:
    """A message in Drafts."""

    id: str
    mime: bytes
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    is_draft: bool = True
    delete_after_submit: bool = False


@dataclass
class Upload:
    """An open upload session."""

    draft_id: str
    name: str
    content_type: str
    size: int
    data: bytearray = field(default_factory=bytearray)
    chunks: list[int] = field(default_factory=list)


@dataclass
class Failure:
    """An injected answer for the next API request."""

    status: int
    code: str = "Failure"
    message: str = "injected"
    headers: dict[str, str] = field(default_factory=dict)
    drop_reply_after_processing: bool = False  # process, then close without answering
    path_suffix: str = ""  # only for a request whose path ends so ("" = any)


class FakeGraph:
    """State and validation; the HTTP handler below only translates."""

    def __init__(self, tokens: set[str] | None = None) -> None:
        self.tokens = tokens if tokens is not None else {"good-token"}
        self.requests: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.deliveries: list[Delivery] = []
        self.drafts: dict[str, Draft] = {}
        self.sent_items: list[tuple[str, str]] = []  # (id, internetMessageId)
        self.uploads: dict[str, Upload] = {}
        self.finished_uploads: list[Upload] = []
        self.failures: list[Failure] = []
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def origin(self) -> str:
        """http://127.0.0.1:port."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def url(self) -> str:
        """The Graph base URL to give the sender."""
        return self.origin + "/v1.0"

    def start(self) -> FakeGraph:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, **kwargs: Any) -> None:
        """The next Graph API request (not an upload PUT) gets this answer."""
        self.failures.append(Failure(status, **kwargs))

    def problem(self, text: str) -> tuple[int, dict[str, Any]]:
        self.errors.append(text)
        return 400, {"error": {"code": "FakeGraphValidation", "message": text}}

    # -- request handling (called under self.lock) -------------------------------------------

    def api(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        self.requests.append((method, path))
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer "):] not in self.tokens:
            return 401, {"error": {"code": "InvalidAuthenticationToken",
                                   "message": "Access token has expired or is not yet valid."}}, {}
        if len(body) > REQUEST_LIMIT:
            return 413, {"error": {"code": "RequestEntityTooLarge", "message": "too large"}}, {}
        status, payload = self._route(method, path, query, headers, body)
        return status, payload, {}

    def _mime(self, headers: dict[str, str], body: bytes) -> bytes | None:
        if headers.get("content-type", "").split(";")[0].strip() != "text/plain":
            self.problem(f"MIME must be posted as text/plain, got {headers.get('content-type')}")
            return None
        try:
            return base64.b64decode(body, validate=True)
        except ValueError:
            self.problem("body is not strict base64")
            return None

    def _json(self, headers: dict[str, str], body: bytes) -> Any:
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            self.problem(f"JSON must be posted as application/json, got {headers.get('content-type')}")
            return None
        return json.loads(body)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, Any] | None]:
        parts = path.split("/")[2:]  # after /v1.0
        if method == "POST" and parts == ["me", "sendMail"]:
            mime = self._mime(headers, body)
            if mime is None:
                return 400, {"error": {"code": "ErrorMimeContentInvalidBase64String"}}
            return self._deliver(mime, [], "sendMail")
        if method == "GET" and parts == ["me", "mailFolders", "sentitems", "messages"]:
            wanted = re.fullmatch(r"internetMessageId eq '(.*)'", query.get("$filter", [""])[0])
            if not wanted:
                return self.problem("bad $filter")
            found = [{"id": i, "internetMessageId": m} for i, m in self.sent_items
                     if m == wanted.group(1).replace("''", "'")]
            return 200, {"value": found}
        if method == "POST" and parts == ["me", "messages"]:
            mime = self._mime(headers, body)
            if mime is None:
                return 400, {"error": {"code": "ErrorMimeContentInvalidBase64String"}}
            draft = Draft(id=f"AAMk-{next(self._ids)}", mime=mime)
            self.drafts[draft.id] = draft
            return 201, {"id": draft.id, "isDraft": True}
        if len(parts) >= 3 and parts[:2] == ["me", "messages"]:
            draft = self.drafts.get(parts[2])
            if draft is None:
                return 404, {"error": {"code": "ErrorItemNotFound", "message": "not found"}}
            return self._on_draft(method, parts[3:], draft, headers, body)
        return self.problem(f"unexpected {method} {path}")

    def _on_draft(
        self, method: str, rest: list[str], draft: Draft, headers: dict[str, str], body: bytes,
    ) -> tuple[int, dict[str, Any] | None]:
        if method == "GET" and not rest:
            return 200, {"id": draft.id, "isDraft": draft.is_draft}
        if method == "DELETE" and not rest:
            del self.drafts[draft.id]
            return 204, None
        if not draft.is_draft:
            return self.problem(f"{method} {rest} on a message already sent")
        if method == "PATCH" and not rest:
            props = (self._json(headers, body) or {}).get("singleValueExtendedProperties", [])
            draft.delete_after_submit = {"id": "Boolean 0x0E01", "value": "true"} in props
            return 200, {"id": draft.id}
        if method == "GET" and rest == ["attachments"]:
            return 200, {"value": [{"id": f"att{i}", "name": n}
                                   for i, (n, _, _) in enumerate(draft.attachments)]}
        if method == "POST" and rest == ["attachments"]:
            item = self._json(headers, body) or {}
            if item.get("@odata.type") != "#microsoft.graph.fileAttachment":
                return self.problem("small attachment without fileAttachment type")
            data = base64.b64decode(item["contentBytes"], validate=True)
            draft.attachments.append((item["name"], item["contentType"], data))
            return 201, {"id": f"att{len(draft.attachments)}"}
        if method == "POST" and rest == ["attachments", "createUploadSession"]:
            item = (self._json(headers, body) or {}).get("AttachmentItem") or {}
            if item.get("attachmentType") != "file" or not item.get("name"):
                return self.problem(f"bad AttachmentItem {item}")
            session = f"s{next(self._ids)}"
            self.uploads[session] = Upload(draft.id, item["name"], item.get("contentType", ""),
                                           int(item["size"]))
            return 201, {"uploadUrl": f"{self.origin}/upload/{session}?authtoken=pre",
                         "nextExpectedRanges": ["0-"]}
        if method == "POST" and rest == ["send"]:
            if body:
                return self.problem("send takes no body")
            status, payload = self._deliver(strip_bcc(draft.mime), draft.attachments, "draft",
                                            submitted=draft.mime)
            draft.is_draft = False
            if draft.delete_after_submit:
                del self.drafts[draft.id]
            return status, payload
        return self.problem(f"unexpected {method} on draft {rest}")

    def _deliver(
        self, mime: bytes, attachments: list[tuple[str, str, bytes]], via: str,
        submitted: bytes | None = None,
    ) -> tuple[int, dict[str, Any] | None]:
        recipients = mime_recipients(submitted or mime)
        if not recipients:
            return 400, {"error": {"code": "ErrorInvalidRecipients",
                                   "message": "A message can't be sent because it contains no recipients."}}
        self.deliveries.append(Delivery(strip_bcc(mime), submitted or mime, recipients,
                                        list(attachments), via))
        message_id = str(email.message_from_bytes(mime).get("Message-ID", "")).strip()
        if via == "sendMail":
            self.sent_items.append((f"sent-{next(self._ids)}", message_id))
        return 202, None

    def upload(
        self, session_id: str, headers: dict[str, str], body: bytes,
    ) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        self.requests.append(("PUT", f"/upload/{session_id}"))
        upload = self.uploads.get(session_id)
        if upload is None:
            return 404, {"error": {"code": "ErrorItemNotFound"}}, {}
        if "authorization" in headers:
            status, payload = self.problem("upload PUT must not carry Authorization")
            return status, payload, {}
        match = _RANGE.match(headers.get("content-range", ""))
        if not match:
            status, payload = self.problem(f"bad Content-Range {headers.get('content-range')}")
            return status, payload, {}
        start, end, total = (int(g) for g in match.groups())
        problems = []
        if total != upload.size:
            problems.append(f"total {total} != declared size {upload.size}")
        if start != len(upload.data):
            problems.append(f"range starts at {start}, expected {len(upload.data)}")
        if end - start + 1 != len(body) or int(headers.get("content-length", -1)) != len(body):
            problems.append(f"range {start}-{end} does not match {len(body)} body bytes")
        last = end + 1 == total
        if not last and len(body) % UNIT:
            problems.append(f"chunk of {len(body)} bytes is not a multiple of 320 KiB")
        if len(body) > REQUEST_LIMIT:
            problems.append("chunk over 4 MiB")
        if problems:
            status, payload = self.problem("; ".join(problems))
            return status, payload, {}
        upload.data += body
        upload.chunks.append(len(body))
        if not last:
            return 200, {"nextExpectedRanges": [f"{end + 1}-"]}, {}
        draft = self.drafts[upload.draft_id]
        draft.attachments.append((upload.name, upload.content_type, bytes(upload.data)))
        self.finished_uploads.append(self.uploads.pop(session_id))
        location = f"{self.url}/me/messages/{draft.id}/attachments/att{len(draft.attachments)}"
        return 201, None, {"Location": location}


def _handler_for(fake: FakeGraph) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            split = urlsplit(self.path)
            with fake.lock:
                if split.path.startswith("/upload/"):
                    status, payload, extra = fake.upload(split.path.split("/")[2], headers, body)
                    failure = None
                else:
                    failure = next((f for f in fake.failures
                                    if split.path.endswith(f.path_suffix)), None)
                    if failure:
                        fake.failures.remove(failure)
                    if failure and not failure.drop_reply_after_processing:
                        fake.requests.append((self.command, split.path))
                        status, payload, extra = failure.status, {"error": {
                            "code": failure.code, "message": failure.message}}, failure.headers
                    else:
                        status, payload, extra = fake.api(
                            self.command, split.path, parse_qs(split.query), headers, body,
                        )
            if failure and failure.drop_reply_after_processing:
                self.close_connection = True
                self.connection.close()
                return
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("request-id", "fake-req-1")
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        # http.server dispatches on these names.
        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815

    return Handler
