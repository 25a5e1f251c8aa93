"""Locate MIME parts by byte offsets and splice them, leaving every other byte as it was.

`email.generator` would re-fold headers and re-encode bodies; a protected message must differ
from the original only inside the parts the user chose to encrypt or remove.
"""

from __future__ import annotations

import base64
import email
import email.policy
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message as EmailMessage
from email.parser import BytesHeaderParser

from missend_guard.core.message.encoded import Base64Body, SpanBody
from missend_guard.core.message.model import Attachment

MAX_NESTING = 40


class SpliceError(ValueError):
    """The message structure cannot be spliced safely; `code` is a stable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Part:
    """One MIME entity: `raw[start:end]`; `delim_start` includes its delimiter's line break."""

    start: int
    body_start: int
    end: int
    delim_start: int  # where this part's opening delimiter (with its leading line break) begins
    headers: EmailMessage
    children: list[Part] | None = None
    parent: Part | None = None

    @property
    def ctype(self) -> str:
        """Content type, lower-case (text/plain when absent)."""
        return self.headers.get_content_type()


_LINE_END = re.compile(rb"\r\n|\n|\r")
_HEADER_PARSER = BytesHeaderParser(policy=email.policy.compat32)
_REPLACED_FIELDS = frozenset(
    {b"content-type", b"content-disposition", b"content-transfer-encoding", b"content-md5",
     b"content-length"}
)


def _header_end(raw: bytes, start: int, end: int) -> int:
    pos = start
    while pos < end:
        found = _LINE_END.search(raw, pos, end)
        if found is None:
            return end
        if found.start() == pos:
            return found.end()
        pos = found.end()
    return end


def _before_break(raw: bytes, pos: int, floor: int) -> int:
    if pos - 2 >= floor and raw[pos - 2 : pos] == b"\r\n":
        return pos - 2
    if pos - 1 >= floor and raw[pos - 1 : pos] in (b"\n", b"\r"):
        return pos - 1
    return pos


def scan_entity(raw: bytes, start: int, end: int, delim_start: int, depth: int = 0) -> Part:
    """One entity (headers + body) between `start` and `end`, children found by boundary."""
    body_start = _header_end(raw, start, end)
    part = Part(start, body_start, end, delim_start, _HEADER_PARSER.parsebytes(raw[start:body_start]))
    boundary = part.headers.get_boundary()
    if not part.ctype.startswith("multipart/") or not boundary or depth > MAX_NESTING:
        return part
    token = boundary.encode("ascii", errors="surrogateescape")
    pattern = re.compile(rb"(?<![^\r\n])--" + re.escape(token) + rb"(--)?[ \t]*(?:\r\n|\n|\r|\Z)")
    delims = list(pattern.finditer(raw, body_start, end))
    part.children = []
    for i, delim in enumerate(delims):
        if delim.group(1):
            break
        nxt = delims[i + 1] if i + 1 < len(delims) else None
        child_end = _before_break(raw, nxt.start(), delim.end()) if nxt else end
        child = scan_entity(raw, delim.end(), max(child_end, delim.end()),
                      _before_break(raw, delim.start(), body_start), depth + 1)
        child.parent = part
        part.children.append(child)
    return part


def attachment_parts(root: Part) -> list[Part]:
    """Leaves in the order `parse_message` lists attachments (inline cid: images last)."""
    normal: list[Part] = []
    inline: list[Part] = []

    def visit(part: Part) -> None:
        ctype = part.ctype
        if part.children is not None and ctype != "message/rfc822":
            for child in part.children:
                visit(child)
            return
        disposition = (part.headers.get_content_disposition() or "").lower()
        if ctype in ("text/plain", "text/html") and disposition != "attachment":
            return
        cid = str(part.headers.get("content-id") or "").strip().strip("<>")
        if cid and disposition != "attachment" and ctype.startswith("image/"):
            inline.append(part)
        else:
            normal.append(part)

    visit(root)
    return normal + inline


