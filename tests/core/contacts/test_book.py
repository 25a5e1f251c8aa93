"""Contacts: every export format and encoding we claim to read, errors users can act on, the indexes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from missend_guard.core.contacts.book import Contact, ContactBook, ContactsError, load_contacts

FIXTURES = Path(__file__).parents[2] / "fixtures" / "contacts"


def _summary(contacts: list[Contact]) -> list[tuple[str, tuple[str, ...], str]]:
    return [(c.name, c.emails, c.company) for c in contacts]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("vcard30_utf8.vcf", [
            ("長谷川 美咲", ("misaki.hasegawa@abc-trading.co.jp", "misaki.h@example.net"), "株式会社ABC商事"),
            ("Smith, John", ("john.smith@globex.com",), "Globex Corporation"),
        ]),
        ("vcard40.vcf", [
            ("佐藤 花子", ("hanako.sato@xyz-bank.co.jp", "hanako@example.org"), "XYZ銀行"),
            ("Maria Garcia", ("MARIA.GARCIA@initech.com",), ""),
        ]),
        ("vcard21_sjis_qp.vcf", [
            ("山田 太郎", ("taro.yamada@sample.co.jp", "taro-yamada@docomo.ne.jp"), "株式会社サンプル"),
        ]),
        ("vcard21_outlook_qp.vcf", [("鈴木 一郎", ("ichiro.suzuki@abc-trading.co.jp",), "ABC商事")]),
        ("vcard_without_extension.dat", [
            ("佐藤 花子", ("hanako.sato@xyz-bank.co.jp", "hanako@example.org"), "XYZ銀行"),
            ("Maria Garcia", ("MARIA.GARCIA@initech.com",), ""),
        ]),
        ("outlook_en_utf8bom.csv", [
            ("John Smith", ("john.smith@globex.com", "jsmith@example.com"), "Globex"),
            ("Initech", ("info@initech.com",), "Initech"),
        ]),
        ("outlook_en_utf16le_nobom.csv", [
            ("John Smith", ("john.smith@globex.com", "jsmith@example.com"), "Globex"),
            ("Initech", ("info@initech.com",), "Initech"),
        ]),
        ("outlook_ja_cp932.csv", [
            ("田中 太郎", ("taro.tanaka@abc-trading.co.jp", "t.tanaka@example.jp"), "ABC商事"),
            ("渡邉 健", ("ken.watanabe@sample-kogyo.co.jp",), "サンプル工業"),
        ]),
        ("outlook_ja_utf16.txt", [
            ("田中 太郎", ("taro.tanaka@abc-trading.co.jp", "t.tanaka@example.jp"), "ABC商事"),
            ("渡邉 健", ("ken.watanabe@sample-kogyo.co.jp",), "サンプル工業"),
        ]),
        ("thunderbird_en.csv", [
            ("Maria Garcia", ("maria.garcia@initech.com", "maria@example.org"), "Initech"),
        ]),
        ("thunderbird_ja.csv", [("佐藤 次郎", ("jiro.sato@xyz-bank.co.jp",), "XYZ銀行")]),
        ("google.csv", [
            ("中村 さくら", ("sakura.nakamura@sample.co.jp", "sakura@example.com", "sakura.n@example.org"),
             "サンプル株式会社"),
        ]),
        ("generic_cp932.csv", [
            ("伊藤 純", ("jun.ito@abc-trading.co.jp",), "ABC商事"),
            ("Kenji Mori", ("kenji.mori@globex.com",), "Globex"),
        ]),
    ],
)
def test_load_each_format(filename: str, expected: list[tuple[str, tuple[str, ...], str]]) -> None:
    assert _summary(load_contacts(FIXTURES / filename)) == expected


@pytest.mark.parametrize(
    ("filename", "index", "fields"),
    [
        ("vcard30_utf8.vcf", 0, {"family": "長谷川", "given": "美咲", "family_reading": "はせがわ",
                                 "given_reading": "みさき", "department": "営業部"}),
        ("vcard30_utf8.vcf", 1, {"family": "Smith", "given": "John", "family_reading": ""}),
        ("vcard40.vcf", 0, {"family_reading": "さとう", "given_reading": "はなこ",
                            "department": "法人営業部"}),
        # half-width kana from the phone's SOUND;X-IRMC-N come out full-width
        ("vcard21_sjis_qp.vcf", 0, {"family": "山田", "given": "太郎", "family_reading": "ヤマダ",
                                    "given_reading": "タロウ", "department": "総務部"}),
        ("vcard21_outlook_qp.vcf", 0, {"family": "鈴木", "given": "一郎", "department": "経理部"}),
        ("outlook_ja_cp932.csv", 0, {"family": "田中", "given": "太郎", "family_reading": "たなか",
                                     "given_reading": "たろう", "department": "営業部"}),
        ("google.csv", 0, {"family_reading": "ナカムラ", "given_reading": "サクラ", "department": "企画部"}),
        ("thunderbird_en.csv", 0, {"family": "Garcia", "given": "Maria", "department": "R&D"}),
    ],
)
def test_detail_fields(filename: str, index: int, fields: dict[str, str]) -> None:
    contact = load_contacts(FIXTURES / filename)[index]
    assert {k: getattr(contact, k) for k in fields} == fields


def test_vcard_fold_inside_multibyte_character(tmp_path: Path) -> None:
    line = "FN:長谷川 美咲".encode()
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + line[:-2] + b"\r\n " + line[-2:]
    data += b"\r\nEMAIL:m@abc.co.jp\r\nEND:VCARD\r\n"
    (tmp_path / "c.vcf").write_bytes(data)
    assert load_contacts(tmp_path / "c.vcf")[0].name == "長谷川 美咲"


def test_missing_file_is_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(ContactsError, match="not found") as info:
        load_contacts(tmp_path / "nope.vcf")
    assert "nope.vcf" in str(info.value)


def test_folder_is_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(ContactsError, match="folder"):
        load_contacts(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,email\nA,a@b.co.jp\n")
    path.chmod(0)
    with pytest.raises(ContactsError, match="cannot read"):
        load_contacts(path)


def test_csv_without_email_column(tmp_path: Path) -> None:
    with pytest.raises(ContactsError, match="no e-mail column"):
        load_contacts(FIXTURES / "no_email_column.csv")


def test_headerless_csv_still_reads_addresses(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_bytes("山田 太郎,taro@sample.co.jp,サンプル\r\n".encode("cp932"))
    assert _summary(load_contacts(path)) == [("山田 太郎", ("taro@sample.co.jp",), "サンプル")]


def test_binary_garbage_gives_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ContactsError):
        load_contacts(path)


BOOK = ContactBook([
    Contact("田中 太郎", ("Taro.Tanaka@ABC-Trading.co.jp",), company="ABC商事"),
    Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp",), company="ABC商事"),
    Contact("鈴木 一郎", ("suzuki@abc-trading.co.jp",), company="ABC Trading"),
    Contact("田仲 太郎", ("t.tanaka@xyz-bank.co.jp", "tanaka@gmail.com"), company="XYZ銀行"),
    Contact("田中 次郎", ("jiro@abc-trading.co.jp",)),
    Contact("John Smith", ("john@globex.com",)),
    Contact("Smith, Jon", ("jon@initech.com",)),
    Contact("John Smith", ("john.smith@gmail.com", "john@globex.com")),  # the same person again
    Contact("ＡＢＣ商事", ("info@abc-trading.co.jp",), company="ＡＢＣ商事"),
    Contact("山田", ("yamada1@a.co.jp",)),
    Contact("山田", ("yamada2@b.co.jp",)),
    Contact("日本", ("x@xn--wgv71a.jp",)),
])


def test_book_by_address_and_domain() -> None:
    assert len(BOOK) == 12
    assert BOOK.by_address("TARO.TANAKA@abc-trading.co.jp") is BOOK.contacts[0]
    assert BOOK.by_address("nobody@abc-trading.co.jp") is None
    assert set(BOOK.addresses_in_domain("ABC-Trading.co.jp")) == {
        "taro.tanaka@abc-trading.co.jp", "hanako.sato@abc-trading.co.jp", "suzuki@abc-trading.co.jp",
        "jiro@abc-trading.co.jp", "info@abc-trading.co.jp",
    }
    assert BOOK.addresses_in_domain("unknown.example") == ()
    assert BOOK.company_for_domain("abc-trading.co.jp") == "ABC商事"  # 2 of 4 say so
    assert "日本.jp" in BOOK.domains()
    assert BOOK.addresses_in_domain("xn--wgv71a.jp") == ("x@xn--wgv71a.jp",)
    assert {"abc-trading.co.jp", "gmail.com", "globex.com"} <= BOOK.domains()


@pytest.mark.parametrize(
    ("index", "similar"),
    [
        (0, ["田仲 太郎"]),  # 田中/田仲: same reading; 田中 次郎 only shares the family name
        (3, ["田中 太郎"]),
        (4, []),
        (5, ["Smith, Jon"]),  # the other John Smith row is the same person (shared address)
        (6, ["John Smith", "John Smith"]),
        (8, []),  # a company mailbox is not a person
        (9, []),  # a lone family name is not enough
    ],
)
def test_similar_contacts(index: int, similar: list[str]) -> None:
    assert [c.name for c in BOOK.similar_contacts(BOOK.contacts[index])] == similar


def test_similar_contacts_by_reading_only() -> None:
    book = ContactBook([
        Contact("佐藤 優", ("a@x.co.jp",), family_reading="サトウ", given_reading="ユウ"),
        Contact("佐藤 裕", ("b@y.co.jp",), family_reading="さとう", given_reading="ゆう"),
        Contact("佐藤 勇", ("c@z.co.jp",), family_reading="さとう", given_reading="いさむ"),
        Contact("さとう ゆう", ("d@w.co.jp",)),
    ])
    assert [c.name for c in book.similar_contacts(book.contacts[0])] == ["佐藤 裕", "さとう ゆう"]
    assert book.similar_contacts(book.contacts[2]) == []


def test_path_through_a_file_is_a_readable_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ContactsError, match="cannot read"):
        load_contacts(tmp_path / "file" / "contacts.csv")


def test_oversized_csv_field_is_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('name,email\n"' + "x" * 200_000 + '",a@b.co.jp\n', encoding="utf-8")
    with pytest.raises(ContactsError, match="not a readable CSV"):
        load_contacts(path)
