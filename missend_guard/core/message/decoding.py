"""Bytes to text: declared charsets and the supersets senders really use, RFC 2047 and raw header values."""

from __future__ import annotations

import codecs
import email.errors
import email.header
from email.message import Message as EmailMessage

# Charsets whose real-world senders use a superset: decode with the superset first.
_CHARSET_SUPERSETS = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "euc-jp": "euc_jis_2004",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}
# Tried in order when no charset is declared or the declared one fails.
_FALLBACK_CHARSETS = ("utf-8", "cp932", "iso2022_jp_ext", "euc_jis_2004")
# ISO-2022-JP switches to JIS X 0208/0212/0213 with these; s-nail sends such header bytes raw or
# labelled us-ascii, which would otherwise decode as 「□$B;qNA…」.
_JIS_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b$(D", b"\x1b$(O", b"\x1b$(Q", b"\x1b$(P")
_SEVEN_BIT_LABELS = frozenset({"us-ascii", "ascii", "utf-8", "utf8"})


def decode_bytes(data: bytes, charset: str | None, problems: list[str] | None = None) -> str:
    """Decode text bytes with the declared charset (or its superset), then common fallbacks."""
    tried: list[str] = []
    if charset:
        cs = charset.strip().strip('"').lower()
        tried += [_CHARSET_SUPERSETS.get(cs, cs), cs]
        if not _known_codec(tried[0]) and problems is not None:
            problems.append(f"unknown-charset:{cs[:40]}")
    tried += list(_FALLBACK_CHARSETS)
    for cs in dict.fromkeys(tried):
        try:
            return data.decode(cs)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    if problems is not None:
        problems.append(f"undecodable-text:{charset or 'unknown'}")
    return data.decode("utf-8", errors="replace")


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL byte in a charset name
        return False
    return True


def raw_header_bytes(value: str) -> bytes:
    """A header value's bytes: compat32 keeps 8-bit header bytes as surrogate escapes."""
    return value.encode("utf-8", errors="surrogateescape")


def raw_headers(msg: EmailMessage, name: str) -> list[str]:
    """Header values exactly as parsed (8-bit bytes as surrogate escapes), never Header objects."""
    name = name.lower()
    return [str(v) for k, v in msg.raw_items() if k.lower() == name]


def seven_bit_jis(data: bytes, charset: str | None) -> str | None:
    """7-bit header bytes with ISO-2022-JP escapes, raw or labelled us-ascii/utf-8, as text."""
    label = (charset or "").strip().strip('"').lower()
    if label and label not in _SEVEN_BIT_LABELS:
        return None
    if not data.isascii() or not any(escape in data for escape in _JIS_ESCAPES):
        return None
    try:
        return data.decode("iso2022_jp_ext")
    except UnicodeDecodeError:
        return None


def decode_header_value(value: object, problems: list[str] | None = None) -> str:
    """Decode an RFC 2047 / raw 8-bit / raw ISO-2022-JP header value into text, never raising."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value)
    try:
        parts = email.header.decode_header(text)
    except (ValueError, email.errors.HeaderParseError):
        parts = [(raw_header_bytes(text), None)]
    out: list[str] = []
    for chunk, charset in parts:
        data = raw_header_bytes(chunk) if isinstance(chunk, str) else chunk
        jis = seven_bit_jis(data, charset)
        if jis is not None:
            out.append(jis)
        elif charset is None and data.isascii():
            out.append(data.decode("ascii"))
        else:
            out.append(decode_bytes(data, charset, problems))
    decoded = "".join(out)
    return " ".join(decoded.split()) if "\n" in decoded or "\r" in decoded else decoded
