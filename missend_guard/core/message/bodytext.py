"""Split a plain-text body into the sender's own new text, quoted history and signature."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Lines that start a block of earlier mail: everything after them is history.
_SEPARATORS = re.compile(
    r"""^\s*(?:
        -{2,}\s*(?:original\s+message|forwarded\s+message|元のメッセージ|転送メッセージ|転送された?メッセージ
                 |オリジナル\s*メッセージ|原文)\s*-{2,}
      | _{10,}
      | (?:begin\s+forwarded\s+message|転送されたメッセージ)\s*[:：]
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Outlook's reply header: "From:"/"差出人:" then Sent/Date/To/Subject lines right below.
_HEADER_FROM = re.compile(r"^\s*[*]?(?:from|差出人|送信者|送信元)[*]?\s*[:：]", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*[*]?(?:sent|date|to|cc|subject|送信日時|日付|日時|宛先|件名|cc)[*]?\s*[:：]", re.IGNORECASE
)
# Attribution lines written above a quote ("On ... wrote:", "2026年11月20日(金) 10:00 山田 太郎 <...>:").
_ATTRIBUTION_END = re.compile(r"[:：]\s*$")
_ATTRIBUTION_WORDS = re.compile(r"\bwrote\b|書きました|のメール\s*[:：]|schrieb|a écrit", re.IGNORECASE)
_ATTRIBUTION_DATED = re.compile(
    r"^\s*(?:on\s|am\s|le\s|\d{4}\s*[年/.-]\s*\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})", re.IGNORECASE
)
_QUOTE_MARK = re.compile(r"^\s*[>＞|｜]")

# RFC 3676 signature dash line, and the decorative rules Japanese signatures are framed with.
_SIG_DASH = re.compile(r"^--\s?$")
_RULE_LINE = re.compile(r"^\s*([-=＝━─－_*＊~～#■□◆◇●○☆★+※・])\1{4,}\s*$|^\s*(?:[■□◆◇]\s*){4,}$")
_CONTACT_MARK = re.compile(
    r"(?:tel|fax|phone|mobile|携帯|電話|〒|e-?mail|mail\s*[:：]|https?://|www\.|@|株式会社|有限会社|\(株\)|㈱"
    r"|inc\.|co\.,?\s*ltd|corporation)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:tel|fax|電話|携帯|phone|mobile)\s*[:：.]?\s*[+(\d]", re.IGNORECASE)
# Legal footers ("This email is confidential...", 「本メールは…誤って受信された場合…」).
_DISCLAIMER = re.compile(
    r"intended\s+(?:only\s+)?(?:for|recipient)|received\s+this\s+(?:e-?mail|message|communication)\s+in\s+error"
    r"|(?:this|the)\s+(?:e-?mail|message|communication)\s+(?:and\s+any\s+(?:attachments|files)\s+)?"
    r"(?:transmitted\s+with\s+it\s+)?(?:is|are|may\s+be|may\s+contain|contains)\s+(?:strictly\s+)?"
    r"(?:confidential|privileged|proprietary)"
    r"|disclaimer|誤って(?:本|この)?(?:メール|電子メール)|(?:本|この)(?:メール|電子メール)(?:に)?(?:は|の内容|および添付)"
    r".{0,40}(?:宛先|受信者|名宛人|機密|秘密|守秘)|心当たりのない|誤送信(?:され|の場合|と思われ)",
    re.IGNORECASE,
)
_SIGNATURE_MAX_LINES = 16


@dataclass(frozen=True)
class BodyParts:
    """The body cut in three: what the sender wrote now, their signature, and earlier mail."""

    own: str
    signature: str
    quoted: str


def _is_outlook_header(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i]):
        return False
    following = [ln for ln in lines[i + 1 : i + 6] if ln.strip()]
    return sum(1 for ln in following[:4] if _HEADER_NEXT.match(ln)) >= 2


def _attribution_span(lines: list[str], i: int) -> int:
    """Number of lines (1–3) forming an attribution starting at i, or 0."""
    if _QUOTE_MARK.match(lines[i]) or not lines[i].strip():
        return 0
    for span in range(1, 4):
        last = lines[i + span - 1] if i + span <= len(lines) else ""
        if not last.strip() or last.rstrip().endswith("。"):
            break  # attributions wrap onto the next line, never across a blank line or a sentence
        joined = " ".join(ln.strip() for ln in lines[i : i + span])
        if len(joined) > 300:
            break
        if _ATTRIBUTION_END.search(joined) and _looks_like_attribution(joined):
            return span
    return 0


