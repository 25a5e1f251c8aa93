"""Every finding code has a Japanese and an English text, rendered from its params; protection texts."""

from __future__ import annotations

import pytest

from missend_guard.core.check.codes import ALL_CODES
from missend_guard.core.check.findings import Finding, Severity
from missend_guard.texts.catalog import LANGUAGES
from missend_guard.texts.findings import (
    TEMPLATES,
    finding_text,
    missing_texts,
    protect_error_text,
    render,
    strength_text,
)


def test_every_code_has_a_fallback_text_in_both_languages():
    assert missing_texts() == []
    for lang in LANGUAGES:
        assert {k.partition(":")[0] for k in TEMPLATES[lang]} == set(ALL_CODES), lang


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


def test_finding_text_renders_the_findings_params_in_the_normalised_language():
    finding = Finding("blocked-recipient", Severity.BLOCK, "recipient:0", {"address": "x@rival.example"})
    assert finding_text(finding, "ja_JP.UTF-8") == "送信が禁止されている宛先です（x@rival.example）"
    assert finding_text(finding, "fr") == "Sending to x@rival.example is not allowed"


def test_protect_errors_known_and_unknown():
    assert protect_error_text("empty-password", "ja") == "パスワードを入力してください。"
    assert protect_error_text("empty-password", "en") == "Enter a password."
    assert protect_error_text("something-new", "ja") == (
        "ファイルを保護できませんでした（something-new）。何も送信していません。"
    )


def test_strength_text_joins_hints_per_language_and_shows_unknown_ones_as_is():
    reasons = ["too-short", "sequence"]
    assert strength_text("weak", reasons, "ja") == (
        "強度：弱い — 12文字以上にしてください。abcd や 1234 のような並びが含まれています"
    )
    assert strength_text("weak", reasons, "en") == (
        "Strength: weak — Use at least 12 characters; Contains a run such as abcd or 1234"
    )
    assert strength_text("strong", [], "en") == "Strength: strong"
    assert strength_text("odd", ["new-reason"], "ja") == "強度：odd — new-reason"


def test_a_recipient_sent_to_before_past_a_lookalike_warning_is_said_so():
    domain = {"domain": "abc-tradlng.co.jp", "similar_to": "abc-trading.co.jp", "reason": "edit-distance"}
    assert render("lookalike-domain", {**domain, "sent_days": 1}, "ja") == (
        "abc-tradlng.co.jp — abc-trading.co.jp に似ています。宛先の打ち間違いではありませんか"
        "（以前にも送信していますが、まだ確認済みの宛先としては扱っていません）"
    )
    assert render("lookalike-domain", domain, "ja").endswith("打ち間違いではありませんか")
    contact = {"address": "a@x.jp", "similar_to": "b@x.jp", "reason": "address", "sent_days": 2}
    assert render("lookalike-contact", contact, "en") == (
        "Differs slightly from your contact\u2019s address b@x.jp. Is this a typo? "
        "(You wrote to it before, but it is not treated as a confirmed address yet.)"
    )
    first = {"address": "a@x.jp", "domain_known": False, "sent_days": 1}
    assert render("first-time-recipient", first, "ja") == (
        "a@x.jp には以前にも送信していますが、似た宛先の警告を確認したうえでの送信でした。"
        "正しい宛先かご確認ください"
    )
    assert render("first-time-recipient", {"address": "a@x.jp"}, "en") == "First time you write to a@x.jp"


def test_thread_codes_name_the_domain_and_the_quoted_authors():
    params = {"domain": "midori-bussan.co.jp", "thread_domains": ["abc-trading.co.jp", "sakura-sys.co.jp"]}
    assert render("new-domain-in-reply", params, "ja").startswith(
        "midori-bussan.co.jp はこれまでのやり取りに登場していない宛先です"
        "（やり取りのドメイン：abc-trading.co.jp")
    assert "(thread: abc-trading.co.jp" in render("new-domain-in-reply", params, "en")
    internal = {"recipients": ["hanako.sato@abc-trading.co.jp"], "quoted_from": ["加藤 美穂"], "messages": 1}
    text = render("internal-thread-to-external", internal, "ja")
    assert "社内だけでやり取りしたメール（加藤 美穂）" in text


def test_confidential_keyword_says_when_the_marker_is_in_quoted_mail():
    quoted = {"keyword": "社外秘", "location": "quoted", "quoted_from": "加藤 美穂"}
    text = render("confidential-keyword", quoted, "ja")
    assert text.startswith("引用しているメール（加藤 美穂）に「社外秘」")
    assert "quoted mail from 加藤 美穂" in render("confidential-keyword", quoted, "en")
    own = {"keyword": "社外秘", "location": "own"}
    assert render("confidential-keyword", own, "ja") == "「社外秘」を含むメールを社外に送ろうとしています"
