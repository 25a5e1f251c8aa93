"""Message model and tolerant parsing of raw RFC 5322 bytes (Japanese encodings are the normal case)."""

from __future__ import annotations

import email
import email.policy
import email.utils
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.message import Message as EmailMessage

from missend_guard.core.message.addresses import (
    Address,
    header_addresses,
    make_address,
)
from missend_guard.core.message.decoding import (
    decode_bytes,
    decode_header_value,
    raw_headers,
)
from missend_guard.core.message.htmltext import html_to_text
from missend_guard.core.message.skeleton import SkeletonPart, skeleton_parse
from missend_guard.core.protect.containers import FileData, is_encrypted


@dataclass(frozen=True)
class Attachment:
    """One attached file as it travels: its content, name, type and whether it is encrypted."""

    filename: str
    content_type: str
    # Decoded bytes, or a Blob that decodes them from the raw message on demand (a big attachment
    # is never held decoded while the rules look only at its size, head or central directory).
    content: FileData = field(repr=False)
    encrypted: bool = False
    inline: bool = False  # an image shown in the HTML body via cid:, not a file the user attaches

    @property
    def data(self) -> bytes:
        """Decoded bytes (decoded anew on each access when the content is a Blob)."""
        return self.content if isinstance(self.content, bytes) else self.content.whole()

    @property
    def size(self) -> int:
        """Decoded size in bytes, known without decoding."""
        return len(self.content) if isinstance(self.content, bytes) else self.content.size

    def head(self, length: int) -> bytes:
        """The first `length` decoded bytes (no more is decoded)."""
        content = self.content
        return content[:length] if isinstance(content, bytes) else content.read_range(0, length)

    def to_json(self) -> dict[str, object]:
        """Contract shape of an attachment."""
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "encrypted": self.encrypted,
        }


@dataclass(frozen=True)
class Message:
    """Everything the rules look at, decoded once."""

    subject: str
    sender: Address | None
    recipients: tuple[Address, ...]
    attachments: tuple[Attachment, ...]
    body: str
    body_from_html: bool = False
    message_id: str = ""
    problems: tuple[str, ...] = ()  # what could not be decoded; non-empty means malformed
    raw: bytes = field(default=b"", repr=False)
    references: tuple[str, ...] = ()  # In-Reply-To and References ids: set on a reply or a forward

    @property
    def files(self) -> tuple[tuple[int, Attachment], ...]:
        """Attachments the user attached (inline cid: images left out), with their indexes."""
        return tuple((i, a) for i, a in enumerate(self.attachments) if not a.inline)


EncryptionProbe = Callable[[str, str, FileData], bool]


def _first_header(msg: EmailMessage, name: str) -> str | None:
    values = raw_headers(msg, name)
    return values[0] if values else None


def _param_text(part: EmailMessage, param: str, header: str, problems: list[str]) -> str | None:
    value = part.get_param(param, header=header)
    if value is None or value == "":
        return None
    if isinstance(value, tuple):  # RFC 2231: (charset, language, latin-1 text of the raw bytes)
        charset, _lang, text = value
        raw = text.encode("latin-1", errors="surrogateescape")
        return decode_bytes(raw, charset or None, problems)
    text = email.utils.unquote(str(value))
    # Many Japanese clients put RFC 2047 words inside the quoted filename: decode them too.
    return decode_header_value(text, problems)


def _filename(part: EmailMessage, problems: list[str]) -> str | None:
    return _param_text(part, "filename", "content-disposition", problems) or _param_text(
        part, "name", "content-type", problems
    )


def _payload(part: EmailMessage, problems: list[str]) -> bytes:
    content = _content(part, problems)
    return content if isinstance(content, bytes) else content.whole()


def _content(part: EmailMessage, problems: list[str]) -> FileData:
    """The decoded body; a skeleton part's may stay in the raw bytes until someone reads it."""
    try:
        if isinstance(part, SkeletonPart):
            return part.content()
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, AssertionError):
        problems.append("undecodable-payload")
        return b""
    if data is None:
        return b""
    if isinstance(data, str):
        return data.encode("utf-8", errors="surrogateescape")
    return bytes(data)


@dataclass
class _Walk:
    problems: list[str]
    probe: EncryptionProbe
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    cids: set[str] = field(default_factory=set)
    pending_inline: list[tuple[str, Attachment]] = field(default_factory=list)


