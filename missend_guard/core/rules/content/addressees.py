"""Does a salutation name one of the recipients? Names, readings, romaji and companies compared leniently."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from missend_guard.core.contacts.book import Contact
from missend_guard.core.contacts.names import looks_like_surname, normalize_name, normalize_text
from missend_guard.core.contacts.romaji import is_kana, kana_to_romaji, loose_key
from missend_guard.core.message.addresses import Address
from missend_guard.core.rules.content.nicknames import same_person_names
from missend_guard.core.rules.content.salutation import Salutation

_SPLIT = re.compile(r"[\s\u3000・･/]+")
_BRACKETED = re.compile(r"[(（\[［【<＜]([^)）\]］】>＞]*)[)）\]］】>＞]")
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々\uff66-\uff9f]")
_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|[一公]般?(?:社団|財団)法人|[(（][株有][)）]|㈱|㈲"
    r"|(?<![a-z])(?:inc|corp|corporation|co|ltd|llc|gmbh|plc|limited|k\.k|kk)\.?(?![a-z])|[,.&]",
    re.IGNORECASE,
)
_DEPT_WORD = re.compile(
    r"\S*(?:部|課|室|局|グループ|チーム|センター|department|dept|division|div)\.?$", re.IGNORECASE
)


_TITLE_WORD = re.compile(
    r"^(?:様|さま|殿|さん|御中|先生|氏|各位|代表取締役|取締役|社長|副社長|会長|専務|常務|部長|次長|課長|係長|室長|所長"
    r"|支店長|店長|主任|マネージャー|mr|mrs|ms|dr|prof)\.?$",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(
    r"(?<=.)(?:様|さま|殿|さん|先生|氏|社長|部長|課長|係長|室長|所長|次長|専務|常務)$"
)


def _is_department(token: str) -> bool:
    return bool(_DEPT_WORD.match(token)) and not looks_like_surname(token)


# Local parts that name a role, not a person: no evidence either way.
_ROLE_LOCAL = re.compile(
    r"^(?:info|sales|support|contact|admin|office|mail|service|help|desk|team|hr|jinji|soumu|eigyo|eigyou"
    r"|customer|inquiry|toiawase|noreply|no-reply|webmaster|postmaster|billing|accounting|keiri|press|pr)\b",
    re.IGNORECASE,
)
_GENERIC_DOMAIN_LABELS = frozenset({"co", "ne", "or", "ac", "go", "lg", "ed", "gr", "com", "net", "org", "jp",
                                    "mail", "www", "biz", "info"})


class Verdict(Enum):
    """What one recipient's names say about a salutation."""

    MATCH = "match"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"  # nothing comparable (e.g. a kanji salutation and only a romaji address)


@dataclass
class RecipientNames:
    """Every name key we know for one recipient, by script."""

    cjk: set[str] = field(default_factory=set)  # normalize_name keys holding kanji or kana
    full_pairs: set[tuple[str, str]] = field(default_factory=set)  # (family, given) keys
    readings: set[str] = field(default_factory=set)  # hiragana keys
    roman: set[str] = field(default_factory=set)  # loose romaji keys of single name words
    local: str = ""  # loose key of a personal local part ("taro.tanaka" → "taronaka"-ish), "" for roles
    companies: set[str] = field(default_factory=set)  # company keys without legal forms
    domain_words: set[str] = field(default_factory=set)

    def add_name(self, text: str) -> None:
        """Add a display or contact name (tokens, full form, and what is in brackets)."""
        for inner in _BRACKETED.findall(text):
            self.add_company(inner)
        text = _BRACKETED.sub(" ", text)
        tokens = [t for t in _SPLIT.split(text.strip()) if t and not _LEGAL_FORMS.search(t)]
        # "佐藤 花子 様", "佐藤部長": honorifics and titles in a display name are not part of the name.
        tokens = [_TITLE_SUFFIX.sub("", t) if _CJK.search(t) else t for t in tokens
                  if not _TITLE_WORD.match(t)]
        tokens = [t for t in tokens if not _is_department(t) or len(tokens) == 1]
        for token in tokens:
            self._add_word(token)
        if len(tokens) >= 2:
            self._add_word("".join(tokens))
            if len(tokens) == 2 and _CJK.search(text):
                self.full_pairs.add((normalize_name(tokens[0]), normalize_name(tokens[1])))
        elif tokens and _KANJI.search(tokens[0]):
            self.cjk.add(normalize_name(tokens[0]))

    def _add_word(self, word: str) -> None:
        key = normalize_name(word)
        if not key:
            return
        if is_kana(word):
            self.readings.add(key)
            self.roman.add(loose_key(kana_to_romaji(word)))
        if _CJK.search(word):
            self.cjk.add(key)
        elif word.isascii() and len(key) >= 2:
            self.roman.add(loose_key(word))

    def add_reading(self, reading: str) -> None:
        """Add a kana reading from the contact card."""
        if reading.strip():
            self.readings.add(normalize_name(reading))
            self.roman.add(loose_key(kana_to_romaji(reading)))

    def add_company(self, company: str) -> None:
        """Add a company name (legal forms dropped)."""
        key = company_key(company)
        if len(key) >= 2:
            self.companies.add(key)

    @property
    def has_kanji(self) -> bool:
        """Whether a kanji name is known (a kanji salutation can be judged)."""
        return any(_KANJI.search(k) for k in self.cjk)


