"""Hand-built MIME in the byte forms real mail clients produce (ISO-2022-JP, Shift_JIS, UTF-8, QP, base64)."""

from __future__ import annotations

import base64
import hashlib
import quopri
import urllib.parse
from dataclasses import dataclass, field

CRLF = "\r\n"

# Charset of the text parts and headers for each client style, and how each client names attachments.
CLIENTS: dict[str, dict[str, str]] = {
    "outlook-jp": {"charset": "iso-2022-jp", "cte": "7bit", "fname": "rfc2047", "agent":
                   "X-Mailer: Microsoft Outlook 16.0", "html": "yes"},
    "outlook-utf8": {"charset": "utf-8", "cte": "base64", "fname": "rfc2047", "agent":
                     "X-Mailer: Microsoft Outlook 16.0", "html": "yes"},
    "outlook-sjis": {"charset": "shift_jis", "cte": "base64", "fname": "rfc2231", "agent":
                     "X-Mailer: Microsoft Office Outlook 12.0", "html": "no"},
    "becky": {"charset": "iso-2022-jp", "cte": "7bit", "fname": "rfc2047", "agent":
              "X-Mailer: Becky! ver. 2.81.04 [ja]", "html": "no"},
    "thunderbird": {"charset": "utf-8", "cte": "8bit", "fname": "rfc2231", "agent":
                    "User-Agent: Mozilla Thunderbird", "html": "no"},
    "thunderbird-jis": {"charset": "iso-2022-jp", "cte": "7bit", "fname": "rfc2231", "agent":
                        "User-Agent: Mozilla/5.0 Thunderbird/115.10.1", "html": "no"},
    "gmail": {"charset": "utf-8", "cte": "base64", "fname": "rfc2047", "agent": "", "html": "yes"},
    "gmail-en": {"charset": "utf-8", "cte": "quoted-printable", "fname": "plain", "agent": "",
                 "html": "yes"},
    "apple": {"charset": "utf-8", "cte": "quoted-printable", "fname": "rfc2231", "agent":
              "X-Mailer: Apple Mail (2.3774.600.62)", "html": "no"},
    "iphone": {"charset": "utf-8", "cte": "base64", "fname": "rfc2231", "agent":
               "X-Mailer: iPhone Mail (21E236)", "html": "no"},
    "outlook-en": {"charset": "us-ascii", "cte": "quoted-printable", "fname": "plain", "agent":
                   "X-Mailer: Microsoft Outlook 16.0", "html": "yes"},
}


@dataclass
class Part:
    """An attachment or inline part."""

    filename: str
    content_type: str
    data: bytes
    inline_cid: str = ""
    encrypted: bool = False
    disposition: str = "attachment"  # Apple Mail and iPhone send PDFs and photos as "inline"
    split_name: bool = False  # Thunderbird splits long names into RFC 2231 continuations


