"""Attachment mistakes: unencrypted files to outside, hidden sheets, tracked changes, wrong names, size."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from tests.corpus import attachments as att
from tests.corpus.cases_clean import SIG, SIG_EN
from tests.corpus.cases_recipients import _ja
from tests.corpus.mailkit import Mail, Part
from tests.corpus.universe import (
    CHEN,
    GARCIA,
    JIRO,
    KATO,
    KOBAYASHI,
    LISA,
    ME,
    ME_EN,
    MORI_IN,
    NAKAMURA,
    SATO,
    SUZUKI,
    TAKAHASHI,
    Case,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LARGE_BYTES = 11 * 1024 * 1024


def cases() -> list[Case]:
    """Attachment-side cases (the large one is generated at test time)."""
    out: list[Case] = []
    add = out.append
    # --- unprotected-attachment (derived: every unencrypted file to an external recipient)
    add(Case("up01_pdf_external", "Plain PDF to an external contact",
             Mail("outlook-jp", ME, [SATO], "御見積書送付の件",
                  _ja("ABC商事株式会社\n佐藤様", "御見積書を添付いたします。ご査収ください。"),
                  parts=[Part("御見積書_ABC商事様.pdf", "application/pdf", att.pdf("御見積書"))])))
    add(Case("up02_csv_external_sjis", "Customer CSV (CP932) to an external logistics partner",
             Mail("outlook-sjis", ME, [NAKAMURA], "配送先リスト",
                  _ja("東西ロジスティクス株式会社\n中村様", "6月分の配送先リストを添付いたします。"),
                  parts=[Part("配送先リスト_6月.csv", "text/csv",
                              att.csv_cp932("会社名,住所,電話\nABC商事,東京都千代田区1-1,03-0000-0000\n"))])))
    add(Case("up03_zip_plain_en", "Unencrypted ZIP to an external contact (English)",
             Mail("gmail-en", ME_EN, [CHEN], "Design files",
                  f"Hi David,\n\nAttached are the design files for the new packaging.\n{SIG_EN}",
                  parts=[Part("packaging_design_v3.zip", "application/zip",
                              att.zip_plain({"front.txt": b"front panel", "back.txt": b"back panel"}))])))
    add(Case("up04_zipcrypto_ok", "ZipCrypto (PPAP) archive to an external contact: counts as encrypted",
             Mail("becky", ME, [KOBAYASHI], "図面送付の件",
                  _ja("株式会社ひかり電機\n小林様", "図面を添付いたします。パスワードは別メールにてお送りします。"),
                  parts=[Part("図面_20240514.zip", "application/x-zip-compressed",
                              att.zip_crypto({"図面A.txt": "部品A 寸法".encode("cp932")}, "Zx81!qpa"),
                              encrypted=True)]),
             # "パスワードは別メールにて" announces PPAP: the password is to travel by mail
             must=[("password-in-mail", "body")], must_not=["unprotected-attachment"]))
    # --- hidden-sheet
    add(Case("hs01_hidden_internal", "Internal xlsx with a hidden cost sheet",
             Mail("outlook-utf8", ME, [KATO], "見積表の確認",
                  "加藤さん\n\n見積表を添付します。確認をお願いします。\n" + SIG,
                  parts=[Part("見積表_ABC商事.xlsx", XLSX,
                              att.xlsx([("見積", "visible"), ("原価", "hidden")]))]),
             must=[("hidden-sheet", "attachment:見積表_ABC商事.xlsx")]))
    add(Case("hs02_very_hidden_external", "veryHidden margin sheet sent to a client",
             Mail("outlook-jp", ME, [SUZUKI], "御見積書（修正版）",
                  _ja("ABC商事株式会社\n鈴木様", "修正版の御見積書を添付いたします。"),
                  parts=[Part("御見積書_修正版.xlsx", XLSX,
                              att.xlsx([("御見積書", "visible"), ("粗利計算", "veryHidden")]))]),
             must=[("hidden-sheet", "attachment:御見積書_修正版.xlsx")]))
    add(Case("hs03_hidden_en", "English internal workbook with a hidden 'Margin' sheet (Thunderbird)",
             Mail("thunderbird", ME_EN, [LISA], "Pricing model",
                  f"Hi Lisa,\n\nAttached is the pricing model for review.\n{SIG_EN}",
                  parts=[Part("Pricing_Model_FY24.xlsx", XLSX,
                              att.xlsx([("Summary", "visible"), ("Margin", "hidden"), ("Notes", "visible")],
                                       [["Item", "Price"], ["Support", 1200]]))]),
             must=[("hidden-sheet", "attachment:Pricing_Model_FY24.xlsx")]))
    # --- tracked-changes
    add(Case("tc01_insertion_internal", "docx with a tracked insertion",
             Mail("outlook-utf8", ME, [MORI_IN], "契約書ドラフト",
                  "森さん\n\n契約書のドラフトを添付します。\n" + SIG,
                  parts=[Part("業務委託契約書_ドラフト.docx", DOCX,
                              att.docx(["業務委託契約書", "第1条（目的）"], insert="第5条 損害賠償の上限を委託料の総額とする。"))]),
             must=[("tracked-changes", "attachment:業務委託契約書_ドラフト.docx")]))
    add(Case("tc02_deletion_external", "docx with a tracked deletion, sent to a client",
             Mail("outlook-jp", ME, [TAKAHASHI], "秘密保持契約書のご送付",
                  _ja("XYZ銀行\n高橋様", "秘密保持契約書を添付いたします。ご確認をお願いいたします。"),
                  parts=[Part("秘密保持契約書.docx", DOCX,
                              att.docx(["秘密保持契約書", "第2条（秘密情報）"], delete="違約金は1,000万円とする。"))]),
             must=[("tracked-changes", "attachment:秘密保持契約書.docx")],
             allowed=[("confidential-keyword", None)]))
    add(Case("tc03_comment_en", "docx with a reviewer comment, English",
             Mail("outlook-en", ME_EN, [GARCIA], "Statement of work v2",
                  f"Dear Maria,\n\nPlease find attached the statement of work, version 2.\n{SIG_EN}",
                  parts=[Part("SOW_v2.docx", DOCX,
                              att.docx(["Statement of Work", "1. Scope"], comment="値引きは最大15%まで（社内メモ）"))]),
             must=[("tracked-changes", "attachment:SOW_v2.docx")]))
    # --- attachment-name-mismatch
    add(Case("an01_bank_quote_to_abc", "御見積書_XYZ銀行様.pdf sent to ABC商事",
             Mail("outlook-jp", ME, [SATO], "御見積書送付の件",
                  _ja("ABC商事株式会社\n佐藤様", "御見積書を添付いたします。"),
                  parts=[Part("御見積書_XYZ銀行様.pdf", "application/pdf", att.pdf("御見積書"), encrypted=False)]),
             must=[("attachment-name-mismatch", "attachment:御見積書_XYZ銀行様.pdf")]))
    add(Case("an02_invoice_other_company", "請求書_株式会社ミドリ物産御中.pdf (encrypted) to ひかり電機",
             Mail("outlook-sjis", ME, [KOBAYASHI], "4月分ご請求書",
                  _ja("株式会社ひかり電機\n小林様", "4月分のご請求書をお送りいたします。パスワードは別途ご連絡します。"),
                  parts=[Part("請求書_株式会社ミドリ物産御中.pdf", "application/pdf",
                              att.pdf("請求書", password="Pw-2024-ab"), encrypted=True)]),
             must=[("attachment-name-mismatch", "attachment:請求書_株式会社ミドリ物産御中.pdf")]))
    add(Case("an03_proposal_globex_to_northwind", "Proposal_for_Globex_Corporation.pdf to Northwind",
             Mail("gmail-en", ME_EN, [CHEN], "Our proposal",
                  f"Hi David,\n\nAttached is our proposal.\n{SIG_EN}",
                  parts=[Part("Proposal_for_Globex_Corporation.pdf", "application/pdf", att.pdf("Proposal"))]),
             must=[("attachment-name-mismatch", "attachment:Proposal_for_Globex_Corporation.pdf")]))
    add(Case("an04_person_name", "契約書_鈴木一郎様.pdf (encrypted) sent to 高橋",
             Mail("outlook-utf8", ME, [TAKAHASHI], "契約書のご送付",
                  _ja("XYZ銀行\n高橋様", "契約書をお送りいたします。パスワードは別途お送りします。"),
                  parts=[Part("契約書_鈴木一郎様.pdf", "application/pdf",
                              att.pdf("契約書", password="Kk-88-zz"), encrypted=True)]),
             must=[("attachment-name-mismatch", "attachment:契約書_鈴木一郎様.pdf")]))
    add(Case("an05_right_company_ok", "御見積書_ABC商事様.pdf (encrypted) to ABC商事: no mismatch",
             Mail("outlook-jp", ME, [SATO, SUZUKI], "御見積書送付の件",
                  _ja("ABC商事株式会社\n佐藤様、鈴木様", "御見積書を添付いたします。パスワードは別途お送りします。"),
                  parts=[Part("御見積書_ABC商事様.pdf", "application/pdf",
                              att.pdf("御見積書", password="Ab-1234-x"), encrypted=True)]),
             must_not=["attachment-name-mismatch", "unprotected-attachment"]))
    # --- large-attachment (generated at test time; ~11 MB is not committed)
    add(Case("la01_large_internal", "Internal mail with an 11 MB video file",
             Mail("outlook-utf8", ME, [JIRO], "展示会の動画",
                  "田中さん\n\n展示会ブースの動画を添付します。\n" + SIG,
                  parts=[Part("booth_movie.mp4", "video/mp4", b"")]),
             must=[("large-attachment", None)], generated=True))
    return out


def large_mail(case: Case) -> bytes:
    """The large mail's bytes with its real payload (kept out of git)."""
    case.mail.parts[0].data = att.noise(LARGE_BYTES)
    return case.mail.render()
