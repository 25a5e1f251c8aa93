"""MIME for Microsoft Graph: envelope-only recipients as a safely written Bcc field, big files split off."""

from __future__ import annotations

import contextlib
import email
import email.errors
import email.header
import email.policy
import email.utils
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message as EmailMessage
from io import BytesIO

from missend_guard.transports.addresses import address_problem

_ADDRESS_HEADERS = ("to", "cc", "bcc")
_BCC_LINE = re.compile(rb"(?im)^bcc:[ \t]*")
_UNFOLD = re.compile(r"\r?\n(?=[ \t])")


def base64_size(length: int) -> int:
    """Length of the unbroken base64 text for `length` bytes (what Graph counts as the request body)."""
    return 4 * ((length + 2) // 3)


def _header_block(raw: bytes) -> tuple[bytes, bytes]:
    """The header section (with its terminating blank line) and the line ending it uses."""
    for sep, eol in ((b"\r\n\r\n", b"\r\n"), (b"\n\n", b"\n")):
        end = raw.find(sep)
        if end >= 0:
            return raw[: end + len(eol)], eol
    return raw, b"\r\n" if b"\r\n" in raw else b"\n"


def header_recipients(raw: bytes) -> list[str]:
    """Addresses named in To, Cc and Bcc, in order, as written (UTF-8 headers read as UTF-8)."""
    head = _header_block(raw)[0].decode("utf-8", "surrogateescape")  # RFC 6532
    headers = email.message_from_string(head, policy=email.policy.compat32)
    values: list[str] = []
    for name in _ADDRESS_HEADERS:
        values.extend(str(value) for value in headers.get_all(name, []))
    return [addr for _, addr in email.utils.getaddresses(values) if "@" in addr]


def _key(address: str) -> str:
    return address.strip().lower()


def envelope_only(raw: bytes, rcpt_tos: Sequence[str]) -> list[str]:
    """Envelope recipients the headers do not name (a client's Bcc), without duplicates."""
    named = {_key(a) for a in header_recipients(raw)}
    missing: list[str] = []
    for rcpt in rcpt_tos:
        if _key(rcpt) not in named and _key(rcpt) not in {_key(m) for m in missing}:
            missing.append(rcpt)  # exactly as checked: it is written into the Bcc field as is
    return missing


_UNREADABLE = "does not read back unchanged from a Bcc field"


def _read_back(value: str) -> tuple[list[str], list[str] | None]:
    """The addresses in a Bcc field value as two parsers read them (None: the parser failed)."""
    lenient = [address for _, address in email.utils.getaddresses([value])]
    try:
        strict: list[str] | None = [
            mailbox.addr_spec for mailbox in email.policy.default.header_factory("bcc", value).addresses
        ]
    except Exception:  # noqa: BLE001 - the stdlib parser raises IndexError/TypeError on odd input
        strict = None
    return lenient, strict


def bcc_problem(address: str) -> str | None:
    """Why `address` cannot go into a Bcc field as written, or None.

    A header line ends at CR or LF, so one control character would add a header (or a
    recipient) nobody checked; and an address that reads back as another one (or as several)
    would send to someone other than the recipient the gate checked.
    """
    problem = address_problem(address)
    if problem:
        return problem
    if _read_back(address) != ([address], [address]):
        return f"the address {_UNREADABLE}"
    return None


def recipient_problems(raw: bytes, rcpt_tos: Sequence[str]) -> list[str]:
    """Envelope recipients Graph could not be given exactly as checked, each with the reason."""
    bcc = envelope_only(raw, rcpt_tos)
    found = [(a, bcc_problem(a) if a in bcc else address_problem(a)) for a in rcpt_tos]
    problems = [f"{address!r}: {problem}" for address, problem in found if problem]
    if bcc and not problems:
        # Each address reads back alone; the field they share must too (parsers have quirks).
        head = with_bcc(_header_block(raw)[0], bcc).decode("utf-8", "surrogateescape")
        folded = str(email.message_from_string(head, policy=email.policy.compat32)["bcc"])
        value = _UNFOLD.sub("", folded)
        lenient, strict = _read_back(value)
        if lenient[: len(bcc)] != bcc or strict is None or strict[: len(bcc)] != bcc:
            problems.append(f"{', '.join(map(repr, bcc))}: the list {_UNREADABLE}")
    return problems


def header_only(raw: bytes, rcpt_tos: Sequence[str]) -> list[str]:
    """Header recipients missing from the envelope: Graph would send to them too."""
    envelope = {_key(r) for r in rcpt_tos}
    return [a for a in header_recipients(raw) if _key(a) not in envelope]


def with_bcc(raw: bytes, addresses: Sequence[str]) -> bytes:
    """`raw` with `addresses` added to its Bcc field (created when absent); nothing else changes.

    Graph's MIME sendMail takes recipients from the headers, not from an envelope, so a client's
    Bcc (present only in RCPT TO) must become a Bcc header or that person never gets the mail.
    Exchange removes Bcc from the copies recipients see.
    """
    if not addresses:
        return raw
    for address in addresses:
        problem = address_problem(address)  # never a CR or LF into a header, whoever calls
        if problem:
            raise ValueError(f"cannot add {address!r} as Bcc: {problem}")
    head, eol = _header_block(raw)
    folded = ("," + eol.decode() + " ").join(addresses).encode("utf-8")
    existing = _BCC_LINE.search(head)
    if existing is None:
        return b"Bcc: " + folded + eol + raw
    # Join an existing Bcc field: two Bcc fields are invalid and Exchange may read only one.
    rest = head[existing.end():]
    empty_value = rest.startswith(eol) and not rest[len(eol):len(eol) + 1].isspace()
    joiner = b"" if empty_value else b"," + eol + b" "
    return raw[: existing.end()] + folded + joiner + raw[existing.end():]


@dataclass(frozen=True)
class DetachedFile:
    """An attachment taken out of the draft MIME, to be added through the attachments API."""

    name: str
    content_type: str
    data: bytes = field(repr=False)
    content_id: str | None = None
    is_inline: bool = False


@dataclass(frozen=True)
class DraftParts:
    """A message split for Graph's draft path: MIME small enough to post, plus detached files."""

    mime: bytes = field(repr=False)
    files: tuple[DetachedFile, ...]


def _decoded_name(part: EmailMessage) -> str:
    """The filename, decoding RFC 2231 and the RFC 2047 words Japanese mailers still use."""
    name = part.get_filename() or part.get_param("name") or ""
    if not isinstance(name, str):
        name = email.utils.collapse_rfc2231_value(name)
    # On a bad encoded word keep the undecoded text rather than lose the file.
    with contextlib.suppress(UnicodeDecodeError, LookupError, email.errors.HeaderParseError):
        name = str(email.header.make_header(email.header.decode_header(name)))
    return name or ("message.eml" if part.get_content_type() == "message/rfc822" else "attachment")


def _is_attachment(part: EmailMessage) -> bool:
    if part.get_content_maintype() == "multipart":
        return False
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or bool(part.get_filename()) or (
        part.get_content_type() == "message/rfc822"
    )


def _part_bytes(part: EmailMessage) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], EmailMessage):
            return _serialize(inner[0])
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _serialize(message: EmailMessage) -> bytes:
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=email.policy.compat32).flatten(message)
    return out.getvalue()


