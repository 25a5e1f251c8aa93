"""Registrable part of a domain: `abc-trading` + `co.jp` from `mail.abc-trading.co.jp`."""

from __future__ import annotations

from dataclasses import dataclass

# The multi-label public suffixes our users meet; single-label TLDs need no list.
_JP_SECOND_LEVEL = ("co", "ne", "or", "ac", "go", "ad", "ed", "gr", "lg")
_JP_PREFECTURES = (
    "hokkaido", "aomori", "iwate", "miyagi", "akita", "yamagata", "fukushima", "ibaraki", "tochigi",
    "gunma", "saitama", "chiba", "tokyo", "kanagawa", "niigata", "toyama", "ishikawa", "fukui",
    "yamanashi", "nagano", "gifu", "shizuoka", "aichi", "mie", "shiga", "kyoto", "osaka", "hyogo",
    "nara", "wakayama", "tottori", "shimane", "okayama", "hiroshima", "yamaguchi", "tokushima",
    "kagawa", "ehime", "kochi", "fukuoka", "saga", "nagasaki", "kumamoto", "oita", "miyazaki",
    "kagoshima", "okinawa", "sapporo", "sendai", "yokohama", "kawasaki", "nagoya", "kobe", "kitakyushu",
)
_GENERIC_SLD = ("com", "net", "org", "edu", "gov", "ac", "co")
_CC_WITH_GENERIC_SLD = (
    "uk", "au", "nz", "cn", "tw", "hk", "sg", "my", "kr", "in", "id", "th", "ph", "vn", "br", "mx",
    "ar", "za", "tr", "il", "pk", "ng", "eg", "sa", "ua",
)
PUBLIC_SUFFIXES = frozenset(
    [f"{sld}.jp" for sld in (*_JP_SECOND_LEVEL, *_JP_PREFECTURES)]
    + [f"{sld}.{cc}" for cc in _CC_WITH_GENERIC_SLD for sld in _GENERIC_SLD]
    + ["or.kr", "ne.kr", "go.kr", "re.kr", "or.th", "go.th", "gov.uk", "ltd.uk", "plc.uk", "me.uk",
       "org.uk", "nhs.uk", "police.uk", "sch.uk", "asn.au", "id.au", "gen.nz", "govt.nz", "gob.mx",
       "idv.tw", "idv.hk", "per.sg", "blogspot.com", "github.io", "co.kr", "co.th", "co.id",
       "co.in", "co.za", "co.il", "co.nz"]
)


@dataclass(frozen=True)
class Registrable:
    """A domain cut at its public suffix: `name` is the label people register and read."""

    name: str
    suffix: str

    @property
    def domain(self) -> str:
        """`name.suffix` (just `name` when there is no suffix)."""
        return f"{self.name}.{self.suffix}" if self.suffix else self.name


def registrable(domain: str) -> Registrable:
    """Split a lower-case domain into its registrable label and public suffix."""
    labels = domain.strip().rstrip(".").lower().split(".")
    if len(labels) == 1:
        return Registrable(labels[0], "")
    if len(labels) >= 3 and f"{labels[-2]}.{labels[-1]}" in PUBLIC_SUFFIXES:
        return Registrable(labels[-3], f"{labels[-2]}.{labels[-1]}")
    if len(labels) == 2 and ".".join(labels) in PUBLIC_SUFFIXES:
        return Registrable("", ".".join(labels))
    return Registrable(labels[-2], labels[-1])
