"""Detectors for personal numbers in text: payment card numbers and マイナンバー (values never leave here)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Dash-like characters Japanese text uses between digit groups (NFKC leaves most of them alone).
_DASHES = "‐‑‒–—―−－ー"
# ASCII-only neighbours: Japanese text runs straight into numbers ("番号4111…"). The first digit is
# matched before the look-behind checks the character ahead of it (the same test, as the look-behind
# spans that digit): a pattern that starts with \d lets the engine skip to digits instead of trying a
# look-behind at every character.
_DIGIT_RUN = re.compile(r"\d(?<![0-9A-Za-z.+/-]\d)(?:[ -]?\d){11,18}(?![0-9A-Za-z/]|[.-]\d)")
# Words right before a number that say it is something else (order, tracking, corporate number ...).
_OTHER_NUMBER = re.compile(
    r"(?:注文|受注|発注|伝票|追跡|送り状|問い?合わ?せ|受付|予約|会員|口座|法人番号|請求書?番号|見積|契約番号|管理番号"
    r"|品番|型番|シリアル|order|invoice|tracking|ticket|ref|reference|serial|account|case|po)\D{0,12}$",
    re.IGNORECASE,
)
_MY_NUMBER_CONTEXT = re.compile(r"マイナンバー|個人番号|my\s*number|通知カード", re.IGNORECASE)


def normalize_digits(text: str) -> str:
    """NFKC (full-width digits to ASCII) and every dash-like character to '-'."""
    text = unicodedata.normalize("NFKC", text)
    for dash in _DASHES:  # str.replace runs in C; translate() with a table was 0.7 ms per 10 KB
        if dash in text:
            text = text.replace(dash, "-")
    return text


def _groups(candidate: str) -> list[str] | None:
    """Digit groups if the separators are consistent (all spaces, all hyphens, or none)."""
    seps = set(re.findall(r"[ -]", candidate))
    if len(seps) > 1:
        return None
    return re.split(r"[ -]", candidate)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    """Known issuer prefixes with the lengths they issue (ISO/IEC 7812 IIN ranges)."""
    n = len(digits)
    p2, p3, p4, p6 = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    return (
        (digits[0] == "4" and n in (16, 19))  # Visa
        or ((51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16)  # Mastercard
        or (p2 in (34, 37) and n == 15)  # American Express
        or (3528 <= p4 <= 3589 and 16 <= n <= 19)  # JCB
        or ((p2 in (36, 38, 39) or 300 <= p3 <= 305) and 14 <= n <= 16)  # Diners Club
        or ((p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19)
        or (p2 == 62 and 16 <= n <= 19)  # UnionPay
    )


def _card_layout_ok(groups: list[str]) -> bool:
    if len(groups) == 1:
        return True
    sizes = [len(g) for g in groups]
    return sizes in ([4, 6, 5], [4, 6, 4]) or (all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4)


def my_number_ok(digits: str) -> bool:
    """Check digit of a 12-digit individual number (番号法施行令 第8条: weights 2–7, mod 11)."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(c) for c in digits[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    return int(digits[11]) == (0 if remainder <= 1 else 11 - remainder)


def find_numbers(text: str) -> Iterator[str]:
    """Kinds ("card-number", "my-number") of personal numbers in `text`, one per occurrence."""
    normal = normalize_digits(text)
    my_number_context: bool | None = None  # searched for when a 12-digit number needs it, not before
    for match in _DIGIT_RUN.finditer(normal):
        groups = _groups(match.group())
        if groups is None:
            continue
        digits = "".join(groups)
        before = normal[max(0, match.start() - 24) : match.start()]
        if _OTHER_NUMBER.search(before):
            continue
        if 13 <= len(digits) <= 19 and _card_layout_ok(groups) and _card_brand_ok(digits) and luhn_ok(digits):
            yield "card-number"
        # A bare 12-digit run is too common (parcel numbers) to flag without the 4-4-4 layout or a mention.
        elif len(digits) == 12 and my_number_ok(digits):
            if [len(g) for g in groups] != [4, 4, 4] and my_number_context is None:
                my_number_context = bool(_MY_NUMBER_CONTEXT.search(normal))
            if my_number_context or [len(g) for g in groups] == [4, 4, 4]:
                yield "my-number"
