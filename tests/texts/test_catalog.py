"""The catalog: one language choice, complete ja/en entries, and every setting labelled in both languages."""

from __future__ import annotations

import string

import pytest

from missend_guard.storage.settings.schema import SETTING_GROUPS, SETTINGS, SettingsError, validate
from missend_guard.texts import cli, outlook, protect, punctuation, settings
from missend_guard.texts.catalog import LANGUAGES, TEXTS, has_text, language, system_language, text


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("ja", "ja"), ("JA", "ja"), ("ja_JP.UTF-8", "ja"), ("ja-JP", "ja"), ("Japanese_Japan", "ja"),
     ("en", "en"), ("en_US", "en"), ("fr", "en"), ("", "en"), (None, "en")],
)
def test_language_normalises_any_tag_to_ja_or_en(tag, expected):
    assert language(tag) == expected


def test_system_language_takes_the_first_locale_variable_that_is_set():
    assert system_language({"LC_ALL": "", "LC_MESSAGES": "ja_JP.UTF-8", "LANG": "en_US"}) == "ja"
    assert system_language({"LANG": "en_US.UTF-8", "LANGUAGE": "ja"}) == "en"
    assert system_language({"LANGUAGE": "ja:en"}) == "ja"


def test_every_entry_has_both_languages_and_formats_with_its_own_fields():
    for key, entry in TEXTS.items():
        assert set(entry) == set(LANGUAGES), key
        fields = [{name for _, name, _, _ in string.Formatter().parse(t) if name} for t in entry.values()]
        assert fields[0] == fields[1], key  # both languages take the same params
        for lang in LANGUAGES:
            assert text(key, lang, **dict.fromkeys(fields[0], "X")), (key, lang)


def test_the_owners_namespaces_do_not_overlap():
    tables = [cli.TEXTS, settings.TEXTS, protect.TEXTS, outlook.TEXTS, punctuation.TEXTS]
    assert sum(len(t) for t in tables) == len(TEXTS)


def test_unknown_key_is_a_bug_not_a_silent_fallback():
    assert not has_text("report.no-such-thing")
    with pytest.raises(KeyError):
        text("report.no-such-thing", "en")


def test_params_fill_the_template_in_the_chosen_language():
    assert text("punct.note", "ja", note="ABC商事") == "（ABC商事）"
    assert text("punct.note", "en-GB", note="ABC Trading") == " (ABC Trading)"
    assert text("report.result.block", "ja") == "このメールは送信できません（ポリシーにより禁止）。"


def test_every_setting_and_group_has_a_label_and_description_in_both_languages():
    assert set(settings.SETTINGS) == {spec.key for spec in SETTINGS}
    assert set(settings.GROUPS) == {group.key for group in SETTING_GROUPS}
    for spec in SETTINGS:
        for lang in LANGUAGES:
            assert text(f"setting.{spec.key}.label", lang), (spec.key, lang)
            assert text(f"setting.{spec.key}.description", lang), (spec.key, lang)
        # Japanese descriptions are full sentences in です・ます form.
        description_ja = text(f"setting.{spec.key}.description", "ja")
        assert description_ja.endswith("。"), spec.key
        assert any(w in description_ja for w in ("ます", "です", "ません")), spec.key
    for group in SETTING_GROUPS:
        assert all(text(f"setting-group.{group.key}", lang) for lang in LANGUAGES), group.key


def test_settings_errors_name_the_setting_by_its_english_label_and_key():
    with pytest.raises(SettingsError, match=r"^Hold before sending \(seconds\) \(hold_seconds\) must be"):
        validate("hold_seconds", -1)
