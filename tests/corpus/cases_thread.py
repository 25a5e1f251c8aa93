"""Threads and the false alarms of real business mail: quoted internal mail, new domains in replies,
hard-wrapped sentences, nicknames, company-and-person salutations, PPAP sentences; five clients' formats."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from tests.corpus import attachments as att
from tests.corpus.cases_clean import SIG, SIG_EN
from tests.corpus.cases_recipients import _ja
from tests.corpus.mailkit import Mail, Part
from tests.corpus.universe import (
    CHEN,
    EMMA,
    GARCIA,
    JIRO,
    JOHN,
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
    TANAKA,
    YOSHIDA,
    Case,
)

ZIP = "application/zip"


def _outlook_ja(sender: tuple[str, str], to: list[tuple[str, str]], subject: str, body: str,
                cc: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
    """Outlook (ja) reply header under the rule line, as Microsoft 365 writes it."""
    head = (f"________________________________\n差出人: {sender[0]} <{sender[1]}>\n送信日時: 2024年5月13日 18:12\n"
            f"宛先: {'; '.join(f'{n} <{a}>' for n, a in to)}\n")
    if cc:
        head += f"CC: {'; '.join(f'{n} <{a}>' for n, a in cc)}\n"
    return head + f"件名: {subject}\n\n{body}"


def _outlook_en(sender: tuple[str, str], to: list[tuple[str, str]], subject: str, body: str,
                cc: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
    """Outlook (en) reply header under -----Original Message-----."""
    head = (f"-----Original Message-----\nFrom: {sender[0]} <{sender[1]}>\nSent: Monday, May 13, 2024 6:12 PM\n"
            f"To: {'; '.join(f'{n} <{a}>' for n, a in to)}\n")
    if cc:
        head += f"Cc: {'; '.join(f'{n} <{a}>' for n, a in cc)}\n"
    return head + f"Subject: {subject}\n\n{body}"


def _quote(text: str) -> str:
    return "\n".join(f"> {ln}" if ln else ">" for ln in text.split("\n"))


def _gmail_ja(sender: tuple[str, str], text: str) -> str:
    return f"2024年5月13日(月) 18:12 {sender[0]} <{sender[1]}>:\n\n{_quote(text)}\n"


def _apple_ja(sender: tuple[str, str], text: str) -> str:
    return f"2024/05/13 18:12、{sender[0]} <{sender[1]}>のメール:\n\n{_quote(text)}\n"


def _becky(sender: tuple[str, str], text: str) -> str:
    return f"On Mon, 13 May 2024 18:12:40 +0900\n{sender[0]} <{sender[1]}> wrote:\n{_quote(text)}\n"


def _thunderbird(sender: tuple[str, str], text: str) -> str:
    return f"On 2024/05/13 18:12, {sender[0]} wrote:\n{_quote(text)}\n"


INTERNAL_PRICE = ("山本さん\n\nお疲れさまです。加藤です。\nABC商事様向けの次期価格は、1台あたり128,000円でご提示ください。\n"
                  "値引きは最大でも8%までとし、下限価格は117,760円です。\n本件は社外秘でお願いします。\n\n加藤")
CUSTOMER_ASK = ("山本様\n\nいつもお世話になっております。\nABC商事の佐藤です。\n\n来期の発注数量が固まりましたので、\n"
                "改めてお見積りをお願いできますでしょうか。\n\nよろしくお願いいたします。\n\n佐藤")


def cases() -> list[Case]:
    """Thread-shaped incidents first, then clean mails of the same shapes."""
    out: list[Case] = []
    add = out.append
    # --- internal thread quoted to a customer (the reply-all leak)
    add(Case("th01_outlook_internal_quote_shagaihi",
             "Outlook (ja) reply to the customer on top of an internal thread; 社外秘 and the price floor only in the quote",
             Mail("outlook-jp", ME, [SATO], "RE: ABC商事様 次期価格",
                  _ja("ABC商事株式会社\n佐藤様", "次期価格につきまして、1台あたり128,000円にてご提示いたします。\nご検討のほど、よろしくお願いいたします。")
                  + _outlook_ja(KATO, [ME], "RE: ABC商事様 次期価格", INTERNAL_PRICE, cc=[JIRO]),
                  headers=["In-Reply-To: <kato-0513@sakura-sys.co.jp>"]),
             must=[("confidential-keyword", "body"), ("internal-thread-to-external", "body")],
             allowed=[("new-domain-in-reply", None)]))
    add(Case("th02_gmail_internal_floor_price",
             "Gmail (ja) reply to a customer quoting a colleague's 仕切り値 and discount floor (no policy keyword)",
             Mail("gmail", ME, [KOBAYASHI], "Re: ひかり電機様 お見積り",
                  "小林様\n\nいつもお世話になっております。\n桜システムの山本です。\n\nお見積りの件、1台10万円にてご提示いたします。\n"
                  "ご検討のほど、よろしくお願いいたします。\n\n山本\n\n"
                  + _gmail_ja(KATO, "山本さん\n\nお疲れさまです。\nひかり電機様の件、仕切り値は1台9万円、\n値引きの下限は12%でお願いします。\n\n加藤")),
             must=[("internal-thread-to-external", "body"), ("confidential-keyword", "body")],
             allowed=[("new-domain-in-reply", None)]))
    add(Case("th03_apple_internal_only_en",
             "Apple Mail (en) reply to a customer quoting a colleague's 'Internal only' note addressed to the sender",
             Mail("apple", ME_EN, [EMMA], "Re: Contoso renewal",
                  f"Hi Emma,\n\nThanks for the call today. We can offer 10% off for the renewal.\n{SIG_EN}\n"
                  "On May 13, 2024, at 18:12, Lisa Park <lisa.park@sakura-sys.co.jp> wrote:\n\n"
                  "> Ken,\n>\n> Internal only: Contoso's renewal can go down to 15% off, not more.\n>\n> Lisa\n"),
             must=[("confidential-keyword", "body"), ("internal-thread-to-external", "body")],
             allowed=[("new-domain-in-reply", None)]))
    add(Case("th04_outlook_html_internal_forward",
             "HTML-only Outlook on the web forward of an internal discussion (divRplyFwdMsg) to a customer",
             Mail("outlook-utf8", ME, [TAKAHASHI], "FW: XYZ銀行様 提案方針", "",
                  html_body=(
                      "<html><body><div>XYZ銀行<br>高橋様</div><div><br></div><div>いつもお世話になっております。<br>"
                      "桜システムの山本です。<br>ご提案の方針をお送りいたします。</div>"
                      '<hr style="display:inline-block;width:98%" tabindex="-1">'
                      '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif"><b>差出人:</b> 森 直樹 '
                      "&lt;naoki.mori@sakura-sys.co.jp&gt;<br><b>送信日時:</b> 2024年5月13日 18:12<br><b>宛先:</b> "
                      "山本 健 &lt;ken.yamamoto@sakura-sys.co.jp&gt;<br><b>件名:</b> XYZ銀行様 提案方針</font>"
                      "<div>&nbsp;</div></div><div>山本さん<br><br>お疲れさまです。<br>XYZ銀行様は競合他社の見積りが"
                      "当社より15%安いとのことです。<br>部外秘ですが、当社は原価割れでも受注する方針です。</div></body></html>"),
                  html_only=True),
             must=[("confidential-keyword", "body"), ("internal-thread-to-external", "body")],
             allowed=[("new-domain-in-reply", None)]))
    # --- reply or forward adds a domain the thread never saw
    add(Case("th05_outlook_en_reply_all_new_domain",
             "Outlook (en) reply-all to Globex that also copies Northwind, who took no part in the thread",
             Mail("outlook-en", ME_EN, [GARCIA], "RE: Q3 pricing",
                  f"Dear Maria,\n\nThank you for your patience. Our Q3 pricing is unchanged from Q2, and I will\n"
                  f"confirm the volume discount by Friday.\n{SIG_EN}\n"
                  + _outlook_en(GARCIA, [ME_EN], "Q3 pricing", "Hi Ken,\n\nCould you share your Q3 pricing for the Globex rollout?\n\nThanks,\nMaria", cc=[JOHN]),
                  cc=[JOHN, CHEN]),
             # John Smith and Jon Smith (Initech) are both contacts: the look-alike warning is the corpus's own
             must=[("new-domain-in-reply", f"recipient:{CHEN[1]}")], allowed=[("lookalike-contact", None)]))
    add(Case("th06_thunderbird_forward_other_company",
             "Thunderbird forward of ABC商事's request to 東西ロジスティクス (Fwd:, 転送メッセージ header)",
             Mail("thunderbird", ME, [NAKAMURA], "Fwd: 仕様変更のお願い",
                  "中村様\n\nいつもお世話になっております。\n桜システムの山本です。\n下記の件、配送スケジュールへの影響をご確認いただけますでしょうか。\n"
                  + SIG + "\n-------- 転送メッセージ --------\n件名: \t仕様変更のお願い\n日付: \tMon, 13 May 2024 18:12:00 +0900\n"
                  "差出人: \t佐藤 花子 <hanako.sato@abc-trading.co.jp>\n宛先: \t山本 健 <ken.yamamoto@sakura-sys.co.jp>\n\n"
                  + CUSTOMER_ASK.replace("改めてお見積り", "6月納品分の仕様変更") + "\n"),
             must=[("new-domain-in-reply", f"recipient:{NAKAMURA[1]}")]))
    add(Case("th07_becky_reply_new_domain_in_reply_to",
             "Becky! reply (In-Reply-To, no Re: in the subject) to 佐藤 that also copies 富士精密",
             Mail("becky", ME, [SATO], "お見積りの件",
                  "佐藤様\n\nいつもお世話になっております。\n桜システムの山本です。\n数量の件、承知いたしました。\n\n山本\n\n"
                  + _becky(SATO, CUSTOMER_ASK),
                  cc=[YOSHIDA], headers=["In-Reply-To: <sato-0513@abc-trading.co.jp>",
                                         "References: <sato-0513@abc-trading.co.jp>"]),
             must=[("new-domain-in-reply", f"recipient:{YOSHIDA[1]}")]))
    # --- salutation naming a company and a person, PPAP in sentences
    add(Case("th08_becky_company_person_mismatch",
             "Becky!: 北斗工業 田中様 written, 田中 太郎 of ミドリ物産 addressed (same surname, other company)",
             Mail("becky", ME, [TANAKA], "打ち合わせ日程の件",
                  _ja("北斗工業株式会社\n田中様", "来週の打ち合わせですが、5月21日（火）14時からでいかがでしょうか。")),
             # 田中 太郎 and 田仲 太郎 read the same: the look-alike warning belongs to this slip too
             must=[("salutation-mismatch", "body")], allowed=[("lookalike-contact", None)]))
    add(Case("th09_outlook_en_ppap_sentence",
             "Outlook (en): encrypted ZIP and 'The password to open the zip file is …' in the same mail",
             Mail("outlook-en", ME_EN, [GARCIA], "Quotation for the Globex rollout",
                  f"Dear Maria,\n\nPlease find attached the quotation for the Globex rollout.\n"
                  f"The password to open the zip file is Hq7!pZ2m.\n{SIG_EN}",
                  parts=[Part("Quotation_Globex.zip", ZIP,
                              att.zip_aes({"Quotation_Globex.xlsx": att.xlsx([("Quote", "visible")])}, "Hq7!pZ2m"),
                              encrypted=True)]),
             must=[("password-in-mail", "body")]))
    add(Case("th10_outlook_jp_pw_kaki",
             "Outlook (ja): encrypted PDF and 「パスワードは下記の通りです」 with the password on its own line",
             Mail("outlook-jp", ME, [SATO], "御見積書送付の件",
                  _ja("ABC商事株式会社\n佐藤様", "御見積書を添付にてお送りいたします。\nファイルを開く際のパスワードは下記の通りです。\n\nSk#2024-0514"),
                  parts=[Part("御見積書_ABC商事様.pdf", "application/pdf", att.pdf("見積書", password="Sk#2024-0514"),
                              encrypted=True)]),
             must=[("password-in-mail", "body")]))
    add(Case("th11_gmail_kaitou_pw",
             "Gmail (ja): encrypted ZIP and 「解凍用PWは、別メールにて」 hard-wrapped",
             Mail("gmail", ME, [KOBAYASHI], "図面送付",
                  "小林様\n\nいつもお世話になっております。\n桜システムの山本です。\n\n図面一式をお送りいたします。解凍用PWは、\n"
                  "別メールにてお送りいたします。\n\n山本\n",
                  parts=[Part("図面一式.zip", ZIP, att.zip_aes({"図面.txt": "部品B 寸法".encode()}, "Zx81!qpa"),
                              encrypted=True)]),
             must=[("password-in-mail", "body")]))
    out += _clean()
    return out


def _clean() -> list[Case]:
    """The same shapes, written right: nothing above info."""
    out: list[Case] = []
    add = out.append
    add(Case("clean28_outlook_reply_all_same_thread",
             "Outlook (ja) reply-all inside a customer thread (To and Cc both in the quoted header)",
             Mail("outlook-jp", ME, [SATO], "RE: お見積りのお願い",
                  _ja("ABC商事株式会社\n佐藤様\n（CC：鈴木様）", "お見積りの件、承知いたしました。\n5月17日（金）までにお送りいたします。")
                  + _outlook_ja(SATO, [ME], "お見積りのお願い", CUSTOMER_ASK, cc=[SUZUKI]),
                  cc=[SUZUKI]),
             must_not=["new-domain-in-reply", "internal-thread-to-external", "confidential-keyword"]))
    add(Case("clean29_gmail_en_quoted_disclaimer",
             "Gmail (en) reply to Maria and David quoting David's mail, whose signature carries a CONFIDENTIALITY NOTICE",
             Mail("gmail-en", ME_EN, [GARCIA], "Re: Kick-off meeting",
                  "Hi Maria, hi David,\n\nThursday at 10:00 works for us. See you then.\n\nKen\n\n"
                  "On Mon, May 13, 2024 at 6:12 PM David Chen <david.chen@northwind.com> wrote:\n\n"
                  + _quote("Hi Ken and Maria,\n\nCould we meet on Thursday at 10:00 for the kick-off?\n\nBest regards,\n"
                           "David Chen\nNorthwind Traders\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential\n"
                           "and intended solely for the use of the addressee. If you are not the intended\n"
                           "recipient, please notify the sender and delete this e-mail.") + "\n",
                  cc=[CHEN]),
             must_not=["confidential-keyword", "new-domain-in-reply", "internal-thread-to-external"]))
    add(Case("clean30_wrapped_could_not_attach",
             "Outlook (ja), no attachment: 「添付できなかったため、」 wrapped, the file went by ギガファイル便 URL",
             Mail("outlook-utf8", ME, [YOSHIDA], "図面データの件",
                  _ja("富士精密株式会社\n吉田様", "ご依頼の図面データをお送りいたしますが、ファイルサイズが大きく\nメールに添付できなかったため、\n"
                      "ギガファイル便にてお送りいたします。\n下記URLよりダウンロードをお願いいたします。\n"
                      "https://xgf.nu/AbCdEf\n（ダウンロード期限：5月20日）")),
             must_not=["missing-attachment"]))
    add(Case("clean31_wrapped_removed_notice",
             "Becky! (ja), no attachment: the customer's server notice 「添付ファイルは削除されました」 quoted in own words, wrapped",
             Mail("becky", ME, [TAKAHASHI], "先ほどのメールについて",
                  _ja("XYZ銀行\n高橋様", "先ほどいただいたメールですが、弊社のシステムにて\n「添付ファイルはセキュリティポリシーにより\n"
                      "削除されました」と表示され、\n資料を開くことができませんでした。\nお手数ですが、共有フォルダにてお送りいただけますでしょうか。")),
             must_not=["missing-attachment"]))
    add(Case("clean32_past_references",
             "Thunderbird (ja) and an English line, no attachment: files of earlier mails (先日お送りした資料, the deck I sent last week)",
             Mail("thunderbird", ME, [KOBAYASHI], "ご提案内容のご確認",
                  _ja("株式会社ひかり電機\n小林様", "先日お送りした提案資料について、\nご不明な点はございませんでしょうか。\n"
                      "前回のメールに添付した見積書の有効期限は5月末となっております。")),
             must_not=["missing-attachment"]))
    add(Case("clean33_en_past_reference",
             "Outlook (en), no attachment: 'the deck I sent last week' and 'attached to my previous email'",
             Mail("outlook-en", ME_EN, [EMMA], "Follow-up on the proposal",
                  f"Hi Emma,\n\nDid you have a chance to review the deck I sent last week? The price list\n"
                  f"attached to my previous email is valid until the end of May.\n{SIG_EN}"),
             must_not=["missing-attachment"]))
    add(Case("clean34_nickname_dave",
             "Gmail (en): 'Hi Dave,' to David Chen (contact holds the full given name)",
             Mail("gmail-en", ME_EN, [CHEN], "Shipping schedule",
                  f"Hi Dave,\n\nThe next shipment leaves Yokohama on May 20.\n{SIG_EN}"),
             must_not=["salutation-mismatch"]))
    add(Case("clean35_customer_own_marker",
             "Thunderbird (ja) reply quoting the customer's own 社外秘 back to the customer only",
             Mail("thunderbird", ME, [SATO], "Re: 新製品の件",
                  "佐藤様\n\nいつもお世話になっております。\n桜システムの山本です。\n情報の取り扱い、承知いたしました。\n\n山本\n\n"
                  + _thunderbird(SATO, "山本様\n\n新製品の発売日は6月10日です。\n公表前のため、社外秘でお願いいたします。\n\n佐藤")),
             must_not=["confidential-keyword", "new-domain-in-reply", "internal-thread-to-external"]))
    add(Case("clean36_apple_colleague_to_customer",
             "Apple Mail (ja) follow-up to the customer quoting a colleague's earlier mail to that customer",
             Mail("apple", ME, [SATO], "Re: 納期のご連絡",
                  _ja("ABC商事株式会社\n佐藤様", "加藤に代わりましてご連絡いたします。\n納期は予定通り5月24日となります。")
                  + "\n" + _apple_ja(KATO, "ABC商事株式会社\n佐藤様\n\nいつもお世話になっております。\n桜システムの加藤です。\n"
                                     "納期につきましては、確定次第ご連絡いたします。\n\n加藤")),
             must_not=["internal-thread-to-external", "new-domain-in-reply", "confidential-keyword"]))
    add(Case("clean37_pw_by_phone",
             "Outlook (ja): encrypted ZIP; 「解凍用のパスワードは、お電話にてお伝えいたします」 (another channel)",
             Mail("outlook-jp", ME, [NAKAMURA], "配送計画表の送付",
                  _ja("東西ロジスティクス株式会社\n中村様", "配送計画表を添付にてお送りいたします。\n解凍用のパスワードは、\n"
                      "後ほどお電話にてお伝えいたします。"),
                  parts=[Part("配送計画表.zip", ZIP, att.zip_aes({"配送計画表.xlsx": att.xlsx([("計画", "visible")])},
                                                             "Tk5#mQ2z"), encrypted=True)]),
             must_not=["password-in-mail"]))
    add(Case("clean38_internal_forward_internal",
             "Outlook (ja) forward of an internal 社外秘 thread to another colleague",
             Mail("outlook-utf8", ME, [MORI_IN], "FW: ABC商事様 次期価格",
                  "森さん\n\nお疲れさまです。\n下記、ご参考までに転送します。\n" + SIG
                  + _outlook_ja(KATO, [ME], "RE: ABC商事様 次期価格", INTERNAL_PRICE, cc=[JIRO])),
             must_not=["internal-thread-to-external", "new-domain-in-reply", "confidential-keyword"]))
    add(Case("clean39_forward_customer_to_colleague",
             "Gmail (ja) forward of a customer's request to a colleague (Fwd:, Forwarded message header)",
             Mail("gmail", ME, [LISA], "Fwd: お見積りのお願い",
                  "Lisaさん\n\nお疲れさまです。\nABC商事様からのご依頼です。対応をお願いします。\n\n山本\n\n"
                  "---------- Forwarded message ---------\nFrom: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\n"
                  "Date: 2024年5月13日(月) 18:12\nSubject: お見積りのお願い\nTo: 山本 健 <ken.yamamoto@sakura-sys.co.jp>\n\n\n"
                  + CUSTOMER_ASK + "\n"),
             must_not=["internal-thread-to-external", "new-domain-in-reply"]))
    add(Case("clean40_gmail_html_reply",
             "HTML-only Gmail reply (gmail_quote blockquote) to the customer's own thread",
             Mail("gmail", ME, [KOBAYASHI], "Re: 打ち合わせ日程", "",
                  html_body=(
                      '<div dir="ltr">小林様<div><br></div><div>いつもお世話になっております。</div><div>'
                      "21日14時で承知いたしました。</div><div><br></div><div>山本</div></div><br>"
                      '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">2024年5月13日(月) 18:12 小林 誠 '
                      '&lt;<a href="mailto:makoto.kobayashi@hikari-denki.co.jp">makoto.kobayashi@hikari-denki.co.jp</a>'
                      '&gt;:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">'
                      '<div dir="ltr">山本様<br><br>打ち合わせは21日14時でいかがでしょうか。<br>資料は当日お持ちします。'
                      "<br><br>小林</div></blockquote></div>"),
                  html_only=True),
             must_not=["new-domain-in-reply", "internal-thread-to-external", "missing-attachment"]))
    return out
