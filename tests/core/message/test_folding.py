"""folded() (remembered) gives what fold() computes, whatever was folded before it."""

from __future__ import annotations

import unicodedata

from missend_guard.core.message.folding import fold, folded
from tests.helpers.corpus_texts import corpus_texts


def test_fold_is_nfkc_then_casefold() -> None:
    assert fold("ＡＢＣ ｶﾞｲﾄﾞ Straße") == "abc ガイド strasse"


def test_folded_equals_fold_on_the_corpus_in_any_order() -> None:
    texts = [t for t in corpus_texts() if t][:300]
    for text in [*texts, *reversed(texts), *texts[:5], *texts[:5]]:
        assert folded(text) == unicodedata.normalize("NFKC", text).casefold(), text