def _candidates(message: EmailMessage) -> list[tuple[EmailMessage, EmailMessage, bytes]]:
    """(parent, part, decoded bytes) for every attachment, largest first."""
    found: list[tuple[EmailMessage, EmailMessage, bytes]] = []
    stack = [message]
    while stack:
        parent = stack.pop()
        if parent.get_content_maintype() != "multipart":
            continue
        children = parent.get_payload()
        if not isinstance(children, list):
            continue
        for child in children:
            if not isinstance(child, EmailMessage):
                continue
            if _is_attachment(child):
                found.append((parent, child, _part_bytes(child)))
            else:
                stack.append(child)
    found.sort(key=lambda entry: len(entry[2]), reverse=True)
    return found


def split_for_draft(raw: bytes, *, request_limit: int, always_detach_over: int) -> DraftParts:
    """Take attachments out of `raw` until its base64 fits `request_limit`.

    Files over `always_detach_over` always leave (they need an upload session anyway), then the
    largest remaining ones until the draft fits. Raises ValueError when even the bare body is too big.
    """
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    detached: list[DetachedFile] = []
    mime = raw
    for parent, part, data in _candidates(message):
        if len(data) <= always_detach_over and base64_size(len(mime)) <= request_limit:
            break
        children = parent.get_payload()
        assert isinstance(children, list)  # _candidates only yields multipart parents
        parent.set_payload([child for child in children if child is not part])
        content_id = part.get("Content-ID")
        detached.append(DetachedFile(
            name=_decoded_name(part),
            content_type=part.get_content_type(),
            data=data,
            content_id=str(content_id).strip().strip("<>") if content_id else None,
            is_inline=(part.get_content_disposition() or "").lower() == "inline",
        ))
        mime = _serialize(message)
    if base64_size(len(mime)) > request_limit:
        raise ValueError(
            f"the message text without attachments is {len(mime)} bytes, over what Microsoft Graph "
            "accepts in one request"
        )
    return DraftParts(mime=mime, files=tuple(detached))