def company_key(company: str) -> str:
    """Company name without legal forms, departments, width, case or spacing."""
    words = [w for w in _SPLIT.split(company) if w and not _is_department(w)]
    return normalize_name(_LEGAL_FORMS.sub("", " ".join(words) or company))


def recipient_names(address: Address, contact: Contact | None) -> RecipientNames:
    """Collect the name keys of one recipient from its display name, contact card and address."""
    names = RecipientNames()
    if address.name:
        names.add_name(address.name)
    if contact is not None:
        names.add_name(contact.name)
        for part in (contact.family, contact.given):
            if part.strip():
                names.add_name(part)
        if contact.family.strip() and contact.given.strip():
            names.full_pairs.add((normalize_name(contact.family), normalize_name(contact.given)))
        names.add_reading(contact.family_reading)
        names.add_reading(contact.given_reading)
        if contact.company.strip():
            names.add_company(contact.company)
    local = address.local
    if local and not _ROLE_LOCAL.match(local):
        for word in re.split(r"[._+\-\d]+", local):
            if len(word) >= 2:
                names.roman.add(loose_key(word))
        names.local = loose_key(local)
    labels = address.domain.split(".")
    for label in labels[:-1]:
        if label not in _GENERIC_DOMAIN_LABELS:
            names.domain_words.add(label.replace("-", ""))
            names.domain_words.update(w for w in label.split("-") if len(w) >= 3)
    return names


def _person_verdict(person: str, names: RecipientNames) -> Verdict:
    words = [w for w in _SPLIT.split(person) if w]
    if person.isascii():
        words = [w for w in re.split(r"\s+and\s+|\s+", person) if len(w) >= 2]
        if not names.roman and not names.local:
            return Verdict.UNKNOWN
        # "Hi Bob" greets Robert: every name a word may stand for counts.
        keys = {loose_key(n) for w in words for n in same_person_names(w)}
        hit = any(k in names.roman or (len(k) >= 4 and k in names.local) for k in keys if k)
        return Verdict.MATCH if hit else Verdict.MISMATCH
    key = normalize_name(person)
    if is_kana(person):
        if not names.readings and not names.roman:
            return Verdict.UNKNOWN
        romaji = loose_key(kana_to_romaji(person))
        hit = romaji in names.roman or any(key == r or _affix(key, r) for r in names.readings)
        return Verdict.MATCH if hit else Verdict.MISMATCH
    if not names.has_kanji:
        return Verdict.UNKNOWN
    if len(words) >= 2 and names.full_pairs:
        # A full name was written: both parts must fit, 佐藤 花子 is not 佐藤 一郎.
        first, second = normalize_name(words[0]), normalize_name(words[1])
        wanted = {first + second, second + first}
        return Verdict.MATCH if any(f + g in wanted for f, g in names.full_pairs) else Verdict.MISMATCH
    word_keys = {normalize_name(w) for w in words}
    hit = key in names.cjk or bool(word_keys & names.cjk) or any(_affix(key, k) for k in names.cjk)
    return Verdict.MATCH if hit else Verdict.MISMATCH


def _affix(a: str, b: str) -> bool:
    """One name is the start or end of the other (田中 vs 田中太郎 written without a space)."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 2 and len(long) > len(short) and (long.startswith(short) or long.endswith(short))


def _company_verdict(company: str, names: RecipientNames) -> Verdict:
    key = company_key(company)
    if not key:
        return Verdict.UNKNOWN
    found = re.findall(r"[A-Za-z][A-Za-z0-9&\-]{2,}", company)
    ascii_words = {normalize_text(w).replace("-", "") for w in found}
    ascii_words = {w for w in ascii_words if not _LEGAL_FORMS.fullmatch(w)}
    if any(key == c or (min(len(key), len(c)) >= 2 and (key in c or c in key)) for c in names.companies):
        return Verdict.MATCH
    if ascii_words & names.domain_words or normalize_name(company).replace("&", "") in names.domain_words:
        return Verdict.MATCH
    if names.companies or ascii_words:
        return Verdict.MISMATCH
    return Verdict.UNKNOWN


def _company_conflict(company: str, names: RecipientNames) -> bool:
    """True when the recipient is known to be at another company than the one the salutation names."""
    if not company_key(company) or _company_verdict(company, names) is not Verdict.MISMATCH:
        return False
    # Only a company written in the same script can contradict (ABC商事 vs Midori Bussan cannot).
    cjk = bool(_CJK.search(company))
    comparable = [c for c in names.companies if bool(_CJK.search(c)) == cjk]
    return bool(comparable) or (not cjk and bool(names.domain_words))


def judge(salutation: Salutation, recipients: Iterable[RecipientNames]) -> Verdict:
    """MATCH if any recipient fits, UNKNOWN if any cannot be judged, else MISMATCH.

    A salutation naming a company and a person fits a recipient only when both fit that one recipient.
    """
    verdicts = []
    for names in recipients:
        verdict = Verdict.UNKNOWN
        if salutation.person:
            verdict = _person_verdict(salutation.person, names)
            conflict = salutation.company and _company_conflict(salutation.company, names)
            if verdict is Verdict.MATCH and conflict:
                verdict = Verdict.MISMATCH  # 佐藤 at another company is not "ABC商事 佐藤様"
        if verdict is Verdict.UNKNOWN and salutation.company:
            verdict = _company_verdict(salutation.company, names)
        verdicts.append(verdict)
    if not verdicts or Verdict.MATCH in verdicts:
        return Verdict.MATCH
    return Verdict.UNKNOWN if Verdict.UNKNOWN in verdicts else Verdict.MISMATCH
