"""Recipient mistakes: look-alike domains and contacts, new and free-mail addresses, mass mail, blocked, salutations."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from tests.corpus.cases_clean import SIG, SIG_EN
from tests.corpus.mailkit import Mail
from tests.corpus.universe import (
    CHEN,
    EMMA,
    ITO_GMAIL,
    JOHN,
    JON,
    KATO,
    KOBAYASHI,
    ME,
    ME_EN,
    NAKAMURA,
    SATO,
    SUZUKI,
    TAKAHASHI,
    TANAKA,
    TANAKA2,
    YOSHIDA,
    Case,
)

FIRST = [("first-time-recipient", None)]


def _ja(salute: str, text: str) -> str:
    return f"{salute}\n\nいつもお世話になっております。\n桜システムの山本です。\n\n{text}\n\nよろしくお願いいたします。\n{SIG}"


def cases() -> list[Case]:
    """Recipient-side cases."""
    out: list[Case] = []
    add = out.append
    # --- lookalike-domain
    add(Case("ld01_typo_missing_letter", "abc-tradng.co.jp: one letter dropped from a contact domain",
             Mail("outlook-jp", ME, [("佐藤 花子", "hanako.sato@abc-tradng.co.jp")], "お打ち合わせのお礼",
                  _ja("ABC商事株式会社\n佐藤様", "本日はお時間をいただきありがとうございました。")),
             must=[("lookalike-domain", "recipient:hanako.sato@abc-tradng.co.jp")],
             allowed=[("lookalike-contact", None)]))
    add(Case("ld02_l_to_1", "g1obex.com: l replaced by 1",
             Mail("outlook-en", ME_EN, [("John Smith", "john.smith@g1obex.com")], "Meeting notes",
                  f"Hi John,\n\nThanks for your time today. My notes are below.\n- Pilot starts July 1\n{SIG_EN}"),
             must=[("lookalike-domain", "recipient:john.smith@g1obex.com")],
             allowed=[("lookalike-contact", None)]))
    add(Case("ld03_rn_for_m", "rnidori-bussan.co.jp: rn in place of m",
             Mail("gmail", ME, [("田中 太郎", "taro.tanaka@rnidori-bussan.co.jp")], "ご訪問日程の件",
                  _ja("株式会社ミドリ物産\n田中様", "来週のご訪問日程についてご相談させてください。")),
             must=[("lookalike-domain", "recipient:taro.tanaka@rnidori-bussan.co.jp")],
             allowed=[("lookalike-contact", None)]))
    add(Case("ld04_cojp_to_com", "xyz-bank.com instead of xyz-bank.co.jp",
             Mail("outlook-jp", ME, [("高橋 美咲", "misaki.takahashi@xyz-bank.com")], "口座開設書類について",
                  _ja("XYZ銀行\n高橋様", "口座開設書類の記入方法について確認させてください。")),
             must=[("lookalike-domain", "recipient:misaki.takahashi@xyz-bank.com")],
             allowed=[("lookalike-contact", None)]))
    add(Case("ld05_idn_cyrillic_a", "xn--fbrikam-2fg.com: fabrikam with a Cyrillic а",
             Mail("outlook-en", ME_EN, [("Priya Natarajan", "priya.n@xn--fbrikam-2fg.com")],
                  "Updated bank details for invoice 2024-118",
                  f"Dear Priya,\n\nAs requested, please confirm the updated remittance details by phone.\n{SIG_EN}"),
             must=[("lookalike-domain", "recipient:priya.n@xn--fbrikam-2fg.com")],
             allowed=[("lookalike-contact", None)]))
    add(Case("ld06_internal_homograph", "Our own domain with a Cyrillic а (xn--skura-sys-0yh.co.jp)",
             Mail("outlook-utf8", ME, [("加藤 美穂", "miho.kato@xn--skura-sys-0yh.co.jp")], "社内研修の日程",
                  "加藤さん\n\nお疲れさまです。社内研修の日程が決まりました。6月3日です。\n" + SIG),
             must=[("lookalike-domain", "recipient:miho.kato@xn--skura-sys-0yh.co.jp")],
             allowed=[("lookalike-contact", None)]))
    add(Case("ld07_internal_tld_swap", "sakura-sys.com instead of our sakura-sys.co.jp",
             Mail("thunderbird", ME, [("森 直樹", "naoki.mori@sakura-sys.com")], "週報",
                  "森さん\n\nお疲れさまです。今週の週報です。\n・ABC商事様 見積提出\n・ひかり電機様 納期調整\n" + SIG),
             must=[("lookalike-domain", "recipient:naoki.mori@sakura-sys.com")],
             allowed=[("lookalike-contact", None)]))
    # --- lookalike-contact
    add(Case("lc01_tanaka_tanaka", "To 田仲 太郎 (a real contact) whose name is near-identical to 田中 太郎",
             Mail("outlook-jp", ME, [TANAKA2], "部品納期のご確認",
                  _ja("北斗工業株式会社\n田仲様", "先日ご依頼した部品の納期をご確認いただけますでしょうか。")),
             must=[("lookalike-contact", f"recipient:{TANAKA2[1]}")]))
    add(Case("lc02_jon_john", "To Jon Smith (Initech) while John Smith (Globex) exists",
             Mail("gmail-en", ME_EN, [JON], "Globex pilot pricing",
                  f"Hi Jon,\n\nHere is the pricing we discussed for the pilot: 3 licences at USD 1,200.\n{SIG_EN}"),
             must=[("lookalike-contact", f"recipient:{JON[1]}")]))
    add(Case("lc03_local_part_typo", "hanako.satou@abc-trading.co.jp: local-part typo of a contact",
             Mail("outlook-jp", ME, [("佐藤 花子", "hanako.satou@abc-trading.co.jp")], "議事録送付",
                  _ja("ABC商事株式会社\n佐藤様", "本日の議事録を本文にてお送りします。\n・次回は5月28日")),
             must=[("lookalike-contact", "recipient:hanako.satou@abc-trading.co.jp")]))
    add(Case("lc04_local_part_en", "jhon.smith@globex.com: transposed letters",
             Mail("outlook-en", ME_EN, [("John Smith", "jhon.smith@globex.com")], "Re: Pilot kickoff",
                  f"Hi John,\n\nConfirming the kickoff on Monday at 10:00 JST.\n{SIG_EN}"),
             must=[("lookalike-contact", "recipient:jhon.smith@globex.com")]))
    # --- first-time-recipient (also derived automatically for every unknown external)
    add(Case("ft01_new_prospect_ja", "New prospect at an unknown company",
             Mail("outlook-jp", ME, [("松本 亜希", "aki.matsumoto@kaede-sangyo.co.jp")], "資料請求のお礼",
                  _ja("かえで産業株式会社\n松本様", "このたびはお問い合わせいただき誠にありがとうございます。\n"
                      "ご都合のよい日時をお知らせください。"))))
    add(Case("ft02_new_person_known_domain", "New colleague of a client at a known domain, Cc",
             Mail("outlook-jp", ME, [SATO], "ご担当者変更の件",
                  _ja("ABC商事株式会社\n佐藤様\n（CC：森様）", "ご担当の変更、承知いたしました。\n今後ともよろしくお願いいたします。"),
                  cc=[("森 香織", "kaori.mori@abc-trading.co.jp")])))
    add(Case("ft03_new_vendor_en", "New vendor contact in English",
             Mail("gmail-en", ME_EN, [("Tom Becker", "tom.becker@brightline-av.de")], "AV equipment for our June event",
                  f"Dear Mr. Becker,\n\nWe are looking for AV equipment rental for 150 guests on June 12.\n"
                  f"Could you share availability and pricing?\n{SIG_EN}")))
    # --- free-mail-domain
    add(Case("fm01_unknown_gmail", "Unknown private gmail address",
             Mail("gmail", ME, [("松田 恵", "megumi.matsuda.1990@gmail.com")], "面接日程のご連絡",
                  _ja("松田 恵様", "先日はご応募いただきありがとうございました。\n面接日程をご連絡いたします。"))))
    add(Case("fm02_contact_private_gmail", "伊藤 由美's private gmail; her business address is in contacts",
             Mail("outlook-jp", ME, [ITO_GMAIL], "展示会のご案内",
                  _ja("伊藤様", "来月の展示会のご案内をお送りいたします。")),
             must=[("free-mail-domain", f"recipient:{ITO_GMAIL[1]}")]))
    add(Case("fm03_yahoo_jp", "yahoo.co.jp address for a supplier's sales rep",
             Mail("outlook-jp", ME, [("吉田 修", "osamu_y1968@yahoo.co.jp")], "部品見積のお願い",
                  _ja("富士精密株式会社\n吉田様", "部品の見積をお願いしたくご連絡いたしました。"))))
    add(Case("fm04_outlook_com_en", "Emma Wilson at outlook.com while her Contoso address is known",
             Mail("outlook-en", ME_EN, [("Emma Wilson", "emma.wilson.home@outlook.com")], "Contract renewal",
                  f"Hi Emma,\n\nHere is a short summary of the renewal terms we agreed.\n{SIG_EN}")))
    # --- many-external-visible
    add(Case("mx01_three_domains_to", "Seminar invitation with 3 client companies in To",
             Mail("outlook-jp", ME, [SATO, TAKAHASHI, KOBAYASHI], "【ご案内】新製品説明会",
                  "お客様各位\n\nいつもお世話になっております。\n新製品説明会を6月5日に開催いたします。\nぜひご参加ください。\n" + SIG),
             must=[("many-external-visible", None)]))
    add(Case("mx02_two_to_one_cc_en", "English: two domains in To and a third in Cc",
             Mail("outlook-en", ME_EN, [CHEN, EMMA], "Partner summit agenda",
                  f"Dear partners,\n\nThe agenda for the partner summit is below.\n1. Roadmap\n2. Q&A\n{SIG_EN}",
                  cc=[JOHN]),
             must=[("many-external-visible", None)], allowed=[("lookalike-contact", None)]))
    ten = [(f"参加者{i}", f"member{i:02d}@tokyo-shoko.or.jp") for i in range(1, 12)]
    add(Case("mx03_eleven_same_domain", "11 addresses of one association pasted into To",
             Mail("outlook-utf8", ME, ten, "勉強会資料のご案内",
                  "会員各位\n\n次回勉強会は6月20日です。会場は商工会館3階です。\n" + SIG),
             must=[("many-external-visible", None)]))
    # --- blocked-recipient
    add(Case("bl01_blocked_domain", "To a competitor's domain on the block list",
             Mail("outlook-jp", ME, [("木村 聡", "s.kimura@rival-soft.co.jp")], "業界団体の会合について",
                  _ja("ライバルソフト株式会社\n木村様", "業界団体の会合の件でご連絡いたしました。"))))
    add(Case("bl02_blocked_subdomain_cc", "Cc to a subdomain of a blocked domain",
             Mail("thunderbird", ME, [KATO], "ファイル共有",
                  "加藤さん\n\n共有用のアドレスにも入れておきます。\n" + SIG, cc=[("", "drop@eu.leakbox.net")])))
    add(Case("bl03_blocked_address_bcc", "Bcc to a blocked address (a former employee)",
             Mail("outlook-utf8", ME, [KATO], "引継ぎ資料",
                  "加藤さん\n\n引継ぎの件、本文にまとめました。\n・顧客一覧は共有フォルダ\n" + SIG,
                  bcc=[("", "former.employee@gmail.com")])))
    # --- salutation-mismatch
    add(Case("sm01_suzuki_to_sato", "鈴木様 written, 佐藤 花子 addressed",
             Mail("outlook-jp", ME, [SATO], "お見積りの件",
                  _ja("ABC商事株式会社\n鈴木様", "お見積りの件、社内で確認いたしました。")),
             must=[("salutation-mismatch", "body")]))
    add(Case("sm02_onchu_other_company", "株式会社ミドリ物産 御中 sent to ひかり電機",
             Mail("becky", ME, [KOBAYASHI], "納品書送付のご連絡",
                  _ja("株式会社ミドリ物産 御中", "納品書を郵送いたしましたのでご連絡いたします。")),
             must=[("salutation-mismatch", "body")],
             # The subject says 納品書送付 although the body says it went by post: a fair reminder.
             allowed=[("missing-attachment", None)]))
    add(Case("sm03_garcia_to_chen", "Dear Ms. Garcia, sent to David Chen",
             Mail("outlook-en", ME_EN, [CHEN], "Proposal follow-up",
                  f"Dear Ms. Garcia,\n\nThank you for reviewing our proposal. Please let us know "
                  f"if you have any questions.\n{SIG_EN}"),
             must=[("salutation-mismatch", "body")]))
    add(Case("sm04_san_to_nakamura", "高橋さん to 中村 隆 (iPhone)",
             Mail("iphone", ME, [NAKAMURA], "Re: 倉庫見学",
                  "高橋さん\n\n倉庫見学の件、来週水曜でお願いします。\n\n山本\n\niPhoneから送信"),
             must=[("salutation-mismatch", "body")]))
    add(Case("sm05_hi_john_to_emma", "Hi John, sent to Emma Wilson",
             Mail("gmail-en", ME_EN, [EMMA], "Dinner on Thursday",
                  f"Hi John,\n\nAre we still on for dinner on Thursday at 7?\n{SIG_EN}"),
             must=[("salutation-mismatch", "body")]))
    add(Case("sm06_sato_to_suzuki_yoshida", "吉田様 written to 鈴木 一郎 (Outlook autocomplete slip)",
             Mail("outlook-utf8", ME, [SUZUKI], "部品見積のお願い",
                  _ja("富士精密株式会社\n吉田様", "部品の見積をお願いしたくご連絡いたしました。")),
             must=[("salutation-mismatch", "body")], allowed=[("attachment-name-mismatch", None)]))
    add(Case("sm07_tanaka_to_midori_ok_yoshida", "Correct: 株式会社ミドリ物産 田中様 to 田中 太郎 (+ Yoshida Cc)",
             Mail("outlook-jp", ME, [TANAKA], "サンプル評価結果",
                  _ja("株式会社ミドリ物産\n田中様\n（CC：富士精密 吉田様）", "評価結果を本文にまとめました。"),
                  cc=[YOSHIDA]),
             must=[("lookalike-contact", f"recipient:{TANAKA[1]}")], must_not=["salutation-mismatch"]))
    return out
