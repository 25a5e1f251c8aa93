"""Clean mails: internal traffic and correct external mail that must raise nothing above info."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from tests.corpus import attachments as att
from tests.corpus.mailkit import Mail, Part
from tests.corpus.universe import (
    ABE,
    CHEN,
    EMMA,
    GARCIA,
    ITO,
    JIRO,
    KATO,
    KEVIN,
    KOBAYASHI,
    LISA,
    ME,
    ME_EN,
    MORI_IN,
    NAKAMURA,
    OKADA,
    PRIYA,
    SATO,
    SATO_K,
    SUZUKI,
    TAKAHASHI,
    WATANABE,
    YOSHIDA,
    Case,
)

SIG = """
--
桜システム株式会社
営業本部 第二営業部
山本 健（Ken Yamamoto）
TEL: 03-5555-0123 / FAX: 03-5555-0124
〒105-0011 東京都港区芝公園1-2-3 さくらビル7F
https://www.sakura-sys.co.jp/
"""
SIG_DISCLAIMER = SIG + """━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
本メールおよび添付ファイルには機密情報が含まれている場合があります。
誤って受信された場合は、送信者にご連絡の上、削除してください。
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
"""
SIG_EN = """
Best regards,

Ken Yamamoto
Sales Division, Sakura Systems Co., Ltd.
+81-3-5555-0123 | www.sakura-sys.co.jp
"""
PDF_OK = att.pdf("見積書", password="Sk#2024-0514")
ZIP_OK = att.zip_aes({"見積書_ABC商事様.xlsx": att.xlsx([("見積", "visible")])}, "Hq7!pZ2m")


def _p(name: str, ctype: str, data: bytes, *, enc: bool = False) -> Part:
    return Part(name, ctype, data, encrypted=enc)


def cases() -> list[Case]:
    """All clean cases."""
    out: list[Case] = []
    add = out.append
    add(Case("clean01_minutes_jis", "Internal meeting minutes, Outlook JP ISO-2022-JP, 各位",
             Mail("outlook-jp", ME, [KATO, JIRO, MORI_IN], "【議事録】5/13 営業定例会議",
                  "営業部各位\n\nお疲れさまです。山本です。\n昨日の営業定例会議の議事録を共有します。\n\n"
                  "■日時：2024年5月13日（月）10:00～11:00\n■場所：本社7F 会議室A\n"
                  "■出席：加藤、田中、森、山本\n\n1. 4月実績：売上 1億2,300万円（予算比 104%）\n"
                  "2. ABC商事様 案件：見積提出済み、5月末に回答予定\n3. 次回：5月20日（月）10:00～\n\n"
                  "以上、よろしくお願いいたします。\n" + SIG)))
    add(Case("clean02_reply_quoted_history", "Internal reply with long quoted history mentioning 添付 and 機密",
             Mail("outlook-utf8", ME, [KATO], "RE: 来期予算資料の件",
                  "加藤さん\n\nお疲れさまです。山本です。\n確認しました。この内容で問題ありません。\n"
                  "部長への提出もお願いします。\n" + SIG +
                  "\n-----Original Message-----\nFrom: 加藤 美穂 <miho.kato@sakura-sys.co.jp>\n"
                  "Sent: Monday, May 13, 2024 6:12 PM\nTo: 山本 健 <ken.yamamoto@sakura-sys.co.jp>\n"
                  "Subject: 来期予算資料の件\n\n山本さん\n\nお疲れさまです。加藤です。\n"
                  "来期予算の資料を添付しますのでご確認ください。\n機密扱いでお願いします。\n"
                  "別添の試算表もあわせてご覧ください。\n\n加藤\n"), must_not=["missing-attachment"]))
    add(Case("clean03_forward_with_pdf", "Internal forward (Gmail style) that carries the attachment",
             Mail("gmail", ME, [ABE], "Fwd: 御見積書送付のご案内",
                  "阿部さん\n\n先方からの見積です。転送します。確認お願いします。\n\n山本\n\n"
                  "---------- Forwarded message ---------\n差出人: 吉田 修 <osamu.yoshida@fuji-seimitsu.co.jp>\n"
                  "Date: 2024年5月13日(月) 15:02\nSubject: 御見積書送付のご案内\nTo: 山本 健 <ken.yamamoto@sakura-sys.co.jp>\n\n"
                  "桜システム株式会社\n山本様\n\nいつもお世話になっております。\n御見積書を添付いたしましたので、ご査収ください。\n",
                  parts=[_p("御見積書_No.24-0513.pdf", "application/pdf", att.pdf("御見積書"))])))
    add(Case("clean04_disclaimer_internal", "Internal mail whose signature carries a 機密 disclaimer",
             Mail("outlook-jp", ME, [MORI_IN], "明日の訪問について",
                  "森さん\n\nお疲れさまです。\n明日のミドリ物産様訪問ですが、9:30に品川駅改札で集合でお願いします。\n"
                  + SIG_DISCLAIMER)))
    add(Case("clean05_no_attachment_note", "Internal mail that says 添付ファイルはありません",
             Mail("thunderbird", ME, [KATO], "経費精算の締め日について",
                  "加藤さん\n\nお疲れさまです。\n経費精算の締め日は今月も25日です。\n"
                  "今回は添付ファイルはありません。システムから直接申請してください。\n\nよろしくお願いします。\n" + SIG)))
    add(Case("clean06_subdomain_group", "Internal to a subdomain and the group company domain",
             Mail("becky", ME, [ABE], "システム切替のお知らせ",
                  "関係者各位\n\n5月18日(土) 9:00-18:00 は基幹システムの切替のため停止します。\n"
                  "ご不便をおかけしますが、ご協力をお願いいたします。\n" + SIG, cc=[OKADA])))
    add(Case("clean07_tanaka_jiro", "Internal mail to 田中 次郎 (shares only the family name with a client)",
             Mail("outlook-utf8", ME, [JIRO], "出張申請の承認依頼",
                  "田中さん\n\nお疲れさまです。\n来週の大阪出張の申請を出しましたので、承認をお願いします。\n" + SIG)))
    add(Case("clean08_reply_external_outlook", "External reply to 佐藤様; quoted part mentions 添付",
             Mail("outlook-jp", ME, [SATO], "RE: 打ち合わせ日程のご相談",
                  "ABC商事株式会社\n佐藤様\n\nいつもお世話になっております。\n桜システムの山本です。\n\n"
                  "日程のご提示ありがとうございます。\n5月21日（火）14:00からでお願いできますでしょうか。\n\n"
                  "何卒よろしくお願い申し上げます。\n" + SIG +
                  "\n-----Original Message-----\nFrom: 佐藤 花子 <hanako.sato@abc-trading.co.jp>\n"
                  "Sent: Tuesday, May 14, 2024 9:05 AM\nTo: 山本 健\nSubject: 打ち合わせ日程のご相談\n\n"
                  "山本様\n\n候補日を添付の表にまとめましたのでご確認ください。\n\n佐藤\n")))
    add(Case("clean09_encrypted_zip", "External mail to a known contact with an AES-encrypted ZIP",
             Mail("outlook-sjis", ME, [SATO], "御見積書送付の件",
                  "ABC商事株式会社\n佐藤 花子様\n\nいつもお世話になっております。桜システムの山本です。\n"
                  "ご依頼いただきました御見積書を添付いたします。\nパスワードは別途お送りいたします。\n\n"
                  "ご査収のほど、よろしくお願いいたします。\n" + SIG,
                  parts=[_p("御見積書_ABC商事様.zip", "application/x-zip-compressed", ZIP_OK, enc=True)])))
    add(Case("clean10_encrypted_pdf_en", "English mail with encrypted PDF, Dear Ms. Garcia",
             Mail("outlook-en", ME_EN, [GARCIA], "Quotation for the Q3 maintenance contract",
                  "Dear Ms. Garcia,\n\nThank you for your inquiry last week.\nPlease find attached our "
                  "quotation for the Q3 maintenance contract.\nI will call you with the password "
                  "today.\n\nWe look forward to hearing from you.\n" + SIG_EN,
                  parts=[_p("Quotation_Q3_Maintenance.pdf", "application/pdf",
                            att.pdf("Quotation", password="Qv9#a1"), enc=True)])))
    add(Case("clean11_gmail_html_en", "Gmail multipart/alternative, Hi David",
             Mail("gmail-en", ME_EN, [CHEN], "Re: Shipping schedule",
                  "Hi David,\n\nThanks for the update. The revised schedule works for us.\n"
                  "We will confirm the delivery address by Friday.\n\nCheers,\nKen\n\n"
                  "On Mon, May 13, 2024 at 4:10 PM David Chen <david.chen@northwind.com> wrote:\n"
                  "> Hi Ken,\n> I've attached the revised shipping schedule.\n> Regards,\n> David\n")))
    add(Case("clean12_iphone_short", "iPhone one-liner to a known contact",
             Mail("iphone", ME, [SATO], "Re: 本日の訪問",
                  "佐藤様\n\n承知しました。15時に伺います。\n\n山本\n\niPhoneから送信\n\n"
                  "2024/05/14 8:30、佐藤 花子 <hanako.sato@abc-trading.co.jp>のメール:\n\n"
                  "> 山本様\n> 本日の資料は添付の通りです。\n")))
    add(Case("clean13_apple_reply", "Apple Mail reply to 小林様 with 御中 and quoted attribution",
             Mail("apple", ME, [KOBAYASHI], "Re: 納期の件",
                  "株式会社ひかり電機\n小林 誠 様\n\nいつもお世話になっております。\n納期の件、承知いたしました。\n"
                  "6月7日着でお待ちしております。\n" + SIG +
                  "\n> 2024/05/13 17:45、小林 誠 <makoto.kobayashi@hikari-denki.co.jp>のメール:\n"
                  "> \n> 山本様\n> 納期回答書を別添にてお送りします。\n")))
    add(Case("clean14_onchu", "Thunderbird ISO-2022-JP mail addressed to the company (御中)",
             Mail("thunderbird-jis", ME, [KOBAYASHI], "請求書発行のお願い",
                  "株式会社ひかり電機 御中\n\nいつもお世話になっております。\n"
                  "4月分のご請求書の発行をお願いいたします。\n郵送ではなくPDFでのご送付で差し支えございません。\n" + SIG)))
    add(Case("clean15_kakui_same_company", "各位 to three people at one client company",
             Mail("outlook-jp", ME, [SATO, SUZUKI], "定例会のご案内（5/28）",
                  "ABC商事株式会社\n関係者各位\n\nいつもお世話になっております。\n"
                  "次回定例会を下記のとおり開催いたします。\n\n日時：5月28日（火）15:00～16:00\n場所：オンライン（Teams）\n\n"
                  "よろしくお願いいたします。\n" + SIG, cc=[SATO_K])))
    add(Case("clean16_bcc_newsletter", "Seminar notice: external contacts only in Bcc",
             Mail("outlook-utf8", ME, [ME], "【ご案内】セキュリティセミナー開催のお知らせ",
                  "お客様各位\n\n平素より格別のご高配を賜り、厚く御礼申し上げます。\n"
                  "このたび、6月12日（水）にセキュリティセミナーを開催いたします。\n"
                  "お申し込みは弊社Webサイトよりお願いいたします。\n" + SIG,
                  bcc=[SATO, TAKAHASHI, KOBAYASHI, NAKAMURA, YOSHIDA]),
             must_not=["many-external-visible"]))
    add(Case("clean17_freelancer_gmail", "Known freelancer whose only address is gmail",
             Mail("gmail", ME, [WATANABE], "ロゴ修正のお願い",
                  "渡辺さん\n\nお世話になっております。山本です。\n先日のロゴ案、社内で好評でした。\n"
                  "色味だけもう少し明るくできますか。\nよろしくお願いします。\n" + SIG),
             must_not=["free-mail-domain"]))
    add(Case("clean18_en_internal_confidential", "English internal mail with a CONFIDENTIAL footer",
             Mail("outlook-en", ME_EN, [LISA], "Q2 pipeline review",
                  "Hi Lisa,\n\nCould you send me the latest pipeline numbers before Thursday's review?\n"
                  "No attachment needed, the CRM link is fine.\n" + SIG_EN +
                  "\nCONFIDENTIAL: This e-mail is intended for internal use only.\n")))
    add(Case("clean19_en_reply_outlook", "English Outlook reply; original says 'attached'",
             Mail("outlook-en", ME_EN, [EMMA], "RE: Contract renewal",
                  "Hi Emma,\n\nThank you, we have reviewed the draft and have no further comments.\n" + SIG_EN +
                  "\n-----Original Message-----\nFrom: Emma Wilson <emma.wilson@contoso.com>\n"
                  "Sent: Monday, May 13, 2024 11:02 PM\nTo: Ken Yamamoto\nSubject: Contract renewal\n\n"
                  "Hi Ken,\nPlease find attached the renewal draft.\nEmma\n")))
    add(Case("clean20_html_cid_logo", "External HTML mail whose only image is a cid: logo in the signature",
             Mail("outlook-utf8", ME, [TAKAHASHI], "口座振替依頼書の件",
                  "XYZ銀行\n高橋様\n\nいつもお世話になっております。\n口座振替依頼書は本日郵送いたしました。\n" + SIG,
                  html_body="<html><body><p>XYZ銀行<br>高橋様</p><p>いつもお世話になっております。<br>"
                  "口座振替依頼書は本日郵送いたしました。</p><p><img src=\"cid:logo001@sakura\"></p></body></html>",
                  parts=[Part("image001.png", "image/png", att.png(), inline_cid="logo001@sakura")]),
             attachment_names=None, must_not=["unprotected-attachment", "missing-attachment"]))
    add(Case("clean21_fullwidth_salutation", "Salutation with full-width company name and spaced 様",
             Mail("outlook-jp", ME, [SATO], "サンプル発送のご連絡",
                  "ＡＢＣ商事株式会社\n営業部　佐藤　花子　様\n\nいつも大変お世話になっております。\n"
                  "本日、サンプルを宅配便にて発送いたしました。明日午前着の予定です。\n" + SIG)))
    add(Case("clean22_numbers_not_pii", "Order numbers, phone numbers, 16-digit non-Luhn and bad マイナンバー",
             Mail("outlook-utf8", ME, [NAKAMURA], "発注番号のご連絡",
                  "東西ロジスティクス株式会社\n中村様\n\nいつもお世話になっております。\n"
                  "発注番号：4111 1111 1111 1112\n伝票番号：1234 5678 9012\n"
                  "お問い合わせ番号：2024-0514-0001\n配送先 TEL：03-5555-0199\n\nよろしくお願いいたします。\n" + SIG),
             must_not=["pii-in-body"]))
    add(Case("clean23_multiplication_xxl", "× as multiplication, XXL size, ○ as a mark: not placeholders",
             Mail("outlook-jp", ME, [KATO], "ノベルティ発注",
                  "加藤さん\n\nノベルティの発注内容です。\n・Tシャツ XXLサイズ × 20枚\n・A4クリアファイル × 500部\n"
                  "・展示会出展可否：○（確定）\n\n山本\n"), must_not=["placeholder-left"]))
    add(Case("clean24_en_known_com_branch", "Known contact at abc-trading.com (US arm), .co.jp also known",
             Mail("gmail-en", ME_EN, [KEVIN], "Visit to Tokyo next month",
                  "Hi Kevin,\n\nGreat to hear you'll be in Tokyo in June.\nLet's plan dinner with Ms. Sato "
                  "from the Tokyo office on the 12th.\n" + SIG_EN), must_not=["lookalike-domain"]))
    add(Case("clean25_internal_docs", "Internal mail with a clean xlsx and clean docx",
             Mail("thunderbird", ME, [KATO], "提案書ドラフト共有",
                  "加藤さん\n\n提案書のドラフトと見積の試算を添付します。\n明日の打合せ前にご確認ください。\n" + SIG,
                  parts=[_p("提案書_ドラフト.docx",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            att.docx(["ご提案書", "1. 背景", "2. 提案内容"])),
                         _p("試算.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            att.xlsx([("試算", "visible"), ("前提", "visible")]))]),
             must_not=["hidden-sheet", "tracked-changes"]))
    add(Case("clean26_en_dear_first", "Dear Priya to a known contact at fabrikam",
             Mail("apple", ME_EN, [PRIYA], "Follow-up on the API integration",
                  "Dear Priya,\n\nThank you for the call today. As discussed, we will share the "
                  "sandbox credentials through your portal.\n" + SIG_EN)))
    add(Case("clean27_ito_business", "伊藤様 at her business address (she also has a gmail in contacts)",
             Mail("becky", ME, [ITO], "展示会ご来場のお礼",
                  "ABC商事株式会社\n伊藤様\n\n先日はお忙しい中、弊社ブースにお立ち寄りいただき誠にありがとうございました。\n"
                  "改めてご説明の機会をいただけますと幸いです。\n" + SIG)))
    return out