def _walk(part: EmailMessage, state: _Walk, depth: int = 0) -> None:
    if depth > 40:
        state.problems.append("nesting-too-deep")
        return
    ctype = part.get_content_type()
    disposition = (part.get_content_disposition() or "").lower()
    if part.is_multipart() and ctype != "message/rfc822":
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, EmailMessage):
                    _walk(sub, state, depth + 1)
        return
    filename = _filename(part, state.problems)
    if ctype == "message/rfc822":
        inner = part.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) and inner else None
        data = inner_msg.as_bytes() if isinstance(inner_msg, EmailMessage) else _payload(part, state.problems)
        if not filename and isinstance(inner_msg, EmailMessage):
            subject = decode_header_value(_first_header(inner_msg, "subject"), state.problems)
            filename = (subject or "message") + ".eml"
        state.attachments.append(Attachment(filename or "message.eml", ctype, data))
        return
    if ctype in ("text/plain", "text/html") and disposition != "attachment":
        text = decode_bytes(_payload(part, state.problems), part.get_content_charset(), state.problems)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        (state.plain if ctype == "text/plain" else state.html).append(text)
        return
    content = _content(part, state.problems)
    cid = (part.get("content-id") or "").strip().strip("<>")
    name = filename or _default_name(ctype)
    encrypted = _probe(state, name, ctype, content)
    att = Attachment(name, ctype, content, encrypted=encrypted)
    if cid and disposition != "attachment" and ctype.startswith("image/"):
        state.pending_inline.append((cid, att))
    else:
        state.attachments.append(att)


def _probe(state: _Walk, name: str, ctype: str, data: FileData) -> bool:
    try:
        return state.probe(name, ctype, data)
    except Exception:  # noqa: BLE001 - a corrupt file must not stop the check; the rule reports it
        state.problems.append(f"unreadable-attachment:{name}")
        return False


def _default_name(ctype: str) -> str:
    maintype, _, subtype = ctype.partition("/")
    return f"{maintype or 'file'}.{subtype or 'bin'}"


def parse_message(
    raw: bytes,
    envelope_recipients: Sequence[str] = (),
    probe: EncryptionProbe | None = None,
    *,
    crlf_only: bool = False,
) -> Message:
    """Parse raw bytes into a Message; never raises, records what it could not decode in `problems`.

    `envelope_recipients` (RCPT TO) not present in To/Cc/Bcc become Bcc recipients.
    `probe(filename, content_type, data)` tells whether an attachment is encrypted.
    `crlf_only`: the caller has made every line end CRLF (the relay does), so no scan checks it again.
    """
    return _parse(raw, skeleton_parse(raw, crlf_only=crlf_only), envelope_recipients, probe)


def parse_message_stdlib(
    raw: bytes,
    envelope_recipients: Sequence[str] = (),
    probe: EncryptionProbe | None = None,
) -> Message:
    """`parse_message` with the whole message through the stdlib feedparser (the reference it must equal)."""
    return _parse(raw, None, envelope_recipients, probe)


def _parse(
    raw: bytes,
    skeleton: EmailMessage | None,
    envelope_recipients: Sequence[str],
    probe: EncryptionProbe | None,
) -> Message:
    problems: list[str] = []
    msg = skeleton if skeleton is not None else _stdlib_tree(raw, problems)
    if not raw or raw.isspace():  # not raw.strip(): that copies the whole message
        problems.append("empty-message")
    state = _Walk(problems, probe or is_encrypted)
    try:
        _walk(msg, state)
    except (RecursionError, ValueError, TypeError, LookupError, AttributeError, IndexError) as exc:
        problems.append(f"unwalkable-mime:{type(exc).__name__}")
    for sub in msg.walk() if msg.is_multipart() else (msg,):
        for defect in getattr(sub, "defects", []):
            problems.append(type(defect).__name__)

    body, from_html = _body(state)
    # Images shown in the HTML body go last, so attachment indexes of real files stay dense.
    shown = [any(f"cid:{cid}" in h for h in state.html) for cid, _ in state.pending_inline]
    state.attachments += [att for (_, att), s in zip(state.pending_inline, shown, strict=True) if not s]
    state.attachments += [
        replace(att, inline=True) for (_, att), s in zip(state.pending_inline, shown, strict=True) if s
    ]

    senders = header_addresses(msg, "from", "from", problems)
    recipients: list[Address] = []
    for header, fname in (("to", "to"), ("cc", "cc"), ("bcc", "bcc")):
        recipients += header_addresses(msg, header, fname, problems)  # type: ignore[arg-type]
    listed = {r.address.lower() for r in recipients}
    for rcpt in envelope_recipients:
        candidate = make_address("bcc", "", rcpt)
        if candidate.address.lower() not in listed:
            listed.add(candidate.address.lower())
            recipients.append(candidate)

    return Message(
        subject=decode_header_value(_first_header(msg, "subject"), problems).strip(" \t\r\n"),
        sender=senders[0] if senders else None,
        recipients=tuple(recipients),
        attachments=tuple(state.attachments),
        body=body,
        body_from_html=from_html,
        message_id=(_first_header(msg, "message-id") or "").strip(),
        references=tuple(dict.fromkeys(
            ref for h in ("in-reply-to", "references") for v in raw_headers(msg, h) for ref in v.split()
            if "@" in ref
        )),
        problems=tuple(dict.fromkeys(problems)),
        raw=raw,
    )


def _stdlib_tree(raw: bytes, problems: list[str]) -> EmailMessage:
    try:
        return email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - the stdlib parser is tolerant, but a message is never lost to a bug
        problems.append("unparsable-message")
        return EmailMessage()


def _body(state: _Walk) -> tuple[str, bool]:
    if state.plain:
        return "\n".join(state.plain), False
    if state.html:
        return "\n".join(html_to_text(h) for h in state.html), True
    return "", False
