"""Every finding code has a Japanese and an English text, rendered from its params."""

from __future__ import annotations

import pytest

from missend_guard.core.check.codes import ALL_CODES
from missend_guard.ui.finding_texts import LANGUAGES, TEXTS, missing_texts, render


def test_every_code_has_a_fallback_text_in_both_languages():
    assert missing_texts() == []
    for lang in LANGUAGES:
        assert {k.partition(":")[0] for k in TEXTS[lang]} == set(ALL_CODES), lang


@pytest.mark.parametrize("code", ALL_CODES)
def test_render_without_params_never_leaves_placeholders(code):
    for lang in LANGUAGES:
        text = render(code, {}, lang)
        assert text
        assert "{" not in text
        assert text != code


def test_lookalike_domain_names_both_domains():
    params = {"domain": "abc-tradlng.co.jp", "similar_to": "abc-trading.co.jp"}
    expected = "abc-tradlng.co.jp — abc-trading.co.jp に似ています"
    assert render("lookalike-domain", params, "ja").startswith(expected)
    assert "similar to abc-trading.co.jp" in render("lookalike-domain", params, "en")


def test_params_are_rendered_with_language_specific_lists_and_kinds():
    expected = "非表示のシートがあります：原価、内訳"
    assert render("hidden-sheet", {"sheets": ["原価", "内訳"]}, "ja") == expected
    assert render("hidden-sheet", {"sheets": ["Cost", "Detail"]}, "en") == "Hidden sheets: Cost, Detail"
    assert "マイナンバー" in render("pii-in-body", {"kind": "mynumber"}, "ja")
    assert "「添付」" in render("missing-attachment", {"phrase": "添付"}, "ja")
    assert render("missing-attachment", {"phrase": "attached"}, "en-US").startswith("The text says")


def test_japanese_texts_are_polite_form():
    for code in ALL_CODES:
        text = render(code, {}, "ja")
        assert text.endswith(("です", "ます", "ません", "ください", "ませんか", "した")), (code, text)


def test_reason_specific_text_wins():
    params = {"address": "hanako@abc-tradlng.co.jp", "similar_to": "hanako@abc-trading.co.jp",
              "name": "佐藤 花子", "similar_name": "佐藤 花子", "reason": "address"}
    assert "hanako@abc-trading.co.jp と少しだけ違います" in render("lookalike-contact", params, "ja")
    by_name = {**params, "reason": "name", "similar_name": "佐藤 華子"}
    assert "「佐藤 華子」とよく似ています" in render("lookalike-contact", by_name, "ja")
