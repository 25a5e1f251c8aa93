"""Attachment protection: passwords, PDF/ZIP encryption round-trips, byte-exact MIME rebuild."""

from __future__ import annotations

import base64
import io
import random
import zipfile
from email.header import Header

import openpyxl
import pytest
import pyzipper
from pypdf import PdfReader

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.model import Attachment, parse_message
from missend_guard.core.ports.review import ReviewNote
from missend_guard.core.protect import encrypt as protect
from missend_guard.core.protect.containers import is_encrypted
from missend_guard.core.protect.encrypt import (
    ALPHABET,
    Choice,
    ProtectError,
    encrypt_pdf,
    encrypt_zip,
    generate_password,
    password_strength,
    protect_message,
    recommend,
)

PASSWORD = "Qz7pK3mW9xR2tV5c"
BOUNDARY = "----=_NextPart_000_0001_01DA"


# ---- builders -------------------------------------------------------------------------------


def make_pdf(text: str = "Mitsumori 2026", title: str = "御見積書") -> bytes:
    """A small real PDF with a text content stream and /Info metadata (UTF-16 title)."""
    content = f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET".encode("ascii")
    title_hex = ("FEFF" + title.encode("utf-16-be").hex()).upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title <" + title_hex.encode() + b"> /Author (Ken Yamamoto) >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def make_xlsx() -> bytes:
    """A real workbook with Japanese cell text."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "売上"
    sheet["B1"] = 1234567
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", "\r\n").rstrip("\r\n")


def _jis(text: str) -> str:
    return Header(text, "iso-2022-jp").encode()


def japanese_mail(
    *, eol: str = "\r\n", to: str = "hanako.sato@abc-trading.co.jp"
) -> tuple[bytes, bytes, bytes]:
    """Outlook-JP style: ISO-2022-JP text + HTML, a PDF (RFC 2231 name), an xlsx (RFC 2047 name),
    and an inline cid: logo. Returns (raw, pdf, xlsx)."""
    pdf, xlsx = make_pdf(), make_xlsx()
    logo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    body = "佐藤様\r\n\r\nお世話になっております。見積書と売上表を添付いたします。\r\n"
    inner = "----=_Alt_0002"
    lines = [
        f"From: {_jis('山本 健')} <ken.yamamoto@example.co.jp>",
        f"To: {_jis('佐藤 花子')} <{to}>",
        f"Subject: {_jis('御見積書の送付')}",
        "Date: Fri, 20 Nov 2026 10:00:00 +0900",
        "Message-ID: <prot-1@example.co.jp>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed;\r\n\tboundary="{BOUNDARY}"',
        "",
        "This is a multi-part message in MIME format.",
        "",
        f"--{BOUNDARY}",
        f'Content-Type: multipart/related; boundary="{inner}"',
        "",
        f"--{inner}",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        "Content-Transfer-Encoding: 7bit",
        "",
        body.encode("iso-2022-jp").decode("ascii").rstrip("\r\n"),
        f"--{inner}",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        _b64('<p>佐藤様</p><img src="cid:logo@x">'.encode()),
        f"--{inner}",
        "Content-Type: image/png",
        "Content-ID: <logo@x>",
        "Content-Transfer-Encoding: base64",
        "",
        _b64(logo),
        f"--{inner}--",
        "",
        f"--{BOUNDARY}",
        "Content-Type: application/pdf;\r\n\tname*=UTF-8''%E5%BE%A1%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf",
        "Content-Description: quote",
        "Content-Disposition: attachment;\r\n\tfilename*=UTF-8''%E5%BE%A1%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf",
        "Content-Transfer-Encoding: base64",
        "",
        _b64(pdf),
        "",
        f"--{BOUNDARY}",
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;",
        f'\tname="{_jis("売上表.xlsx")}"',
        f'Content-Disposition: attachment;\r\n\tfilename="{_jis("売上表.xlsx")}"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64(xlsx),
        "",
        f"--{BOUNDARY}--",
        "",
    ]
    raw = "\r\n".join(lines).encode("ascii")
    if eol != "\r\n":
        raw = raw.replace(b"\r\n", eol.encode())
    return raw, pdf, xlsx


def segments(raw: bytes, boundary: str = BOUNDARY) -> list[bytes]:
    """The message cut at its outer delimiters, independently of the code under test."""
    return raw.split(b"--" + boundary.encode())


def index_of(raw: bytes, name: str) -> int:
    return [a.filename for a in parse_message(raw).attachments].index(name)


# ---- passwords ------------------------------------------------------------------------------


def test_generated_passwords_are_long_unambiguous_and_mixed() -> None:
    seen = set()
    for _ in range(200):
        pw = generate_password()
        assert len(pw) == 16
        assert set(pw) <= set(ALPHABET)
        assert not set(pw) & set("0O1lIo")
        assert any(c.isdigit() for c in pw)
        assert any(c.isupper() for c in pw)
        assert any(c.islower() for c in pw)
        seen.add(pw)
    assert len(seen) == 200
    assert len(generate_password(24)) == 24
    assert password_strength(generate_password()).level == "strong"


def test_generated_password_shorter_than_16_is_refused() -> None:
    with pytest.raises(ValueError, match="16"):
        generate_password(12)


@pytest.mark.parametrize(
    ("password", "level", "reason"),
    [
        ("", "weak", "empty"),
        ("password", "weak", "common"),
        ("P@ssword2026", "weak", "common"),
        ("Ab3$", "weak", "too-short"),
        ("aaaaaaaaaaaaaaaaaa", "weak", "repetitive"),
        ("abcd1234efgh", "fair", "sequence"),
        ("kumamoto-nagoya", "fair", "few-classes"),
        ("Tq8#vLm2$Rw9xZp", "strong", None),
        ("さくら2026Tokyo!", "strong", "non-ascii"),
    ],
)
def test_password_strength(password: str, level: str, reason: str | None) -> None:
    strength = password_strength(password)
    assert strength.level == level
    if reason:
        assert reason in strength.reasons
    assert all(" " not in r for r in strength.reasons)  # codes, not sentences


# ---- encryption round-trips -----------------------------------------------------------------


def test_encrypt_pdf_round_trip_keeps_content_and_metadata() -> None:
    original = make_pdf()
    encrypted = encrypt_pdf(original, PASSWORD)
    assert b"Mitsumori 2026" not in encrypted
    reader = PdfReader(io.BytesIO(encrypted))
    assert reader.is_encrypted
    assert reader.trailer["/Encrypt"]["/V"] == 5  # AES-256 (R6)
    assert reader.trailer["/Encrypt"]["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("wrong-password") == 0
    assert reader.decrypt(PASSWORD) != 0
    plain = PdfReader(io.BytesIO(original))
    assert reader.pages[0].get_contents().get_data() == plain.pages[0].get_contents().get_data()
    assert reader.metadata is not None
    assert reader.metadata.title == "御見積書"
    assert reader.metadata.author == "Ken Yamamoto"
    assert int(reader.trailer["/Encrypt"]["/P"]) & 0b100  # printing still allowed


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"PK\x03\x04 not a pdf", "not-a-pdf"),
        (b"%PDF-1.4\n garbage without objects", "pdf-unreadable"),
    ],
)
def test_encrypt_pdf_refuses_bad_input_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(ProtectError) as info:
        encrypt_pdf(data, PASSWORD)
    assert info.value.code == code


def test_encrypt_pdf_refuses_an_already_encrypted_pdf() -> None:
    with pytest.raises(ProtectError) as info:
        encrypt_pdf(encrypt_pdf(make_pdf(), PASSWORD), "other-password-123")
    assert info.value.code == "already-encrypted"


def test_encrypt_zip_round_trip_with_japanese_names_flagged_utf8() -> None:
    xlsx = make_xlsx()
    files = [("売上表_2026年度.xlsx", xlsx), ("ﾒﾓ（半角）.txt", "メモ".encode("cp932")), ("a.txt", b"x")]
    data = encrypt_zip(files, PASSWORD)
    # Stdlib metadata: names read back as UTF-8 because bit 11 is set on every entry.
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == [n for n, _ in files]
    assert [bool(i.flag_bits & 0x800) for i in infos] == [True, True, False]  # ASCII needs none
    assert all(i.flag_bits & 0x1 for i in infos)  # encrypted
    assert all(i.compress_type == 99 for i in infos)  # WinZip AES marker
    # Raw central directory bytes hold UTF-8, not CP437 or Shift_JIS.
    assert "売上表_2026年度.xlsx".encode() in data
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(PASSWORD.encode())
        assert archive.read("売上表_2026年度.xlsx") == xlsx
        assert archive.read("a.txt") == b"x"
        assert archive.getinfo("a.txt").extra[:2] == b"\x01\x99"  # AES extra field
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(b"wrong")
        with pytest.raises(RuntimeError):
            archive.read("a.txt")


def test_encrypt_zip_strips_paths_and_refuses_duplicates() -> None:
    data = encrypt_zip([("..\\..\\evil.txt", b"1"), ("dir/ok.txt", b"2")], PASSWORD)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["evil.txt", "ok.txt"]
    with pytest.raises(ProtectError) as info:
        encrypt_zip([("a/x.txt", b"1"), ("b/X.TXT", b"2")], PASSWORD)
    assert info.value.code == "duplicate-name"
    with pytest.raises(ProtectError):
        encrypt_zip([("x.txt", b"1")], "")


# ---- MIME rebuild ---------------------------------------------------------------------------


def test_protect_message_encrypts_and_keeps_every_other_byte() -> None:
    raw, _pdf, xlsx = japanese_mail()
    before = parse_message(raw)
    assert [a.filename for a in before.attachments] == ["御見積書.pdf", "売上表.xlsx", "image.png"]
    result = protect_message(raw, {0: Choice.ENCRYPT_PDF, 1: Choice.ENCRYPT_ZIP}, PASSWORD)

    after = parse_message(result.raw)
    assert after.problems == ()
    assert [a.filename for a in after.attachments] == ["御見積書.pdf", "売上表.zip", "image.png"]
    assert [a.content_type for a in after.attachments[:2]] == ["application/pdf", "application/zip"]
    assert after.subject == before.subject
    assert after.body == before.body
    assert after.recipients == before.recipients
    assert after.message_id == before.message_id

    reader = PdfReader(io.BytesIO(after.attachments[0].data))
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD) != 0
    with pyzipper.AESZipFile(io.BytesIO(after.attachments[1].data)) as archive:
        archive.setpassword(PASSWORD.encode())
        assert archive.namelist() == ["売上表.xlsx"]
        assert archive.read("売上表.xlsx") == xlsx
    assert after.attachments[2].data == before.attachments[2].data

    old, new = segments(raw), segments(result.raw)
    assert len(old) == len(new) == 5
    assert new[0] == old[0]  # top-level headers and preamble, byte for byte
    assert new[1] == old[1]  # the text/html/inline-image part
    assert new[4] == old[4]  # close delimiter and epilogue
    assert new[2] != old[2]
    assert new[3] != old[3]
    # Inside a replaced part, headers that are not about the content survive.
    assert b"Content-Description: quote\r\n" in new[2]
    # Only CRLF line endings, as the original.
    assert b"\n" not in result.raw.replace(b"\r\n", b"")

    assert [(a.index, a.filename, a.choice, a.new_filename) for a in result.actions] == [
        (0, "御見積書.pdf", Choice.ENCRYPT_PDF, "御見積書.pdf"),
        (1, "売上表.xlsx", Choice.ENCRYPT_ZIP, "売上表.zip"),
    ]
    assert PASSWORD not in repr(result)
    assert result.notes() == (
        ReviewNote("encrypted-pdf", "御見積書.pdf"), ReviewNote("encrypted-zip", "売上表.xlsx")
    )


def test_rebuilt_filenames_are_rfc2231_with_continuations_for_long_japanese_names() -> None:
    raw, _, _ = japanese_mail()
    long_name = "株式会社エービーシー商事様_御見積書_第二版_最終確認済み_2026年11月20日.xlsx"
    raw = raw.replace(_jis("売上表.xlsx").encode(), _jis(long_name).encode())
    result = protect_message(raw, {1: Choice.ENCRYPT_ZIP}, PASSWORD)
    part = segments(result.raw)[3]
    assert b"filename*0*=UTF-8''%E6%A0%AA" in part
    assert b"filename*1*=" in part
    assert all(len(line) <= 78 for line in part.split(b"\r\n\r\n")[0].split(b"\r\n"))
    expected = long_name.rpartition(".")[0] + ".zip"
    assert parse_message(result.raw).attachments[1].filename == expected


def test_send_as_is_changes_nothing_and_is_reported() -> None:
    raw, _, _ = japanese_mail()
    result = protect_message(raw, {0: Choice.SEND_AS_IS, 1: Choice.SEND_AS_IS}, "")
    assert result.raw == raw
    assert result.notes() == (
        ReviewNote("sent-as-is", "御見積書.pdf"), ReviewNote("sent-as-is", "売上表.xlsx")
    )


@pytest.mark.parametrize(("index", "kept"), [(0, ["売上表.xlsx"]), (1, ["御見積書.pdf"])])
def test_remove_drops_only_that_part(index: int, kept: list[str]) -> None:
    raw, _, _ = japanese_mail()
    result = protect_message(raw, {index: Choice.REMOVE}, "")
    after = parse_message(result.raw)
    assert after.problems == ()
    assert [a.filename for a in after.attachments] == [*kept, "image.png"]
    old, new = segments(raw), segments(result.raw)
    assert len(new) == len(old) - 1
    assert new == old[: 2 + index] + old[3 + index :]


def test_remove_both_files_and_encrypt_with_lf_line_endings() -> None:
    raw, _, _ = japanese_mail(eol="\n")
    removed = protect_message(raw, {0: Choice.REMOVE, 1: Choice.REMOVE}, "")
    assert [a.filename for a in parse_message(removed.raw).attachments] == ["image.png"]
    assert segments(removed.raw) == [*segments(raw)[:2], segments(raw)[4]]
    encrypted = protect_message(raw, {1: Choice.ENCRYPT_ZIP}, PASSWORD)
    assert b"\r\n" not in encrypted.raw
    assert parse_message(encrypted.raw).attachments[1].filename == "売上表.zip"


def test_a_message_that_is_only_a_pdf_keeps_its_headers() -> None:
    pdf = make_pdf()
    head = (
        f"From: ken@example.co.jp\r\nTo: a@abc-trading.co.jp\r\nSubject: {_jis('資料')}\r\n"
        "Message-ID: <solo@example.co.jp>\r\nMIME-Version: 1.0\r\n"
    )
    raw = (head + "Content-Type: application/pdf; name=\"doc.pdf\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" + _b64(pdf) + "\r\n").encode()
    result = protect_message(raw, {0: Choice.ENCRYPT_PDF}, PASSWORD)
    assert result.raw.startswith(head.encode())
    after = parse_message(result.raw)
    assert after.attachments[0].filename == "doc.pdf"
    assert PdfReader(io.BytesIO(after.attachments[0].data)).decrypt(PASSWORD) != 0
    with pytest.raises(ProtectError) as info:
        protect_message(raw, {0: Choice.REMOVE}, "")
    assert info.value.code == "nothing-left"


@pytest.mark.parametrize(
    ("choices", "password", "code"),
    [
        ({5: Choice.ENCRYPT_ZIP}, PASSWORD, "no-such-attachment"),
        ({1: Choice.ENCRYPT_PDF}, PASSWORD, "not-a-pdf"),
        ({0: Choice.ENCRYPT_PDF}, "", "empty-password"),
    ],
)
def test_protect_message_bad_requests_give_codes(
    choices: dict[int, Choice], password: str, code: str
) -> None:
    raw, _, _ = japanese_mail()
    with pytest.raises(ProtectError) as info:
        protect_message(raw, choices, password)
    assert info.value.code == code


def test_zip_name_avoids_collision_with_an_existing_attachment() -> None:
    raw, _, _ = japanese_mail()
    raw = raw.replace(_jis("売上表.xlsx").encode(), _jis("御見積書.xlsx").encode())
    quoted = b"%E5%BE%A1%E8%A6%8B%E7%A9%8D%E6%9B%B8"
    raw = raw.replace(quoted + b".pdf", quoted + b".zip")
    # Attachment 0 is now a PDF named 御見積書.zip; zipping 御見積書.xlsx must not reuse that name.
    result = protect_message(raw, {1: Choice.ENCRYPT_ZIP}, PASSWORD)
    names = [a.filename for a in parse_message(result.raw).attachments]
    assert names[:2] == ["御見積書.zip", "御見積書.xlsx.zip"]


# ---- re-check ---------------------------------------------------------------------------------


def test_protected_files_are_detected_as_encrypted_by_the_parser() -> None:
    raw, _, _ = japanese_mail()
    probe_ready = is_encrypted("x.zip", "application/zip", encrypt_zip([("a", b"a")], PASSWORD))
    if not probe_ready:
        pytest.xfail("waits for core.containers.is_encrypted (engineer B)")
    result = protect_message(raw, {0: Choice.ENCRYPT_PDF, 1: Choice.ENCRYPT_ZIP}, PASSWORD)
    assert [a.encrypted for a in parse_message(raw).attachments[:2]] == [False, False]
    assert [a.encrypted for a in parse_message(result.raw).attachments[:2]] == [True, True]


def test_protected_message_rechecks_clean_of_unprotected_attachment() -> None:
    raw, _, _ = japanese_mail()
    context = CheckContext(policy=Policy(internal_domains=frozenset({"example.co.jp"})))
    if "unprotected-attachment" not in check(parse_message(raw), context).codes():
        pytest.xfail("waits for the unprotected-attachment rule in core/rules/attachments.py")
    result = protect_message(raw, {0: Choice.ENCRYPT_PDF, 1: Choice.ENCRYPT_ZIP}, PASSWORD)
    assert "unprotected-attachment" not in check(parse_message(result.raw), context).codes()


# ---- recommendations ------------------------------------------------------------------------


def test_recommend_prefers_pdf_encryption_and_flags_zip_refusing_domains() -> None:
    policy = Policy(zip_refusing_domains=frozenset({"strict-bank.co.jp"}))
    pdf = Attachment("a.pdf", "application/pdf", make_pdf())
    xlsx = Attachment("b.xlsx", "application/octet-stream", make_xlsx())
    rec = recommend(pdf, ["mail.strict-bank.co.jp"], policy)
    assert rec.choice is Choice.ENCRYPT_PDF
    assert rec.options[:2] == (Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP)
    assert rec.zip_refused_by == ("mail.strict-bank.co.jp",)
    rec = recommend(xlsx, ["abc-trading.co.jp"], policy)
    assert rec.choice is Choice.ENCRYPT_ZIP
    assert rec.zip_refused_by == ()
    assert Choice.SEND_AS_IS in rec.options
    strict = recommend(xlsx, ["abc-trading.co.jp"], policy.updated(require_protection=True))
    assert Choice.SEND_AS_IS not in strict.options
    assert not strict.send_as_is_allowed
    done = Attachment("c.zip", "application/zip", b"", encrypted=True)
    assert recommend(done, ["x.jp"], policy).choice is Choice.SEND_AS_IS


def test_plan_lists_unprotected_files_only_for_external_mail() -> None:
    raw, _, _ = japanese_mail()
    policy = Policy(internal_domains=frozenset({"example.co.jp"}))
    items = protect.plan(parse_message(raw), policy)
    assert [(i.index, i.attachment.filename, i.recommendation.choice) for i in items] == [
        (0, "御見積書.pdf", Choice.ENCRYPT_PDF), (1, "売上表.xlsx", Choice.ENCRYPT_ZIP)]
    internal, _, _ = japanese_mail(to="jiro@example.co.jp")
    assert protect.plan(parse_message(internal), policy) == ()


def test_damaged_messages_give_protect_error_never_a_traceback() -> None:
    raw, _, _ = japanese_mail()
    rng = random.Random(20261120)
    cases = [b"", b"garbage", b"Content-Type: multipart/mixed\r\n\r\n--x\r\n", raw[: len(raw) // 2]]
    for _ in range(120):
        damaged = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(damaged))
            damaged[pos : pos + rng.randint(0, 40)] = rng.choice(
                [b"\r\n", b"--", b"\r\n\r\n", b"--" + BOUNDARY.encode(), b"\xff\xfe", b""])
        cases.append(bytes(damaged))
    refused: list[str] = []
    for case in cases:
        try:
            result = protect_message(case, {0: Choice.ENCRYPT_ZIP, 1: Choice.REMOVE}, PASSWORD)
        except ProtectError as exc:
            refused.append(exc.code)
        else:
            assert parse_message(result.raw).attachments[0].filename.endswith(".zip")
    assert len(refused) >= 4  # at least the four hopeless inputs
    assert all(refused)
