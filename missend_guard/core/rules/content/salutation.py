"""The salutation at the top of a mail: 鈴木様, ABC商事株式会社 御中, 関係者各位, Dear Ms. Garcia, Hi John."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

from missend_guard.core.contacts.names import looks_like_surname, normalize_text

SalutationKind = Literal["person", "company", "all"]

_SPACE = re.compile(r"[\s\u3000]+")
_HONORIFIC = re.compile(
    r"^(?![(（]\s*(?i:cc|bcc|写し))(?P<name>[^\s、。，,:：!！?？「『].{0,48}?)[\s\u3000]*"
    r"(?P<hon>様|さま|サマ|さん|殿|御中|各位|先生|くん|君|社長|部長|課長|係長|室長|所長|次長|専務|常務|主任)"
    r"(?=$|[\s\u3000、，,。.:：!！])"
)
# "事業部長", "副社長", "代表取締役社長" are titles on their own, not a name followed by a title.
# A one-kanji surname before a title is a name (林部長, 森課長); a one-character prefix such as 副 is not.
_NOT_A_NAME_BEFORE_TITLE = re.compile(
    r"(?:事業|本|副|支店|営業|代表|取締役|.{2,}[部課室]|^[^\u3400-\u9fff]|^[副本元前新総旧現各全同当次])$"
)
_TITLE_HONORIFICS = frozenset(
    {"社長", "部長", "課長", "係長", "室長", "所長", "次長", "専務", "常務", "主任"}
)
_PLACEHOLDER_MARKS = re.compile(r"[〇○●×✕△□＊*{}【】\[\]<>＜＞]|^[XxＸｘ]{2,}$")
_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|good\s+(?:morning|afternoon|evening|day)|greetings|attn\.?|attention)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Names standing for "everybody" or for a role, never for one person.
_GENERIC = re.compile(
    r"^(?:皆|みな|みんな|各|お客|ご?担当(?:者)?|貴社ご?担当者?|ご?関係(?:者|各)?|会員|利用者|ユーザー|お疲れ|ご苦労|お世話"
    r"|社員|職員|全員|メンバー|ご?一同|お父|お母|奥|神|王|仕|同|模|多|異|貴|お得意|取引先|保護者|株主|受講者|参加者"
    r"|ご?出席者|ご?参加者|ご?返信|ご?依頼者|お問い?合わ?せ|応募者|求職者|運営|事務局)",
)
_TITLE = re.compile(
    r"(?:代表取締役|取締役|副?社長|会長|専務|常務|(?:事業|本)?部長|次長|課長|係長|室長|所長|支店長|店長|主任|主査|理事"
    r"|准?教授|先生|弁護士|税理士|マネージャー|マネジャー|リーダー|ご?担当(?:者)?)$"
)
_DEPT = re.compile(
    r"(?:部|課|室|局|係|チーム|グループ|センター|本部|事業部|支店|支社|営業所|事務所|研究所|担当|窓口)$"
)
_LEGAL = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|学校法人|医療法人"
    r"|社会福祉法人|独立行政法人|[(（]株[)）]|[(（]有[)）]|㈱|㈲"
    r"|(?<![A-Za-z])(?:inc|corp|corporation|co|ltd|llc|gmbh|plc|limited|k\.k)\.?(?![A-Za-z])",
    re.IGNORECASE,
)
_COMPANY_HINT = re.compile(
    r"商事|物産|商会|工業|製作所|電機|電気|銀行|信用金庫|証券|保険|生命|建設|不動産|産業|通信|電力|ガス|鉄道|航空|運輸|商店"
    r"|システムズ|ソリューションズ|ホールディングス|ジャパン|グループ$|大学|病院|事務所$|市役所|県庁|区役所"
)
_EN_GENERIC = re.compile(
    r"^(?:all|everyone|everybody|folks|guys|team|colleagues|friends|there|sir|sirs|madam|sir\s+or\s+madam"
    r"|sir/madam|customer|valued\s+customer|hiring\s+manager|to\s+whom\s+it\s+may\s+concern|whom\s+it\s+may\s+concern"
    r"|all\s+of\s+you|you\s+all|y'all|both|support|partners|members|board)$",
    re.IGNORECASE,
)
_EN_TITLE = re.compile(
    r"^(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|madam|mme|herr|frau|director|president|chairman|chairwoman"
    r"|manager)\.?\s+",
    re.IGNORECASE,
)
_EN_NAME = re.compile(r"^[A-Za-z][A-Za-z'’.-]*(?:\s+[A-Za-z][A-Za-z'’.-]*){0,3}$")
_EN_DEPARTMENTS = frozenset((
    "sales", "marketing", "support", "engineering", "hr", "finance", "accounting", "legal", "it",
    "dev", "development", "product", "design", "ops", "operations", "management", "project",
    "projects", "admin", "procurement", "purchasing", "customer", "service", "research", "dream",
    "leadership", "security", "infrastructure", "qa", "data",
))
_NOT_NAME_WORDS = frozenset((
    "thanks", "thank", "for", "the", "you", "again", "there", "all", "everyone", "just", "quick",
    "a", "an", "to", "re", "is", "it", "this", "that", "i", "we", "hope", "good", "morning",
    "afternoon", "evening", "please", "sorry", "happy", "new", "year", "friday", "monday", "back",
    "team",
))
_SENTENCE_END = re.compile(r"[。．！？!?]\s*$|[。．]")


@dataclass(frozen=True)
class Salutation:
    """Who the mail says it is for. `person`/`company` are the parts as written ("" when absent)."""

    kind: SalutationKind
    text: str
    person: str = ""
    company: str = ""


def _is_company_token(token: str) -> bool:
    return bool(_LEGAL.search(token) or _COMPANY_HINT.search(token))


def _strip_title(token: str) -> str:
    stripped = _TITLE.sub("", token)
    return stripped if stripped else ""


def _split_org(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(organisation tokens, person tokens): the person is what follows the last company/department token."""
    last_org = -1
    for i, token in enumerate(tokens):
        # 阿部, 服部, 岡部 end in 部 too: a lone last token is a surname, not a department.
        is_dept = bool(_DEPT.search(token)) and i < len(tokens) - 1 and not looks_like_surname(token)
        if _is_company_token(token) or is_dept:
            last_org = i
    return tokens[: last_org + 1], tokens[last_org + 1 :]