@dataclass
class Mail:
    """A message description; `render()` gives the bytes the named client would submit."""

    client: str
    sender: tuple[str, str]
    to: list[tuple[str, str]]
    subject: str | None
    body: str
    cc: list[tuple[str, str]] = field(default_factory=list)
    bcc: list[tuple[str, str]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    date: str = "Tue, 14 May 2024 10:23:45 +0900"
    html_body: str | None = None
    html_only: bool = False
    headers: list[str] = field(default_factory=list)  # extra header lines (In-Reply-To, References)

    def render(self) -> bytes:
        """The message bytes."""
        style = CLIENTS[self.client]
        cs = style["charset"]
        seed = hashlib.sha1(repr((self.subject, self.body, self.to)).encode()).hexdigest()
        to = addr_list(self.to, cs) if self.to else "undisclosed-recipients:;"
        lines = [f"From: {addr_header(self.sender, cs)}", f"To: {to}"]
        if self.cc:
            lines.append(f"Cc: {addr_list(self.cc, cs)}")
        if self.bcc:
            lines.append(f"Bcc: {addr_list(self.bcc, cs)}")
        if self.subject is not None:
            lines.append(f"Subject: {encode_words(self.subject, cs)}" if self.subject.strip(" ")
                         else f"Subject: {self.subject}")
        lines += [f"Date: {self.date}", f"Message-ID: <{seed[:20]}@{self.sender[1].split('@')[1]}>",
                  "MIME-Version: 1.0"]
        lines += self.headers
        if style["agent"]:
            lines.append(style["agent"])
        text_part = text_leaf(self.body, cs, style["cte"], flowed=self.client.startswith("thunderbird"))
        content = text_part
        if style["html"] == "yes" or self.html_body is not None:
            html = self.html_body if self.html_body is not None else to_html(self.body)
            html_cs = "utf-8" if cs == "us-ascii" else cs
            html_leaf = leaf("text/html", encode_text(html, html_cs), html_cs,
                             "quoted-printable" if cs in ("us-ascii", "utf-8") and style["cte"] != "base64"
                             else ("7bit" if html_cs == "iso-2022-jp" else "base64"))
            inline = [p for p in self.parts if p.inline_cid]
            if inline:
                related = [html_leaf, *[attachment_leaf(p, cs, style["fname"]) for p in inline]]
                html_leaf = multipart("related", related, f"rel_{seed[:12]}", 'type="text/html"')
            content = html_leaf if self.html_only else multipart(
                "alternative", [text_part, html_leaf], f"alt_{seed[:16]}")
        files = [p for p in self.parts if not p.inline_cid]
        if files:
            content = multipart("mixed", [content] + [attachment_leaf(p, cs, style["fname"]) for p in files],
                                f"mix_{seed[:16]}")
        return (CRLF.join(lines) + CRLF).encode("ascii") + content


def _codec(charset: str) -> str:
    # cp932 is what Outlook really writes under the Shift_JIS label (①, ～ and NEC specials).
    return {"shift_jis": "cp932", "iso-2022-jp": "iso-2022-jp", "us-ascii": "ascii"}.get(charset, charset)


# Windows' ISO-2022-JP encoder (CP50220) writes these full-width forms as their JIS X 0208 cells.
_JIS_FORMS = str.maketrans({"\uff5e": "\u301c", "\uff0d": "\u2212"})


def encode_text(text: str, charset: str) -> bytes:
    """Text in `charset` as a Windows client would produce it."""
    if charset == "iso-2022-jp":
        text = text.translate(_JIS_FORMS)
    return text.encode(_codec(charset))


def as_received(text: str, charset: str) -> str:
    """What a correct decoder yields for `text` sent in `charset` (～ comes back as 〜 from JIS)."""
    return encode_text(text, charset).decode(_codec(charset))


def encode_words(text: str, charset: str) -> str:
    """RFC 2047 B-encoded words, folded; ASCII-only text stays as it is."""
    if text.isascii():
        return text
    if charset == "us-ascii":
        charset = "utf-8"
    # Each encoded word is complete on its own (ISO-2022-JP must end in ASCII mode per word).
    size = 8 if charset == "iso-2022-jp" else 12
    words = []
    for i in range(0, len(text), size):
        chunk = encode_text(text[i:i + size], charset)
        words.append(f"=?{charset.upper()}?B?{base64.b64encode(chunk).decode()}?=")
    return (CRLF + " ").join(words)


def addr_header(addr: tuple[str, str], charset: str) -> str:
    """`Name <address>` with the name encoded like the client would."""
    name, address = addr
    if not name:
        return address
    if name.isascii():
        return f'"{name}" <{address}>' if any(c in name for c in ",.") else f"{name} <{address}>"
    return f"{encode_words(name, charset)} <{address}>"


def addr_list(addrs: list[tuple[str, str]], charset: str) -> str:
    """Comma-separated, folded address list."""
    return ("," + CRLF + " ").join(addr_header(a, charset) for a in addrs)


def body_bytes(text: str, charset: str, cte: str) -> bytes:
    """Encode text with CRLF line ends in the given transfer encoding."""
    raw = encode_text(text.replace("\r\n", "\n").replace("\n", CRLF), charset)
    if cte == "base64":
        return base64.encodebytes(raw).replace(b"\n", b"\r\n")
    if cte == "quoted-printable":
        return quopri.encodestring(raw).replace(b"\r\n", b"\n").replace(b"=0D\n", b"\n") \
            .replace(b"\n", b"\r\n")
    return raw + (b"" if raw.endswith(b"\r\n") else b"\r\n")


def leaf(ctype: str, payload: bytes, charset: str, cte: str, extra: str = "") -> bytes:
    """A single-part entity with headers."""
    if cte == "base64":
        body = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    elif cte == "quoted-printable":
        body = quopri.encodestring(payload.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
    else:
        body = payload.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    head = f"Content-Type: {ctype}; charset=\"{charset}\"{extra}{CRLF}Content-Transfer-Encoding: {cte}{CRLF}"
    return head.encode("ascii") + b"\r\n" + body


def text_leaf(text: str, charset: str, cte: str, *, flowed: bool = False) -> bytes:
    """The text/plain part."""
    fmt = "; format=flowed" if flowed else ""
    head = f"Content-Type: text/plain; charset={charset}{fmt}{CRLF}Content-Transfer-Encoding: {cte}{CRLF}"
    return head.encode("ascii") + b"\r\n" + body_bytes(text, charset, cte)


def to_html(text: str) -> str:
    """Simple HTML rendering of the plain body, like a client's alternative part."""
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    rows = "".join(f"<p class=MsoNormal>{line or '&nbsp;'}</p>\n" for line in esc.split("\n"))
    head = '<html><head><meta charset="utf-8"></head><body lang=JA>\n<div class=WordSection1>\n'
    return f"{head}{rows}</div></body></html>\n"


def multipart(sub: str, children: list[bytes], boundary: str, extra: str = "") -> bytes:
    """A multipart entity (headers + body) from rendered children."""
    params = f'; {extra}' if extra else ""
    out = f'Content-Type: multipart/{sub}; boundary="{boundary}"{params}{CRLF}{CRLF}'.encode("ascii")
    for child in children:
        out += f"--{boundary}{CRLF}".encode("ascii") + child + b"\r\n"
    return out + f"--{boundary}--{CRLF}".encode("ascii")


def filename_params(name: str, charset: str, style: str) -> tuple[str, str]:
    """The filename/name parameters as the client writes them."""
    if name.isascii():
        return f'; name="{name}"', f'; filename="{name}"'
    if style == "rfc2231":
        cs = "utf-8" if charset in ("us-ascii", "iso-2022-jp") else charset
        quoted = urllib.parse.quote(name.encode(_codec(cs)), safe="")
        word = encode_words(name, cs).replace(CRLF + " ", " ")
        return f'; name="{word}"', f"; filename*={cs}''{quoted}"
    cs = "utf-8" if charset == "us-ascii" else charset
    word = encode_words(name, cs).replace(CRLF + " ", "")
    return f'; name="{word}"', f'; filename="{word}"'


def attachment_leaf(part: Part, charset: str, style: str) -> bytes:
    """An attachment (or inline cid image) part, base64."""
    name_p, file_p = filename_params(part.filename, charset, style)
    disp = "inline" if part.inline_cid else part.disposition
    if part.split_name:
        raw = part.filename.encode("utf-8")
        pieces = [urllib.parse.quote(raw[i:i + 20], safe="") for i in range(0, len(raw), 20)]
        file_p = "".join(f";{CRLF} filename*{i}*={'utf-8' + chr(39) * 2 if i == 0 else ''}{piece}"
                         for i, piece in enumerate(pieces))
    head = [f"Content-Type: {part.content_type}{name_p}", f"Content-Disposition: {disp}{file_p}",
            "Content-Transfer-Encoding: base64"]
    if part.inline_cid:
        head.append(f"Content-ID: <{part.inline_cid}>")
    body = base64.encodebytes(part.data).replace(b"\n", b"\r\n")
    return (CRLF.join(head) + CRLF + CRLF).encode("ascii") + body
