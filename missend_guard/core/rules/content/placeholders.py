"""Unfilled template text: 〇〇様, 【会社名】, {{name}}, [NAME], <<FirstName>> and the like."""

from __future__ import annotations

import re

# Words that only a template puts in brackets; a label like 【日時】 followed by a value is not one.
_STRONG_WORDS = (
    "会社名", "貴社名", "御社名", "社名", "氏名", "お名前", "名前", "宛名", "宛先名", "担当者名",
    "ご担当者名", "お客様名", "顧客名", "取引先名", "部署名", "役職名", "記入", "入力", "挿入", "ここに",
    "要修正", "要変更",
    "差し込み", "差込",
)
_WEAK_WORDS = ("日付", "日時", "担当者", "部署", "役職", "住所", "電話番号", "金額", "件名", "場所", "商品名")
_EN_WORDS = (
    "name", "first name", "firstname", "first_name", "last name", "lastname", "last_name", "full name",
    "your name", "recipient", "recipient name", "company", "company name", "client", "client name",
    "customer", "customer name", "contact name", "title", "date", "insert", "insert name", "placeholder",
    "tbd", "todo", "xxx", "amount", "address", "phone", "email", "organization", "organisation",
)
_JA_WORD = "|".join(map(re.escape, (*_STRONG_WORDS, *_WEAK_WORDS)))
_EN_WORD = "|".join(map(re.escape, sorted(_EN_WORDS, key=len, reverse=True)))
# Honorifics and particles that follow a slot standing where a name or value should be.
_AFTER_SLOT = re.compile(r"^\s*(?:様|さま|さん|殿|御中|各位|の|は|が|を|に|で|と|へ|より|から|、|。|,|$)")

_JA_BRACKETS = re.compile(
    r"(?P<open>[【［\[〔＜<《〈(（])\s*(?P<word>(?:[^\s\]】］〕＞>》〉)）]{0,6}?)(?:" + _JA_WORD + r")"
    r"(?:[^\s\]】］〕＞>》〉)）]{0,4}?))\s*(?P<close>[】］\]〕＞>》〉)）])"
)
_CLOSERS = dict(zip("【［[〔＜<《〈(（", "】］]〕＞>》〉)）", strict=True))
_MARKS = re.compile(r"([〇○●×✕△])\1+"
                    r"|(?<![A-Za-z0-9])[XxＸｘ]{2,}(?:様|さま|さん|殿|御中|(?=\s*(?:株式会社|社|日|月|年|円|部|課|君)))"
                    r"|(?:(?<=株式会社)|(?<=[月年]))\s*[XxＸｘ]{2,}(?![A-Za-z0-9])"
                    r"|(?i:(?<![A-Za-z])(?:dear|hi|hello)\s+(?:mr\.?\s+|ms\.?\s+|mrs\.?\s+)?x{2,}(?![A-Za-z]))")
_MUSTACHE = re.compile(r"\{\{\s*[^{}\n]{1,40}?\s*\}\}|\[\[\s*[^\[\]\n]{1,40}?\s*\]\]")
_BRACE = re.compile(r"(?<![$%#{\w])\{(?:[A-Za-z_][A-Za-z0-9_ .-]{0,30}|" + _JA_WORD + r")\}(?!\})")
_EN_SQUARE = re.compile(r"\[\s*(?i:" + _EN_WORD + r")\s*\](?!\()")
_MERGE = re.compile(
    r"(?:<<|＜＜|«)\s*(?:[A-Za-z_][A-Za-z0-9_]{0,30}(?: [A-Za-z0-9_]{1,30}){0,2}|"
    + _JA_WORD
    + r")\s*(?:>>|＞＞|»)"
)
_CODE_LINE = re.compile(r"[;{]\s*$|=>|\bfunction\b|\breturn\b|\bdef\b|\bconst\b|\bvar\b|\$\{|print\(")


# Every pattern above needs one of these: one cheap scan skips the (many) lines that have none.
# Two patterns that each start with a class ([XxＸｘ]{2} written out), so the engine jumps from one
# candidate character to the next instead of trying an alternation at every character.
_TRIGGER_MARK = re.compile(r"[〇○●×✕△{\[<＜«【［〔《〈(（]")
_TRIGGER_XX = re.compile(r"[XxＸｘ][XxＸｘ]")


def _triggered(text: str) -> bool:
    """Whether `text` holds a character (or XX) that some placeholder pattern starts from."""
    return bool(_TRIGGER_MARK.search(text) or _TRIGGER_XX.search(text))


def _bracket_slots(line: str, filename: bool) -> list[tuple[int, str]]:
    found = []
    for m in _JA_BRACKETS.finditer(line):
        if _CLOSERS[m.group("open")] != m.group("close"):
            continue
        word = m.group("word")
        strong = any(w in word for w in _STRONG_WORDS)
        if not strong and m.group("open") in "(（<＜":
            continue  # "山田（担当者）が伺います" is an aside, not a slot
        after = line[m.end() :]
        at_line_start = not line[: m.start()].strip()
        slot = bool(_AFTER_SLOT.match(after))
        after_label = bool(re.search(r"[:：]\s*$", line[: m.start()]))
        weak_slot = not at_line_start and (slot or after_label)
        if filename or (strong and (slot or not at_line_start)) or (not strong and weak_slot):
            found.append((m.start(), m.group()))
    return found


def find_placeholders(text: str, *, filename: bool = False) -> list[str]:
    """Placeholder texts in `text`, in order of appearance; `filename` relaxes the label heuristics."""
    if not _triggered(text):
        return []  # the usual case; a line without a trigger has none of its own either
    found: list[tuple[int, int, str]] = []
    for lineno, line in enumerate(text.splitlines()):
        if not _triggered(line):
            continue
        hits = [(m.start(), m.group()) for m in _MARKS.finditer(line)]
        hits += [(m.start(), m.group()) for m in _MUSTACHE.finditer(line)]
        hits += [(m.start(), m.group()) for m in _MERGE.finditer(line)]
        hits += [(m.start(), m.group()) for m in _EN_SQUARE.finditer(line)]
        if filename or not _CODE_LINE.search(line):
            hits += [(m.start(), m.group()) for m in _BRACE.finditer(line)]
        hits += _bracket_slots(line, filename)
        found += [(lineno, pos, hit.strip()) for pos, hit in hits]
    return list(dict.fromkeys(hit for _, _, hit in sorted(found)))
