"""Everyday forms that trip naive checkers: 部-surnames, Outlook 365 quotes, titles, inline PDFs, long names."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from tests.corpus import attachments as att
from tests.corpus.cases_attach import XLSX
from tests.corpus.cases_clean import SIG, SIG_EN
from tests.corpus.cases_recipients import _ja
from tests.corpus.mailkit import Mail, Part
from tests.corpus.universe import (
    CHEN,
    KOBAYASHI,
    ME,
    ME_EN,
    NAKAMURA,
    OKADA,
    SATO,
    SUZUKI,
    TAKAHASHI,
    YOSHIDA,
    Case,
)

HATTORI = ("服部 翔", "sho.hattori@sakura-sys.co.jp")


def cases() -> list[Case]:
    """Hard-but-ordinary cases."""
    out: list[Case] = []
    add = out.append
    add(Case("hd01_hattori_san", "Internal: 服部さん to 服部 翔 (surname ending in 部, not in contacts)",
             Mail("outlook-jp", ME, [HATTORI], "来週の出張", "服部さん\n\nお疲れさまです。\n来週の出張の件、新幹線は手配済みです。\n" + SIG),
             must_not=["salutation-mismatch"]))
    add(Case("hd02_outlook365_quote", "Outlook 365 reply: history under a ____ line, 添付 only in the history",
             Mail("outlook-utf8", ME, [SATO], "RE: 候補日のご連絡",
                  "ABC商事株式会社\n佐藤様\n\nご連絡ありがとうございます。\n21日14時でお願いいたします。\n" + SIG +
                  "\n________________________________\n差出人: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\n"
                  "送信日時: 2024年5月13日 18:12\n宛先: 山本 健 <ken.yamamoto@sakura-sys.co.jp>\n件名: 候補日のご連絡\n\n"
                  "山本様\n\n候補日を添付ファイルにまとめましたのでご確認ください。\n")))
    add(Case("hd03_gmail_ja_quote", "Gmail Japanese attribution line and > history mentioning 添付",
             Mail("gmail", ME, [KOBAYASHI], "Re: 仕様書の件",
                  "小林様\n\n拝見しました。特に問題ございません。\n\n山本\n\n"
                  "2024年5月13日(月) 18:12 小林 誠 <makoto.kobayashi@hikari-denki.co.jp>:\n\n"
                  "> 山本様\n>\n> 仕様書を添付いたしました。\n> ご確認ください。\n")))
    add(Case("hd04_title_salutation", "佐藤部長 / 鈴木課長: title instead of 様",
             Mail("outlook-jp", ME, [SATO], "ご挨拶",
                  _ja("ABC商事株式会社\n佐藤部長\n（CC：鈴木課長）", "先日は貴重なお時間をいただきありがとうございました。"),
                  cc=[SUZUKI]), must_not=["salutation-mismatch"]))
    add(Case("hd05_last_first_display", "Outlook 'Chen, David' display name, Hi David",
             Mail("outlook-en", ME_EN, [("Chen, David", CHEN[1])], "Re: Shipping labels",
                  f"Hi David,\n\nThe labels are fine, please go ahead.\n{SIG_EN}"), must_not=["salutation-mismatch"]))
    add(Case("hd06_upper_internal", "Internal address in upper case from an old GAL entry",
             Mail("outlook-utf8", ME, [("岡田 里奈", "Rina.Okada@SAKURA-GROUP.JP")], "共有フォルダの件",
                  "岡田さん\n\n共有フォルダの権限を付与しました。\n" + SIG)))
    add(Case("hd07_nda_phrase", "External mail about a 機密保持契約 (NDA): the word is the contract's name",
             Mail("outlook-jp", ME, [NAKAMURA], "機密保持契約の締結について",
                  _ja("東西ロジスティクス株式会社\n中村様", "機密保持契約の締結について、先方法務のご意見を伺えますでしょうか。")),
             allowed=[("confidential-keyword", None)]))
    add(Case("hd08_apple_inline_pdf", "Apple Mail sends the PDF with Content-Disposition: inline (no cid)",
             Mail("apple", ME, [YOSHIDA], "図面の件",
                  _ja("富士精密株式会社\n吉田様", "図面を添付いたします。ご確認ください。"),
                  parts=[Part("図面_rev3.pdf", "application/pdf", att.pdf("図面"), disposition="inline")])))
    add(Case("hd09_iphone_photo", "iPhone photo (inline, no cid) to an external contact",
             Mail("iphone", ME, [TAKAHASHI], "看板の写真",
                  "高橋様\n\n先ほどの看板の写真を添付します。\n\n山本\n\niPhoneから送信",
                  parts=[Part("IMG_4032.png", "image/png", att.png(8, 8), disposition="inline")])))
    long_name = "2024年度_第1四半期_営業部門別売上実績および今後の見通し_最終版.xlsx"
    add(Case("hd10_rfc2231_continuation", "Thunderbird RFC 2231 continuation filename; workbook has a hidden sheet",
             Mail("thunderbird", ME, [OKADA], "四半期実績",
                  "岡田さん\n\n四半期実績を添付します。\n" + SIG,
                  parts=[Part(long_name, XLSX, att.xlsx([("実績", "visible"), ("作業用", "hidden")]),
                              split_name=True)]),
             must=[("hidden-sheet", f"attachment:{long_name}")]))
    add(Case("hd11_undisclosed_bcc", "To: undisclosed-recipients:; with four contacts in Bcc",
             Mail("outlook-utf8", ME, [], "夏季休業のお知らせ",
                  "お取引先各位\n\n誠に勝手ながら、8月10日から8月18日まで夏季休業とさせていただきます。\n" + SIG,
                  bcc=[SATO, TAKAHASHI, KOBAYASHI, NAKAMURA]),
             must_not=["many-external-visible", "empty-subject"]))
    add(Case("hd12_html_only_wrong_name", "HTML-only Outlook mail: 鈴木様 written, 佐藤 addressed",
             Mail("outlook-utf8", ME, [SATO], "ご提案の件", "",
                  html_body="<html><body><div><p>ABC商事株式会社<br>鈴木様</p><p>いつもお世話になっております。"
                  "<br>ご提案の件、社内で検討いたしました。</p></div></body></html>", html_only=True),
             must=[("salutation-mismatch", "body")]))
    add(Case("hd13_jis_kishu_izon", "Shift_JIS (CP932) body with ①②, ㈱ and ～ from Outlook",
             Mail("outlook-sjis", ME, [KOBAYASHI], "打合せ議題（5/21）",
                  _ja("㈱ひかり電機\n小林様", "議題は以下のとおりです。\n①納期の確認\n②価格改定（6月～）\n③その他")),
             must_not=["malformed-message"]))
    return out