def same_file(raw: bytes, part: Part, attachment: Attachment) -> bool:
    """True when `part` decodes to `attachment` (guards against splicing the wrong part)."""
    if part.ctype != attachment.content_type:
        return False
    if part.ctype == "message/rfc822":
        return True
    content = attachment.content
    if isinstance(content, Base64Body | SpanBody) and content.raw is raw and content.start == part.body_start:
        return True  # the parser left this very body in place: no need to decode 25 MB twice to compare
    entity = email.message_from_bytes(raw[part.start : part.end], policy=email.policy.compat32)
    try:
        return entity.get_payload(decode=True) == attachment.data
    except (ValueError, TypeError, LookupError, AssertionError):
        return False


def _rfc2231(name: str, value: str) -> list[str]:
    if value.isascii() and value.isprintable() and not re.search(r'["\\]', value):
        return [f'{name}="{value}"']
    encoded = urllib.parse.quote(value.encode("utf-8"), safe="!#$&+-.^_`|~")
    chunks: list[str] = []
    pos = 0
    while pos < len(encoded):
        cut = min(pos + 54, len(encoded))
        while cut < len(encoded) and "%" in encoded[cut - 2 : cut]:
            cut -= 1  # never split a %XX escape
        chunks.append(encoded[pos:cut])
        pos = cut
    if len(chunks) == 1:
        return [f"{name}*=UTF-8''{chunks[0]}"]
    prefix = "UTF-8''"
    return [f"{name}*{i}*={prefix if i == 0 else ''}{c}" for i, c in enumerate(chunks)]


def _header_fields(block: bytes) -> list[bytes]:
    fields: list[bytes] = []
    for line in _LINE_END.split(block):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\n" + line  # placeholder join; re-joined with the part's line ending
        elif line:
            fields.append(line)
    return fields


def replacement_part(raw: bytes, part: Part, ctype: str, filename: str, data: bytes) -> bytes:
    """New bytes for `part`: its non-content headers kept, new type and RFC 2231 name, base64."""
    block = raw[part.start : part.body_start]
    eol = b"\r\n" if b"\r\n" in block or (not block and b"\r\n" in raw[:4096]) else b"\n"
    kept = [f.replace(b"\n", eol) for f in _header_fields(block)
            if f.split(b":", 1)[0].strip().lower() not in _REPLACED_FIELDS]
    fold = ";" + eol.decode() + " "
    lines = [
        f"Content-Type: {ctype};{eol.decode()} " + fold.join(_rfc2231("name", filename)),
        f"Content-Disposition: attachment;{eol.decode()} " + fold.join(_rfc2231("filename", filename)),
        "Content-Transfer-Encoding: base64",
    ]
    encoded = base64.b64encode(data)
    body = eol.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    old_body = raw[part.body_start : part.end]
    tail = eol if old_body.endswith((b"\n", b"\r")) else b""
    head = b"".join(f + eol for f in kept) + b"".join(x.encode("ascii") + eol for x in lines)
    return head + eol + body + tail


def cuts(root: Part, removed: set[int]) -> list[tuple[int, int, bytes]]:
    """Byte ranges to drop: a removed part with its opening delimiter; a parent left empty goes too."""
    gone: set[int] = set(removed)

    def empty_after(part: Part) -> bool:
        if id(part) in gone:
            return True
        if part.children and all(empty_after(c) for c in part.children):
            gone.add(id(part))
            return True
        return False

    if empty_after(root):
        raise SpliceError("nothing-left")
    cuts: list[tuple[int, int, bytes]] = []

    def collect(part: Part) -> None:
        for child in part.children or ():
            if id(child) in gone:
                cuts.append((child.delim_start, child.end, b""))
            else:
                collect(child)

    collect(root)
    return cuts


def scan(raw: bytes) -> Part:
    """The MIME tree of a whole message with byte offsets."""
    return scan_entity(raw, 0, len(raw), 0)


def splice(raw: bytes, spans: Iterable[tuple[int, int, bytes]]) -> bytes:
    """`raw` with each (start, end) range replaced; a range inside an earlier one is skipped."""
    out = bytearray()
    pos = 0
    for start, end, replacement in sorted(spans, key=lambda s: s[0]):
        if start < pos:
            continue  # inside a cut parent
        out += raw[pos:start] + replacement
        pos = end
    out += raw[pos:]
    return bytes(out)
