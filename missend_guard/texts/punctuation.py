"""Punctuation that differs by language: list separators, label colons, parenthesised notes."""

from __future__ import annotations

from collections.abc import Mapping

TEXTS: Mapping[str, Mapping[str, str]] = {
    # Between the items of a list inside a sentence ("原価、内訳" / "Cost, Detail").
    "punct.list": {"en": ", ", "ja": "、"},
    # Between a label and its value ("件名：…" / "Subject: …").
    "punct.label": {"en": ": ", "ja": "："},
    # Between short facts on one line ("社外・初めて" / "external · first time").
    "punct.facts": {"en": " · ", "ja": "・"},
    # A note after a name ("abc-trading.co.jp（ABC商事）" / "abc-trading.co.jp (ABC Trading)").
    "punct.note": {"en": " ({note})", "ja": "（{note}）"},
}
