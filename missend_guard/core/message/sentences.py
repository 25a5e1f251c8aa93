"""Sentences as a reader sees them: hard-wrapped lines joined again, then cut at 。！？ and ". "."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# A line that ends mid-sentence: after 、 or a particle (資料は / ファイルを / 容量が大きいため、).
_OPEN_END_JA = re.compile(
    r"(?:[、，,・]|[をにはがでとへやもの]|から|より|ので|けど|けれど|ため|て|について|として|により|によって)$"
)
_CLOSED_END = re.compile(r"[。．.！!？?:：;；)）」』】>＞]$")
# A line that starts something of its own: a list item, a label, a bracketed heading, a quote.
_ITEM_START = re.compile(
    r"^(?:[・■□◆◇●○◎★☆※\-*•►▶>＞|｜【\[［(（<＜「『#＃]|\d{1,3}[.)．、]|[①-⑳]|[A-Za-z]\)"
    r"|[^\s:：]{1,12}[:：])"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f々]")
_CJK_OR_MARK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef々]")
# "Co., Ltd. will reply": a full stop after these does not end the sentence.
_ABBREVIATION = re.compile(
    r"(?:^|\s|,)(?:co|ltd|inc|corp|mr|mrs|ms|dr|prof|no|vs|etc|e\.g|i\.e|approx|dept|jr|sr|st)\.$",
    re.IGNORECASE,
)
_WRAP_WIDTH = 60  # display columns: a line this wide that stops mid-sentence was wrapped by the client
# ASCII ! and ? end a sentence only before a space ("Hq7!pZ2m" is one word). Every alternative
# needs one of 。．！？!?. just before it: testing that first spares three look-behinds per character.
_SPLIT = re.compile(r"(?<=[。．！？!?.])(?:(?<=[。．！？])|(?<=[!?])\s+|(?<=[a-z0-9)]\.)\s+)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。．！？!?.]")  # a line without one is a single piece


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence `previous` stopped in the middle of."""
    if not previous or not line or _ITEM_START.match(line) or _CLOSED_END.search(previous):
        return False
    if previous[-1] in "、，":
        return True
    if _CJK.search(previous[-1]):
        wrapped = _width(previous) >= _WRAP_WIDTH and bool(_CJK.match(line))
        return wrapped or bool(_OPEN_END_JA.search(previous))
    # English: a wrapped line goes on in lower case, or the line before it was cut at the wrap width.
    return line[0].islower() or (_width(previous) >= _WRAP_WIDTH and line[0].isalnum())


def logical_lines(text: str) -> list[str]:
    """The text's lines with hard-wrapped ones joined back (no space between Japanese words)."""
    return list(_iter_logical_lines(text))


def _iter_logical_lines(text: str) -> Iterator[str]:
    """`logical_lines(text)` one at a time: each is given out once the next line does not continue it."""
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if current is not None and _continues(current, line):
            glue = "" if _CJK_OR_MARK.match(current[-1]) or _CJK_OR_MARK.match(line) else " "
            current += glue + line
        else:
            if current is not None:
                yield current
            current = line
    if current is not None:
        yield current


def sentences(text: str) -> list[str]:
    """Non-empty sentences: wrapped lines joined, then cut after 。！？ and an English full stop."""
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[str]:
    """`sentences(text)` one at a time: a reader that stops at the first hit cuts no further."""
    for line in _iter_logical_lines(text):
        current = ""
        for piece in _SPLIT.split(line) if _SENTENCE_END.search(line) else (line,):
            if not piece.strip():
                continue
            # endswith first: the abbreviation must end the text ('$': at the end or before a final \n).
            if current.endswith((".", ".\n")) and _ABBREVIATION.search(current):
                current += " " + piece
                continue
            if current:
                yield current
            current = piece
        if current:
            yield current
