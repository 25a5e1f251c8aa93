"""The fictional office: our company, its contacts, and the Case record with derived expectations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.corpus.mailkit import CLIENTS, Mail, as_received

INTERNAL = ["sakura-sys.co.jp", "sakura-group.jp"]
BLOCKED_DOMAINS = ["rival-soft.co.jp", "leakbox.net"]
BLOCKED_ADDRESSES = ["former.employee@gmail.com"]
FREE_MAIL = {"gmail.com", "yahoo.co.jp", "outlook.com", "icloud.com", "hotmail.com", "outlook.jp",
             "yahoo.com"}

ME = ("山本 健", "ken.yamamoto@sakura-sys.co.jp")
ME_EN = ("Ken Yamamoto", "ken.yamamoto@sakura-sys.co.jp")

# Colleagues (internal; some also sit in the address book as Outlook's GAL export has them).
KATO = ("加藤 美穂", "miho.kato@sakura-sys.co.jp")
JIRO = ("田中 次郎", "jiro.tanaka@sakura-sys.co.jp")
MORI_IN = ("森 直樹", "naoki.mori@sakura-sys.co.jp")
ABE = ("阿部 亮", "ryo.abe@tokyo.sakura-sys.co.jp")
OKADA = ("岡田 里奈", "rina.okada@sakura-group.jp")
LISA = ("Lisa Park", "lisa.park@sakura-sys.co.jp")

# External contacts: (display name, address, company, family name, given name); vCard or CSV below.
SATO = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")
SUZUKI = ("鈴木 一郎", "ichiro.suzuki@abc-trading.co.jp")
SATO_K = ("佐藤 健一", "kenichi.sato@abc-trading.co.jp")
ITO = ("伊藤 由美", "yumi.ito@abc-trading.co.jp")
ITO_GMAIL = ("伊藤 由美", "yumi.ito.0412@gmail.com")
TANAKA = ("田中 太郎", "taro.tanaka@midori-bussan.co.jp")
TANAKA2 = ("田仲 太郎", "t.tanaka@hokuto-kogyo.co.jp")
TAKAHASHI = ("高橋 美咲", "misaki.takahashi@xyz-bank.co.jp")
KOBAYASHI = ("小林 誠", "makoto.kobayashi@hikari-denki.co.jp")
NAKAMURA = ("中村 隆", "takashi.nakamura@tozai-logi.co.jp")
WATANABE = ("渡辺 健太", "kenta.watanabe.design@gmail.com")  # freelancer: gmail is his only address
YOSHIDA = ("吉田 修", "osamu.yoshida@fuji-seimitsu.co.jp")
JOHN = ("John Smith", "john.smith@globex.com")
JON = ("Jon Smith", "jon.smith@initech.com")
GARCIA = ("Maria Garcia", "maria.garcia@globex.com")
CHEN = ("David Chen", "david.chen@northwind.com")
EMMA = ("Emma Wilson", "emma.wilson@contoso.com")
KEVIN = ("Kevin Brown", "kevin.brown@abc-trading.com")  # the US arm really is .com
PRIYA = ("Priya Natarajan", "priya.n@fabrikam.com")

VCARD_PEOPLE: list[tuple[tuple[str, str], str, str, str, list[str]]] = [
    # (name/address, company, family, given, extra addresses)
    (SATO, "ABC商事株式会社", "佐藤", "花子", []),
    (SUZUKI, "ABC商事株式会社", "鈴木", "一郎", []),
    (SATO_K, "ABC商事株式会社", "佐藤", "健一", []),
    (ITO, "ABC商事株式会社", "伊藤", "由美", [ITO_GMAIL[1]]),
    (TANAKA, "株式会社ミドリ物産", "田中", "太郎", []),
    (TANAKA2, "北斗工業株式会社", "田仲", "太郎", []),
    (TAKAHASHI, "XYZ銀行", "高橋", "美咲", []),
    (KOBAYASHI, "株式会社ひかり電機", "小林", "誠", []),
    (NAKAMURA, "東西ロジスティクス株式会社", "中村", "隆", []),
    (WATANABE, "", "渡辺", "健太", []),
    (YOSHIDA, "富士精密株式会社", "吉田", "修", []),
    (KATO, "桜システム株式会社", "加藤", "美穂", []),
    (JIRO, "桜システム株式会社", "田中", "次郎", []),
]
CSV_PEOPLE: list[tuple[tuple[str, str], str, str, str]] = [
    (JOHN, "Globex Corporation", "Smith", "John"),
    (JON, "Initech", "Smith", "Jon"),
    (GARCIA, "Globex Corporation", "Garcia", "Maria"),
    (CHEN, "Northwind Traders", "Chen", "David"),
    (EMMA, "Contoso Ltd.", "Wilson", "Emma"),
    (KEVIN, "ABC Trading America Inc.", "Brown", "Kevin"),
    (PRIYA, "Fabrikam, Inc.", "Natarajan", "Priya"),
    (LISA, "Sakura Systems", "Park", "Lisa"),
]


def known_addresses() -> set[str]:
    """Every address in the contact files."""
    out = {p[0][1] for p in VCARD_PEOPLE} | {p[0][1] for p in CSV_PEOPLE}
    for p in VCARD_PEOPLE:
        out |= set(p[4])
    return out


def is_internal(address: str) -> bool:
    """Internal by our --internal-domain list (subdomains included)."""
    domain = address.rsplit("@", 1)[1].lower()
    return any(domain == d or domain.endswith("." + d) for d in INTERNAL)


def is_blocked(address: str) -> bool:
    """Blocked by the corpus settings.json."""
    domain = address.rsplit("@", 1)[1].lower()
    return address.lower() in BLOCKED_ADDRESSES or any(
        domain == d or domain.endswith("." + d) for d in BLOCKED_DOMAINS)


def contacts_vcf() -> str:
    """vCard 3.0, UTF-8, as exported by macOS Contacts / Outlook (N, FN, ORG, EMAIL)."""
    cards = []
    for (name, address), company, family, given, extra in VCARD_PEOPLE:
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{family};{given};;;", f"FN:{name}"]
        if company:
            lines.append(f"ORG:{company}")
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{address}")
        lines += [f"EMAIL;TYPE=INTERNET,HOME:{e}" for e in extra]
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + "\r\n"


def contacts_csv() -> str:
    """Outlook (English) CSV export header and rows."""
    rows = ['"First Name","Last Name","Company","E-mail Address","E-mail Display Name"']
    for (name, address), company, family, given in CSV_PEOPLE:
        rows.append(f'"{given}","{family}","{company}","{address}","{name} ({address})"')
    return "\r\n".join(rows) + "\r\n"


@dataclass
class Case:
    """One corpus mail and what the contract says about it."""

    cid: str
    description: str
    mail: Mail
    must: list[tuple[str, str | None]] = field(default_factory=list)
    allowed: list[tuple[str, str | None]] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    raw: bytes | None = None  # hand-damaged bytes replace the rendered mail
    attachment_names: list[str] | None = None
    generated: bool = False  # too large to commit: written at test time

    def recipients(self) -> list[tuple[str, str]]:
        """Header order: to, cc, bcc."""
        return [*self.mail.to, *self.mail.cc, *self.mail.bcc]

    def expectation(self) -> dict[str, Any]:
        """The expected.json entry: explicit expectations plus those the contract makes certain."""
        known = known_addresses()
        must = [self._entry(c, t) for c, t in self.must]
        allowed = [self._entry(c, t) for c, t in self.allowed]
        external = [a for _, a in self.recipients() if not is_internal(a)]
        for address in external:
            must.append({"code": "external-recipient", "target": f"recipient:{address}"})
            if address.lower() not in known:
                must.append({"code": "first-time-recipient", "target": f"recipient:{address}"})
                if address.rsplit("@", 1)[1] in FREE_MAIL:
                    must.append({"code": "free-mail-domain", "target": f"recipient:{address}"})
        for address in [a for _, a in self.recipients() if is_blocked(a)]:
            must.append({"code": "blocked-recipient", "target": f"recipient:{address}"})
        if external:
            for part in self.mail.parts:
                if not part.inline_cid and not part.encrypted:
                    must.append({"code": "unprotected-attachment", "target": f"attachment:{part.filename}"})
        derived = []
        if not external:
            derived += ["external-recipient", "first-time-recipient", "confidential-keyword",
                        "unprotected-attachment", "many-external-visible", "free-mail-domain"]
        if self.mail.parts and not any(p.inline_cid for p in self.mail.parts):
            derived.append("missing-attachment")
        tolerated = {e["code"] for e in must} | {e["code"] for e in allowed}
        must_not = list(self.must_not) + [c for c in derived if c not in tolerated]
        seen: set[tuple[str, str | None]] = set()
        unique = []
        for entry in must:
            key = (entry["code"], entry.get("target"))
            if key not in seen:
                seen.add(key)
                unique.append(entry)
        names = self.attachment_names if self.attachment_names is not None else [
            p.filename for p in self.mail.parts if not p.inline_cid]
        return {
            "id": self.cid, "file": f"mails/{self.cid}.eml", "description": self.description,
            "client": self.mail.client, "internal_domains": INTERNAL,
            "subject": as_received(self.mail.subject or "", CLIENTS[self.mail.client]["charset"])
            if self.raw is None else None,
            "recipients": [a.lower() for _, a in self.recipients()] if self.raw is None else None,
            "attachments": names if self.raw is None else None,
            "must": unique, "allowed": allowed, "must_not": sorted(set(must_not)),
            "generated": self.generated,
        }

    def _entry(self, code: str, target: str | None) -> dict[str, Any]:
        return {"code": code, "target": target} if target else {"code": code}
