"""The content rules' faster scans find exactly what their plain forms find (corpus texts and edge cases)."""

from __future__ import annotations

import re

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.folding import fold
from missend_guard.core.message.sentences import iter_sentences
from missend_guard.core.rules.content import confidential, mentions, pii, placeholders
from tests.helpers.corpus_texts import corpus_texts

# As first written: a look-behind tried at every character.
_REFERENCE_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z.+/-])\d(?:[ -]?\d){11,18}(?![0-9A-Za-z/]|[.-]\d)")

_NUMBERS = [
    "", "4111111111111111", "x4111111111111111", "a 4111 1111 1111 1111 b", "+814111111111111111",
    "/4111111111111111", "-4111111111111111", ".4111111111111111", "番号4111-1111-1111-1111です",
    "1234 5678 9012", "123456789012.5", "123456789012-3", "١٢٣٤٥٦٧٨٩٠١٢", "12345678901234567890123",
    "4111111111111111\n4111 1111 1111 1111", "Z123456789012", "(123456789012)",
]


def test_digit_run_matches_the_reference_pattern() -> None:
    texts = [*_NUMBERS, *(pii.normalize_digits(t) for t in corpus_texts())]
    assert sum(1 for t in texts if _REFERENCE_DIGIT_RUN.search(t)) >= 10  # the cases exercise matches
    for text in texts:
        got = [m.span() for m in pii._DIGIT_RUN.finditer(text)]
        assert got == [m.span() for m in _REFERENCE_DIGIT_RUN.finditer(text)], text


_REFERENCE_TRIGGER = re.compile(r"[〇○●×✕△{\[<＜«【［〔《〈(（]|[XxＸｘ]{2}")
_LINES = ["", "x", "xX", "ｘＸ", "Ｘ x", "(株)", "〇〇様", "{{name}}", "<<Name>>", "«a»", "【会社名】",
          "plain line"]


def test_placeholder_trigger_matches_the_reference_pattern() -> None:
    lines = [*_LINES, *(line for text in corpus_texts() for line in text.splitlines())]
    assert sum(1 for line in lines if _REFERENCE_TRIGGER.search(line)) >= 10
    for line in lines:
        assert placeholders._triggered(line) == bool(_REFERENCE_TRIGGER.search(line)), line


def test_mention_anchor_search_is_a_substring_test() -> None:
    phrases = (*Policy().attachment_phrases, "a.b (c)", "x+?", "i've  attached")
    _, regex = mentions._compiled(phrases)
    anchors = [*mentions._ANCHORS, *(fold(" ".join(p.split())) for p in phrases)]
    texts = ["a.b (c)", "axb c", "x+?", "xx", "i've attached", *(fold(s) for t in corpus_texts()
                                                                  for s in iter_sentences(t))]
    assert sum(1 for t in texts if any(a in t for a in anchors)) >= 10
    for text in texts:
        assert mentions._may_mention(text, regex) == any(a in text for a in anchors), text


def _keywords(words: tuple[str, ...]) -> confidential._Keywords:
    return confidential._Keywords.of(CheckContext(Policy(confidential_keywords=words)))


def test_confidential_first_word_search_is_a_substring_test() -> None:
    keywords = _keywords((*Policy().confidential_keywords, "a.b (c)", "x+? y", "Ｔｏｐ Secret"))
    texts = ["a.b (c)", "axb", "x+?", "top", *(fold(t) for t in corpus_texts())]
    assert sum(1 for t in texts if any(f in t for _, f, _ in keywords.patterns)) >= 10
    for text in texts:
        expected = any(first in text for _, first, _ in keywords.patterns)
        assert (keywords.firsts.search(text) is not None) == expected, text
    assert _keywords(()).firsts.search("社外秘 confidential") is None