def _looks_like_attribution(text: str) -> bool:
    if _ATTRIBUTION_WORDS.search(text):
        return True
    # Gmail ja: "2026年11月20日(金) 10:00 山田 太郎 <taro@example.co.jp>:" has a date, a time and an address.
    return bool(
        _ATTRIBUTION_DATED.match(text)
        and re.search(r"\d{1,2}[:：]\d{2}", text)
        and ("@" in text or ">" in text)
    )


def _history_start(lines: list[str]) -> tuple[int, int]:
    """(index where history starts, lines of attribution kept apart when only `>` lines follow)."""
    for i, line in enumerate(lines):
        if _QUOTE_MARK.match(line):
            continue
        if _SEPARATORS.match(line) or _is_outlook_header(lines, i):
            return i, 0
        span = _attribution_span(lines, i)
        if span:
            nxt = next((ln for ln in lines[i + span :] if ln.strip()), "")
            # Quoted with '>' below the attribution: own text may follow (bottom/inline posting).
            return (i, span) if _QUOTE_MARK.match(nxt) else (i, 0)
    return len(lines), 0


def _signature_start(own: list[str]) -> int:
    """Index in `own` where the signature begins (len(own) when there is none)."""
    for i in range(len(own) - 1, -1, -1):
        if _SIG_DASH.match(own[i]):
            return i
    nonblank = [i for i, ln in enumerate(own) if ln.strip()]
    tail = nonblank[-_SIGNATURE_MAX_LINES:]
    for i in tail:
        if _RULE_LINE.match(own[i]):
            block = own[i + 1 :]
            if any(_CONTACT_MARK.search(ln) for ln in block) and sum(1 for ln in block if ln.strip()) <= 14:
                return i
    # No frame: a last paragraph that is mostly name, company and phone lines.
    if nonblank:
        end = nonblank[-1]
        start = end
        while start > 0 and own[start - 1].strip():
            start -= 1
        para = [ln for ln in own[start : end + 1] if ln.strip()]
        if 2 <= len(para) <= 8 and any(_PHONE.search(ln) for ln in para) and not any(
            ln.rstrip().endswith(("。", ".", "?", "？")) and not _CONTACT_MARK.search(ln) for ln in para
        ):
            return start
    return len(own)


def _split_disclaimers(lines: list[str]) -> tuple[list[str], list[str]]:
    """Move legal-footer paragraphs out of the own text."""
    kept: list[str] = []
    moved: list[str] = []
    para: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            para.append(line)
            continue
        if para and _DISCLAIMER.search(" ".join(para)):
            moved += para
        else:
            kept += para
        para = []
        kept.append(line)
    kept.pop()
    return kept, moved


def body_lines(body: str) -> list[str]:
    """`body` cut into lines whatever its line endings (CRLF, CR or LF): the unit the flags count."""
    return body.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# The one definition of "quoted": the rules (through `split_body`) and the review preview both use it.
def quoted_line_flags(lines: Sequence[str]) -> list[bool]:
    """One flag per line: True where the line is earlier mail (`>` quotes, attributions, replied history)."""
    rows = list(lines)
    quoted_at = [False] * len(rows)
    offset = 0
    while offset < len(rows):
        start, attribution = _history_start(rows[offset:])
        start += offset
        if start >= len(rows):
            break
        if not attribution:
            quoted_at[start:] = [True] * (len(rows) - start)
            break
        # Bottom or inline posting: the attribution and '>' lines are history, text after them is still own.
        quoted_at[start : start + attribution] = [True] * attribution
        offset = start + attribution
    return [q or bool(_QUOTE_MARK.match(ln)) for ln, q in zip(rows, quoted_at, strict=True)]


@functools.lru_cache(maxsize=32)  # every content rule asks for the same body's parts
def split_body(body: str) -> BodyParts:
    """Cut `body` into own text, signature (incl. legal footers) and quoted/forwarded history."""
    lines = body_lines(body)
    quoted_at = quoted_line_flags(lines)
    own = [ln for ln, q in zip(lines, quoted_at, strict=True) if not q]
    quoted = [ln for ln, q in zip(lines, quoted_at, strict=True) if q]
    sig_at = _signature_start(own)
    own, signature = own[:sig_at], own[sig_at:]
    own, disclaimers = _split_disclaimers(own)
    return BodyParts(
        own="\n".join(own).strip("\n"),
        signature="\n".join(signature + disclaimers).strip("\n"),
        quoted="\n".join(quoted).strip("\n"),
    )


def own_text(body: str) -> str:
    """Only what the sender wrote in this message (no quotes, no signature, no legal footer)."""
    return split_body(body).own
