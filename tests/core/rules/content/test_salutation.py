"""Salutation extraction and matching against recipients (names, readings, romaji, companies)."""

from __future__ import annotations

import pytest

from missend_guard.core.contacts.book import Contact
from missend_guard.core.contacts.romaji import kana_to_romaji, loose_key
from missend_guard.core.message.addresses import make_address
from missend_guard.core.rules.content.addressees import Verdict, judge, recipient_names
from missend_guard.core.rules.content.salutation import Salutation, extract_salutation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("鈴木様\nお世話になっております。", Salutation("person", "鈴木", person="鈴木")),
        ("鈴木 様", Salutation("person", "鈴木", person="鈴木")),
        ("鈴木さん、おはようございます。", Salutation("person", "鈴木", person="鈴木")),
        ("鈴木殿", Salutation("person", "鈴木", person="鈴木")),
        ("佐藤部長\nお疲れ様です。", Salutation("person", "佐藤", person="佐藤")),
        ("営業部 阿部様", Salutation("person", "阿部", person="阿部")),  # 阿部 ends in 部 but is a name
        ("ABC商事株式会社 御中", Salutation("company", "ABC商事株式会社", company="ABC商事株式会社")),
        ("(株)ABC 御中", Salutation("company", "(株)ABC", company="(株)ABC")),
        ("ABC商事株式会社\n営業部 佐藤 花子 様",
         Salutation("person", "佐藤 花子", person="佐藤 花子", company="ABC商事株式会社")),
        ("ABC商事の佐藤さん", Salutation("person", "佐藤", person="佐藤", company="ABC商事")),
        ("株式会社ABC 営業部 各位", Salutation("all", "株式会社ABC", company="株式会社ABC")),
        ("ABC商事の皆様", Salutation("all", "ABC商事", company="ABC商事")),
        ("株式会社ABC\nご担当者様", Salutation("company", "株式会社ABC", company="株式会社ABC")),
        ("Dear Ms. Garcia,", Salutation("person", "Garcia", person="Garcia")),
        ("Dear John,", Salutation("person", "John", person="John")),
        ("Hi John", Salutation("person", "John", person="John")),
        ("Good morning Mr. Tanaka,", Salutation("person", "Tanaka", person="Tanaka")),
        ("Dear Tanaka-san,", Salutation("person", "Tanaka", person="Tanaka")),
        ("Dear Mr. and Mrs. Smith,", Salutation("person", "Smith", person="Smith")),
        ("Dear 田中様", Salutation("person", "田中", person="田中")),
        ("Dear ABC Co., Ltd.", Salutation("company", "ABC Co., Ltd.", company="ABC Co., Ltd.")),
        ("Hello ABC team", Salutation("all", "ABC", company="ABC")),
    ],
)
def test_extract(text: str, expected: Salutation) -> None:
    assert extract_salutation(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "各位", "関係者各位", "営業部各位", "皆様", "お疲れ様です。", "ご担当者様",
        "お世話になっております。\n鈴木様",
        "事業部長", "副社長、", "営業部 御中", "〇〇様", "XX様", "（CC：田中様）", "仕様について", "同様に",
        "Hello Team", "Hi all,", "Dear Sir or Madam,", "Dear Sales Team,", "Hi, thanks for the file.",
        "Thanks John", "Hello there", "山田です。", "",
    ],
)
def test_no_salutation(text: str) -> None:
    assert extract_salutation(text) is None


HANAKO = Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp",), company="ABC商事株式会社", family="佐藤",
                 given="花子", family_reading="サトウ", given_reading="ハナコ")


def _names(name: str, address: str, contact: Contact | None = None):  # type: ignore[no-untyped-def]
    return recipient_names(make_address("to", name, address), contact)


