"""Contacts from CSV exports: Outlook (ja/en), Thunderbird (ja/en), Google, or a plain name,email,company."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from missend_guard.core.contacts.names import is_cjk

_EMAIL_LIKE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_HEADER_NOISE = re.compile(r"[\s\-_:()（）・.]+")

# Column roles by normalised header (NFKC, lower-case, no spaces/hyphens/brackets).
_ROLE_BY_HEADER = {
    "name": "display", "displayname": "display", "fullname": "display", "表示名": "display",
    "名前": "display", "氏名": "display", "フルネーム": "display", "emaildisplayname": "ignore",
    "電子メール表示名": "ignore", "firstname": "given", "givenname": "given", "名": "given",
    "lastname": "family", "surname": "family", "familyname": "family", "姓": "family",
    "company": "company", "companyname": "company", "organization": "company",
    "organisation": "company", "organization1name": "company", "organizationname": "company",
    "会社": "company", "会社名": "company", "勤務先": "company", "所属": "company", "組織": "company",
    "勤務先会社名": "company", "department": "department", "organization1department": "department",
    "organizationdepartment": "department", "部署": "department", "部署名": "department",
    "部門": "department", "yominame": "reading", "所属会社": "company", "勤務先名": "company",
}
_READING_MARKS = (
    "yomi", "phonetic", "ふりがな", "フリガナ", "よみがな", "ヨミガナ", "よみ", "ヨミ", "読み", "reading",
)
_GIVEN_MARKS = ("first", "given", "名")
_FAMILY_MARKS = ("last", "family", "surname", "姓")
_EMAIL_MARKS = ("email", "mail", "メール")
_EMAIL_NOT = ("type", "label", "display", "表示", "種類", "format", "形式")


class CsvHeaderError(ValueError):
    """The CSV has no column that holds e-mail addresses."""


@dataclass(frozen=True)
class CsvEntry:
    """One row's contact fields."""

    name: str
    emails: tuple[str, ...]
    company: str = ""
    department: str = ""
    family: str = ""
    given: str = ""
    family_reading: str = ""
    given_reading: str = ""


@dataclass
class _Columns:
    emails: list[int] = field(default_factory=list)
    roles: dict[str, int] = field(default_factory=dict)


def _header_key(cell: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", cell).strip().lower())


def _role(cell: str) -> str:
    key = _header_key(cell)
    if key in _ROLE_BY_HEADER:
        return _ROLE_BY_HEADER[key]
    if any(m in key for m in _READING_MARKS):
        if any(m in key for m in _FAMILY_MARKS):
            return "family_reading"
        if any(m in key for m in _GIVEN_MARKS):
            return "given_reading"
        return "reading"
    if any(m in key for m in _EMAIL_MARKS) and not any(m in key for m in _EMAIL_NOT):
        return "email"
    return ""


def _columns(header: Sequence[str]) -> _Columns | None:
    if any("@" in cell for cell in header):
        return None
    cols = _Columns()
    for i, cell in enumerate(header):
        role = _role(cell)
        if role == "email":
            cols.emails.append(i)
        elif role and role != "ignore":
            cols.roles.setdefault(role, i)
    return cols if cols.emails else None


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return " ".join(row[index].split())


def _emails(row: Sequence[str], indexes: Sequence[int]) -> tuple[str, ...]:
    found: list[str] = []
    for i in indexes:
        # Google joins several addresses in one cell with " ::: ".
        for part in re.split(r":::|;|,|\s+", _cell(row, i)):
            addr = part.strip().strip("<>").removeprefix("mailto:")
            if _EMAIL_LIKE.match(addr):
                local, _, domain = addr.rpartition("@")
                found.append(f"{local}@{domain.lower()}")
    return tuple(dict.fromkeys(found))


def _entry(row: Sequence[str], cols: _Columns) -> CsvEntry | None:
    emails = _emails(row, cols.emails)
    if not emails:
        return None
    get = cols.roles.get
    family, given = _cell(row, get("family")), _cell(row, get("given"))
    family_reading, given_reading = _cell(row, get("family_reading")), _cell(row, get("given_reading"))
    if not (family_reading or given_reading):
        fam, _, giv = _cell(row, get("reading")).partition(" ")
        family_reading, given_reading = fam, giv.strip()
    company = _cell(row, get("company"))
    name = _cell(row, get("display"))
    if not name and (family or given):
        parts = (family, given) if is_cjk(family + given) else (given, family)
        name = " ".join(p for p in parts if p)
    return CsvEntry(
        name=name or company or emails[0],
        emails=emails,
        company=company,
        department=_cell(row, get("department")),
        family=family,
        given=given,
        family_reading=unicodedata.normalize("NFKC", family_reading),
        given_reading=unicodedata.normalize("NFKC", given_reading),
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _headerless(rows: list[list[str]]) -> list[CsvEntry]:
    """No recognisable header: take the cell that looks like an address, and the first other as name."""
    entries = []
    for row in rows:
        emails = tuple(c.strip() for c in row if _EMAIL_LIKE.match(c.strip()))
        if not emails:
            continue
        others = [" ".join(c.split()) for c in row if c.strip() and c.strip() not in emails]
        entries.append(CsvEntry(name=others[0] if others else emails[0], emails=emails,
                                company=others[1] if len(others) > 1 else ""))
    return entries


def parse_csv(text: str) -> list[CsvEntry]:
    """Rows with at least one address; raises CsvHeaderError when no column holds addresses."""
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text.split("\n", 1)[0])
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    for start, header in enumerate(rows[:5]):
        cols = _columns(header)
        if cols is not None:
            return [e for e in (_entry(r, cols) for r in rows[start + 1 :]) if e is not None]
    entries = _headerless(rows)
    if not entries:
        raise CsvHeaderError("no column with e-mail addresses was found")
    return entries