def _company_of(org: list[str]) -> str:
    """The company part of organisation tokens (departments dropped)."""
    parts = [t for t in org if _is_company_token(t) or not _DEPT.search(t)]
    return " ".join(parts)


_GROUP_SUFFIX = re.compile(r"の?(?:皆|みな|みんな|皆さ|みなさ|ご一同|一同|各位|関係者)$")
_DEPT_PREFIX = re.compile(r"^.+?(?:部|課|室|グループ|チーム)(?=[^部課室]{1,4}$)")


def _tokens(name: str) -> list[str]:
    """Whitespace tokens, with "ABC商事の佐藤" cut at の and "営業部佐藤" cut after the department."""
    out: list[str] = []
    for token in (t for t in _SPACE.split(name) if t):
        left, no, right = token.partition("の")
        if no and right and _is_company_token(left):
            out += [left, right]
        elif len(token) >= 4 and not _is_company_token(token) and (m := _DEPT_PREFIX.match(token)):
            out += [m.group(), token[m.end() :]]
        else:
            out.append(token)
    return out


def _japanese(line: str, context: list[str]) -> Salutation | None:
    m = _HONORIFIC.match(line)
    if not m:
        return None
    name, hon = m.group("name").strip(), m.group("hon")
    if _PLACEHOLDER_MARKS.search(name):
        return None  # an unfilled template: placeholder-left reports it
    if hon in _TITLE_HONORIFICS and _NOT_A_NAME_BEFORE_TITLE.search(name):
        return None
    group = _GROUP_SUFFIX.search(name)
    if group:
        name, hon = name[: group.start()].strip(), "各位"
    tokens = _tokens(name)
    if hon == "御中":
        company = " ".join(t for t in tokens if _is_company_token(t) or not _DEPT.search(t))
        company = company or _context_company(context)
        return Salutation("company", company, company=company) if company else None
    org, person = _split_org(tokens)
    company = _company_of(org) or _context_company(context)
    if hon == "各位":
        return Salutation("all", company, company=company) if company else None
    person = [p for p in (_strip_title(t) for t in person) if p]
    if person and not any(_GENERIC.match(p) for p in person):
        written = " ".join(person)
        return Salutation("person", written, person=written, company=company)
    if company:
        return Salutation("company", company, company=company)
    return None


def _context_company(context: list[str]) -> str:
    """A company named on the lines above the person line ("ABC商事株式会社\\n営業部 佐藤 花子 様")."""
    for line in context:
        tokens = [t for t in _SPACE.split(line.strip()) if t]
        found = [t for t in tokens if _is_company_token(t)]
        if found:
            return " ".join(found)
    return ""


def _english(line: str) -> Salutation | None:
    m = _GREETING.match(line)
    if not m:
        return None
    if _LEGAL.search(m.group("rest")):
        company = m.group("rest").strip().rstrip(",:;!")
        return Salutation("company", company, company=company)
    rest = re.split(r"[,:;!—]|\s-\s", m.group("rest"), maxsplit=1)[0].strip().rstrip(".")
    if not rest or _PLACEHOLDER_MARKS.search(rest):
        return None
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", rest):
        return _japanese(rest, [])
    team = re.match(
        r"^(?:the\s+)?(?P<org>.+?)\s+(?:team|folks|colleagues|members|group)$", rest, re.IGNORECASE
    )
    if team:
        org = team.group("org").strip()
        generic = _EN_GENERIC.match(org) or org.lower() in _EN_DEPARTMENTS
        return None if generic else Salutation("all", org, company=org)
    if _EN_GENERIC.match(rest):
        return None
    rest = re.sub(r"(?:[- ](?:san|sama|sensei|kun))$", "", rest, flags=re.IGNORECASE)
    names = []
    for part in re.split(r"\s+(?:and|&)\s+|\s*/\s*", rest):
        words = [w for w in part.split() if not _EN_TITLE.match(w + " ")]
        if words:
            names.append(" ".join(words))
    if not names or any(_EN_GENERIC.match(n) or not _EN_NAME.match(n) for n in names):
        return None
    if any(w.lower().strip(".") in _NOT_NAME_WORDS for n in names for w in n.split()):
        return None
    written = " and ".join(names)
    return Salutation("person", written, person=written)


def extract_salutation(own_text: str) -> Salutation | None:
    """The salutation among the first lines of the sender's own text, or None (then nothing is checked)."""
    stripped = (ln.strip() for ln in own_text.splitlines())
    lines = list(itertools.islice((ln for ln in stripped if ln), 4))  # the rest is never looked at
    context: list[str] = []
    for line in lines:
        if len(line) > 80:
            return None
        greeting = _GREETING.match(line)
        found = _english(line) if greeting else _japanese(line, context)
        if found:
            return found
        if greeting or _SENTENCE_END.search(line):
            return None
        context.append(line)
    return None


def salutation_key(text: str) -> str:
    """Normalised form used when comparing a salutation with names (width, kana and case folded)."""
    return normalize_text(text)