@pytest.mark.parametrize(
    ("salutation", "verdict"),
    [
        (Salutation("person", "佐藤", person="佐藤"), Verdict.MATCH),
        (Salutation("person", "花子", person="花子"), Verdict.MATCH),
        (Salutation("person", "佐藤花子", person="佐藤花子"), Verdict.MATCH),
        (Salutation("person", "さとう", person="さとう"), Verdict.MATCH),
        (Salutation("person", "Sato", person="Sato"), Verdict.MATCH),
        (Salutation("person", "Satoh", person="Satoh"), Verdict.MATCH),
        (Salutation("person", "Hanako", person="Hanako"), Verdict.MATCH),
        (Salutation("person", "齋藤", person="齋藤"), Verdict.MISMATCH),
        (Salutation("person", "佐藤 一郎", person="佐藤 一郎"), Verdict.MISMATCH),
        (Salutation("person", "Suzuki", person="Suzuki"), Verdict.MISMATCH),
        (Salutation("company", "ABC商事", company="ABC商事"), Verdict.MATCH),
        (Salutation("company", "ＡＢＣ商事（株）", company="ＡＢＣ商事（株）"), Verdict.MATCH),
        (Salutation("company", "XYZ銀行", company="XYZ銀行"), Verdict.MISMATCH),
    ],
)
def test_judge_against_contact(salutation: Salutation, verdict: Verdict) -> None:
    assert judge(salutation, [_names("佐藤 花子", "hanako.sato@abc-trading.co.jp", HANAKO)]) is verdict


def test_judge_variant_kanji_and_unknowns() -> None:
    saito = _names("齋藤 健", "k.saito@partner.example")
    assert judge(Salutation("person", "斎藤", person="斎藤"), [saito]) is Verdict.MATCH
    no_name = _names("", "t.yamada@partner.example")
    assert judge(Salutation("person", "田中", person="田中"), [no_name]) is Verdict.UNKNOWN
    assert judge(Salutation("person", "Tanaka", person="Tanaka"), [no_name]) is Verdict.MISMATCH
    role = _names("", "info@partner.example")
    assert judge(Salutation("person", "Tanaka", person="Tanaka"), [role]) is Verdict.UNKNOWN
    # Any one matching To recipient is enough.
    assert judge(Salutation("person", "田中", person="田中"), [saito, _names("田中 太郎", "x@y.example")]) \
        is Verdict.MATCH


def test_company_by_domain_word() -> None:
    names = _names("Hanako Sato", "hanako@abc-trading.co.jp")
    abc = Salutation("company", "ABC Trading Inc.", company="ABC Trading Inc.")
    assert judge(abc, [names]) is Verdict.MATCH
    assert judge(Salutation("company", "Globex Inc.", company="Globex Inc."), [names]) is Verdict.MISMATCH


@pytest.mark.parametrize(
    ("kana", "romaji"),
    [("すずき", "Suzuki"), ("サトウ", "Sato"), ("ｲﾄｳ", "Itoh"), ("きょうこ", "Kyoko"), ("しんじ", "Sinzi"),
     ("はっとり", "Hattori"), ("じゅんいち", "Junichi"), ("おおの", "Ohno")],
)
def test_romaji_keys(kana: str, romaji: str) -> None:
    assert loose_key(kana_to_romaji(kana)) == loose_key(romaji)


@pytest.mark.parametrize(
    ("body", "display_name", "verdict"),
    [
        # surnames ending like a department (部) or room (室) are names, not organisation units
        ("阿部さん\n\nお疲れさまです。", "阿部 亮", Verdict.MATCH),
        ("服部様\n\nいつもお世話になっております。", "服部 翔", Verdict.MATCH),
        ("岡部部長\n\nお疲れ様です。", "岡部 健", Verdict.MATCH),
        ("氷室様\n\nいつもお世話になっております。", "氷室 京子", Verdict.MATCH),
        ("阿部様\n\nいつもお世話になっております。", "佐藤 花子", Verdict.MISMATCH),
        ("営業部 佐藤様\n\nいつもお世話になっております。", "佐藤 花子", Verdict.MATCH),
    ],
)
def test_surnames_ending_in_department_characters(body: str, display_name: str, verdict: Verdict) -> None:
    salutation = extract_salutation(body)
    assert salutation is not None
    assert judge(salutation, [_names(display_name, "someone@example.co.jp")]) is verdict


