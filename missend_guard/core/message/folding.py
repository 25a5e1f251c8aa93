"""Text folded for matching (NFKC, then casefold), made once per text for the rules that share it."""

from __future__ import annotations

import functools
import unicodedata


def fold(text: str) -> str:
    """Width and case folded: ＡＢＣ as abc, half-width ｶﾅ as カナ (katakana stays katakana), ß as ss."""
    return unicodedata.normalize("NFKC", text).casefold()


# The own text of one mail is folded by several rules in a row; a few entries are enough for that and
# keep big bodies from piling up.
@functools.lru_cache(maxsize=4)
def folded(text: str) -> str:
    """`fold(text)`, remembered for the last few texts (for whole bodies, not per sentence)."""
    return fold(text)
