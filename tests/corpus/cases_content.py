"""Content mistakes: forgotten attachments, template leftovers, confidential words, personal numbers, empty subjects."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

from tests.corpus import attachments as att
from tests.corpus.cases_clean import SIG, SIG_DISCLAIMER, SIG_EN
from tests.corpus.cases_recipients import _ja
from tests.corpus.mailkit import Mail, Part
from tests.corpus.universe import (
    CHEN,
    EMMA,
    GARCIA,
    JIRO,
    KATO,
    KOBAYASHI,
    LISA,
    ME,
    ME_EN,
    MORI_IN,
    NAKAMURA,
    PRIYA,
    SATO,
    TAKAHASHI,
    Case,
)


def cases() -> list[Case]:
    """Content-side cases."""
    out: list[Case] = []
    add = out.append
    # --- missing-attachment
    add(Case("ma01_tenpu_ja", "資料を添付いたします, no attachment",
             Mail("outlook-jp", ME, [SATO], "会社案内資料の送付",
                  _ja("ABC商事株式会社\n佐藤様", "先日お話しした会社案内の資料を添付いたします。\nご確認のほどお願いいたします。")),
             must=[("missing-attachment", None)]))
    add(Case("ma02_betten_internal", "別添 in an internal mail, no attachment",
             Mail("thunderbird", ME, [KATO], "出張報告書",
                  "加藤さん\n\nお疲れさまです。\n大阪出張の報告書を別添にてお送りします。\n承認をお願いします。\n" + SIG),
             must=[("missing-attachment", None)]))
    add(Case("ma03_attached_en", "Please find attached ..., no attachment",
             Mail("outlook-en", ME_EN, [CHEN], "Invoice INV-2024-0419",
                  f"Hi David,\n\nPlease find attached our invoice for April.\nPayment terms are 30 days.\n{SIG_EN}"),
             must=[("missing-attachment", None)]))
    add(Case("ma04_enclosed_en", "I have enclosed the signed NDA, no attachment",
             Mail("gmail-en", ME_EN, [EMMA], "Signed NDA",
                  f"Hi Emma,\n\nI have enclosed the signed NDA for your records.\n{SIG_EN}"),
             must=[("missing-attachment", None)]))
    add(Case("ma05_subject_tenpu", "【添付あり】 in the subject, body says お送りします + 資料",
             Mail("outlook-utf8", ME, [MORI_IN], "【添付あり】来週の提案資料",
                  "森さん\n\nお疲れさまです。\n来週の提案資料をお送りします。目を通しておいてください。\n" + SIG),
             must=[("missing-attachment", None)]))
    add(Case("ma06_reply_new_claim", "Reply: new text says attached; history also has it (Outlook)",
             Mail("outlook-en", ME_EN, [GARCIA], "RE: Revised price list",
                  f"Dear Maria,\n\nThe revised price list is attached as promised.\n{SIG_EN}\n"
                  "-----Original Message-----\nFrom: Maria Garcia\nSent: Monday, May 13, 2024 3:00 PM\n"
                  "Subject: Revised price list\n\nHi Ken, could you send the revised price list?\n"),
             must=[("missing-attachment", None)]))
    # --- placeholder-left
    add(Case("ph01_maru_sama", "〇〇様 left in the salutation",
             Mail("outlook-jp", ME, [KOBAYASHI], "新サービスのご案内",
                  _ja("株式会社ひかり電機\n〇〇様", "弊社の新サービスについてご案内いたします。")),
             must=[("placeholder-left", "body")], allowed=[("salutation-mismatch", None)]))
    add(Case("ph02_bracket_labels", "【会社名】【ご担当者名】 template labels left",
             Mail("outlook-utf8", ME, [NAKAMURA], "セミナーご参加のお礼",
                  _ja("【会社名】\n【ご担当者名】様", "先日はセミナーにご参加いただき、誠にありがとうございました。")),
             must=[("placeholder-left", "body")], allowed=[("salutation-mismatch", None)]))
    add(Case("ph03_mustache_en", "Hi {{first_name}}, merge field not filled",
             Mail("gmail-en", ME_EN, [PRIYA], "Your trial ends soon",
                  f"Hi {{{{first_name}}}},\n\nYour trial of Sakura Cloud ends on {{{{trial_end}}}}.\n{SIG_EN}"),
             must=[("placeholder-left", "body")], allowed=[("salutation-mismatch", None)]))
    add(Case("ph04_name_bracket_en", "Dear [NAME], left from a template",
             Mail("outlook-en", ME_EN, [CHEN], "Annual maintenance renewal",
                  f"Dear [NAME],\n\nYour annual maintenance contract expires next month.\n{SIG_EN}"),
             must=[("placeholder-left", "body")], allowed=[("salutation-mismatch", None)]))
    add(Case("ph05_black_circles_date", "●●月●●日 and <<会場>> left in the body",
             Mail("outlook-jp", ME, [SATO], "説明会日程のご連絡",
                  _ja("ABC商事株式会社\n佐藤様", "説明会は●●月●●日に<<会場>>にて開催いたします。")),
             must=[("placeholder-left", "body")]))
    add(Case("ph06_subject_placeholder", "XX様 in the subject",
             Mail("outlook-utf8", ME, [TAKAHASHI], "XX様 お打ち合わせのお礼",
                  _ja("XYZ銀行\n高橋様", "本日はお打ち合わせのお時間をいただきありがとうございました。")),
             must=[("placeholder-left", "subject")]))
    # --- confidential-keyword
    add(Case("ck01_subject_shagaihi", "【社外秘】 in the subject to an external contact",
             Mail("outlook-jp", ME, [SATO], "【社外秘】次期価格改定について",
                  _ja("ABC商事株式会社\n佐藤様", "次期価格改定の概要を本文に記載いたします。")),
             must=[("confidential-keyword", "subject")]))
    add(Case("ck02_body_toriatsukai", "取扱注意 in the body to an external contact",
             Mail("gmail", ME, [KOBAYASHI], "組織変更のお知らせ",
                  _ja("株式会社ひかり電機\n小林様", "取扱注意：本件は7月1日の公式発表まで部外秘でお願いいたします。")),
             must=[("confidential-keyword", "body")]))
    add(Case("ck03_internal_only_en", "'Internal only' in body to an external contact",
             Mail("outlook-en", ME_EN, [GARCIA], "Roadmap notes",
                  f"Dear Maria,\n\nINTERNAL ONLY - roadmap notes for the steering committee:\n- v5 in Q4\n{SIG_EN}"),
             must=[("confidential-keyword", "body")]))
    add(Case("ck04_attachment_name", "極秘 in the attachment name to an external contact",
             Mail("outlook-sjis", ME, [TAKAHASHI], "価格表の件",
                  _ja("XYZ銀行\n高橋様", "ご依頼の価格表をお送りします。"),
                  parts=[Part("極秘_価格表_2024.pdf", "application/pdf", att.pdf("価格表"))]),
             must=[("confidential-keyword", "attachment:極秘_価格表_2024.pdf")]))
    add(Case("ck05_disclaimer_external", "External mail whose only 機密 is the standard signature disclaimer",
             Mail("outlook-jp", ME, [NAKAMURA], "配送日程のご確認",
                  "東西ロジスティクス株式会社\n中村様\n\nいつもお世話になっております。\n来週の配送日程をご確認ください。\n"
                  + SIG_DISCLAIMER),
             allowed=[("confidential-keyword", None)]))
    add(Case("ck06_internal_shagaihi_ok", "社外秘 in an internal mail: no finding",
             Mail("outlook-jp", ME, [JIRO, KATO], "【社外秘】人事異動の内示",
                  "田中さん、加藤さん\n\nお疲れさまです。\n7月1日付の人事異動の内示について共有します。\n公表まで社外秘でお願いします。\n" + SIG)))
    # --- pii-in-body
    add(Case("pi01_card_ja", "Luhn-valid test card number in a Japanese internal mail",
             Mail("outlook-utf8", ME, [KATO], "出張手配の件",
                  "加藤さん\n\n出張のホテル手配をお願いします。法人カードで決済してください。\n"
                  "カード番号：4111 1111 1111 1111\n有効期限：12/27\n" + SIG),
             must=[("pii-in-body", "body")]))
    add(Case("pi02_mynumber", "Valid マイナンバー (check digit computed) to 総務",
             Mail("thunderbird", ME, [MORI_IN], "マイナンバー提出",
                  "森さん\n\n年末調整用のマイナンバーです。\n個人番号：2345 6789 0121\nよろしくお願いします。\n" + SIG),
             must=[("pii-in-body", "body")]))
    add(Case("pi03_card_en", "Mastercard test number, no spaces, English to a vendor",
             Mail("gmail-en", ME_EN, [EMMA], "Payment for the workshop",
                  f"Hi Emma,\n\nPlease charge the workshop fee to card 5555555555554444, exp 09/26.\n{SIG_EN}"),
             must=[("pii-in-body", "body")]))
    add(Case("pi04_mynumber_fullwidth", "マイナンバー in full-width digits with hyphens",
             Mail("outlook-jp", ME, [JIRO], "扶養控除の書類",
                  "田中さん\n\n妻のマイナンバーをお送りします。\n８７６５－４３２１－０９８９\n" + SIG),
             must=[("pii-in-body", "body")]))
    add(Case("pi05_card_subject", "Card number with hyphens in the subject",
             Mail("outlook-en", ME_EN, [LISA], "Card 4111-1111-1111-1111 declined?",
                  f"Hi Lisa,\n\nThe corporate card was declined at the hotel. Can you check with finance?\n{SIG_EN}"),
             must=[("pii-in-body", "subject")]))
    # --- empty-subject
    add(Case("es01_no_subject_header", "No Subject header at all (internal)",
             Mail("thunderbird", ME, [KATO], None, "加藤さん\n\n明日の件、10時からでお願いします。\n\n山本\n"),
             must=[("empty-subject", "subject")]))
    add(Case("es02_empty_subject_external", "Empty Subject: to an external contact",
             Mail("outlook-jp", ME, [SATO], "", _ja("ABC商事株式会社\n佐藤様", "明日のお打ち合わせ、よろしくお願いいたします。")),
             must=[("empty-subject", "subject")]))
    add(Case("es03_fullwidth_space_subject", "Subject is only a full-width space (encoded)",
             Mail("outlook-utf8", ME, [MORI_IN], "\u3000", "森さん\n\n了解です。\n\n山本\n"),
             must=[("empty-subject", "subject")]))
    return out