@pytest.mark.parametrize(
    ("greeting", "contact_given", "verdict"),
    [
        ("Hi Bob,", "Robert", Verdict.MATCH),
        ("Dear Bill,", "William", Verdict.MATCH),
        ("Hi Mike,", "Michael", Verdict.MATCH),
        ("Hello Kate,", "Katherine", Verdict.MATCH),
        ("Dear Liz,", "Elizabeth", Verdict.MATCH),
        ("Hi Tom,", "Thomas", Verdict.MATCH),
        ("Hi Dave,", "David", Verdict.MATCH),
        ("Hi Robert,", "Robert", Verdict.MATCH),
        ("Hi Chris,", "Christine", Verdict.MATCH),
        ("Hi Bill,", "Robert", Verdict.MISMATCH),  # a short form of another name
    ],
)
def test_nicknames_greet_the_full_given_name(greeting: str, contact_given: str, verdict: Verdict) -> None:
    contact = Contact(f"{contact_given} Miller", ("rm@contoso.example",), family="Miller",
                      given=contact_given)
    salutation = extract_salutation(greeting)
    assert salutation is not None
    assert judge(salutation, [_names(contact.name, "rm@contoso.example", contact)]) is verdict


@pytest.mark.parametrize(
    ("text", "display_name", "verdict"),
    [
        ("林部長\nお疲れ様です。", "林 健一", Verdict.MATCH),  # a one-kanji surname before a title
        ("林部長\nお疲れ様です。", "森 健一", Verdict.MISMATCH),
        ("佐藤様\nお世話になっております。", "佐藤 花子 様", Verdict.MATCH),  # 様 stored in the display name
        ("花子様\nお世話になっております。", "佐藤 花子様", Verdict.MATCH),
        ("佐藤 花子 様\nお世話になっております。", "佐藤 花子様", Verdict.MATCH),  # the full pair without 様
        ("佐藤社長\nお世話になっております。", "佐藤社長", Verdict.MATCH),
        ("Dear Director Sato,", "Hanako Sato", Verdict.MATCH),
    ],
)
def test_titles_on_either_side(text: str, display_name: str, verdict: Verdict) -> None:
    salutation = extract_salutation(text)
    assert salutation is not None
    assert judge(salutation, [_names(display_name, "someone@example.co.jp")]) is verdict


MIDORI_SATO = Contact("佐藤 花子", ("h.sato@midori-bussan.co.jp",), company="株式会社ミドリ物産",
                      family="佐藤", given="花子")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("ABC商事株式会社\n佐藤様", Verdict.MISMATCH),  # the same surname at another company
        ("ABC商事の佐藤さん", Verdict.MISMATCH),
        ("株式会社ミドリ物産\n営業部 佐藤様", Verdict.MATCH),
        ("佐藤様", Verdict.MATCH),  # no company named: the person is enough
    ],
)
def test_company_and_person_must_fit_one_recipient(text: str, verdict: Verdict) -> None:
    salutation = extract_salutation(text)
    assert salutation is not None
    assert judge(salutation, [_names("佐藤 花子", MIDORI_SATO.emails[0], MIDORI_SATO)]) is verdict
    # With the right person at the named company among the To recipients, it fits.
    both = [_names("佐藤 花子", MIDORI_SATO.emails[0], MIDORI_SATO),
            _names("佐藤 花子", "hanako.sato@abc-trading.co.jp", HANAKO)]
    assert judge(salutation, both) is Verdict.MATCH


def test_company_in_another_script_cannot_contradict() -> None:
    card = Contact("Hanako Sato", ("hanako@midori.example",), company="Midori Bussan", family="Sato",
                   given="Hanako")
    salutation = extract_salutation("株式会社ミドリ物産\nSato様")
    assert salutation is not None
    assert judge(salutation, [_names("Hanako Sato", "hanako@midori.example", card)]) is Verdict.MATCH
