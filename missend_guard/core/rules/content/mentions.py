"""Sentences saying a file comes with this mail (添付します, please find attached), minus false alarms."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from missend_guard.core.message.folding import fold, folded
from missend_guard.core.message.sentences import iter_sentences

_FILE_NOUNS = (
    r"(?:資料|ファイル|書類|データ|見積書?|お見積り?|御見積書?|請求書|納品書|契約書|注文書|発注書|議事録|報告書|提案書"
    r"|企画書|申込書|申請書|仕様書|計画書|一覧|リスト|スライド|写真|画像|図面|原稿|ドラフト|案|pdf|excel|エクセル|word|ワード"
    r"|パワポ|zip)"
)
# Our own phrases on top of the policy's: a file noun sent now, and "please check the file" forms.
_SMART = (
    # 共有します is left out: minutes and notes are usually "shared" pasted into the body or as a link.
    _FILE_NOUNS + r"\s*(?:を|も|の方を)?\s*(?:お送り|送付|ご送付|送信|お届け)"
    r"\s*(?:します|いたします|致します|させていただきます|させて頂きます|しました|いたしました|致しました|申し上げます)",
    _FILE_NOUNS + r"\s*(?:を|の)?\s*(?:ご確認|ご査収|ご一読|ご高覧|ご笑覧)",
    r"ご査収",
    _FILE_NOUNS + r"\s*の?\s*(?:ご)?送付(?:の件|について|のご案内|のご連絡)",
    r"\b(?:see|in|find|check|review|open|per)\s+(?:the\s+)?attachments?\b",
    r"\bplease\s+see\s+(?:the\s+)?attach",
    r"\bsee\s+attached\b",
    r"\battached\s+(?:is|are|please\s+find|you\s+will\s+find)\b",
    r"\b(?:i|we)(?:'ve|\s+have)?\s+(?:attached|enclosed|included\s+the\s+file)",
)
_SMART_RE = [re.compile(p, re.IGNORECASE) for p in _SMART]
# Phrases that also have everyday meanings: they count only next to a file word.
_WEAK = frozenset({"please find", "sending you the", "see the file", "attachment"})
_FILE_WORD = re.compile(
    r"\bfile|document|\bdoc\b|\bpdf|spreadsheet|slides?\b|deck\b|report|invoice|quote|quotation"
    r"|contract|proposal|draft|\bcv\b|resume|photo|image|screenshot|zip\b|xlsx?|docx?|pptx?",
    re.IGNORECASE,
)
# Clauses about other mails or the recipient's files: cut out before looking for a mention.
_REFERENCES = re.compile(
    r"(?:先日|先ほど|先程|前回|以前|昨日|既に|すでに|過日|先週|先月|\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2})[^。]{0,15}?"
    r"(?:お送り|送付|送信|添付|共有|ご送付|ご共有)"
    r"(?:させていただいた|させて頂いた|させていただきました|いたした|いたしました|致しました|した|済みの?|済の?"
    r"|しております|しました)"
    # "お送りした資料" names a file of an earlier mail (添付した資料 is the usual way to name this one's)
    r"|(?:お送り|送付|ご送付|送信|ご共有|共有)(?:させていただいた|させて頂いた|いたした|した|済みの?)"
    r"(?=\s*(?:資料|ファイル|書類|データ|見積|お見積|御見積|請求書|もの|物|件|内容|版|pdf|エクセル))"
    r"|(?:前回|以前|先日|先ほど|先程|昨日)の(?:メール|ご連絡|連絡|便)(?:に|で|にて)"
    r"|(?:添付|送付|ご送付|お送り|送信|共有|ご共有|ご提出|提出|送って)(?:して|を|の)?\s*"
    r"(?:いただ|頂|くださ|下さ|お願い|ご依頼|依頼|願|もら)\S*"
    r"|(?:添付|送付|ご送付|お送り|送信)(?:いただき)?(?:ありがとう|有難う)\S*"
    # English: the file of an earlier mail ("the deck I sent yesterday", "attached to my previous email")
    r"|\b(?:i|we)\s+(?:sent|attached|shared|forwarded|e-?mailed|enclosed)(?:\s+(?:it|them|this|that|you|over"
    r"|to\s+you|the\s+\w+))*\s+(?:yesterday|earlier|previously|before|last\s+\w+|this\s+morning|on\s+\w+day"
    r"|in\s+(?:my|our)\s+(?:previous|earlier|last|prior)\s+\w+)"
    r"|\b(?:attached|attachments?|sent|included|shared|enclosed)\s+(?:to|in|with|from|of)\s+(?:my|our|the|your)\s+"
    r"(?:previous|earlier|last|prior|original|first)\s+(?:e-?mail|mail|message|note)"
    r"|\b(?:in|with|from)\s+(?:my|our|the)\s+(?:previous|earlier|last|prior|original)\s+(?:e-?mail|mail|message)"
    r"|\b(?:i|we)\s+(?:attached|sent|shared|enclosed)\b[^.]{0,40}?\b(?:to|in|with)\s+(?:my|our)\s+(?:e-?mail|mail"
    r"|message)\s+(?:of|on|from|dated|sent|last)\b",
    re.IGNORECASE,
)
# Sentence-level reasons a mention is not about a file in this mail.
_NOT_NOW = re.compile(
    r"(?:添付|ファイル|資料)(?:ファイル)?(?:は|が)?(?:ございません|ありません|なし|無し|不要|ない)"
    r"|添付(?:せず|しない|しません|いたしません|できません|できず|しておりません|できな|いたしかね|が(?:でき|かな))"
    r"|添付(?:すること|の方)?(?:が|は)?でき(?:な|ませ|ず)|容量(?:が|の)?(?:大き|制限|オーバー|超過)|サイズ(?:が|の)?(?:大き|制限|超過)"
    r"|(?:削除|除去|ブロック|隔離|無害化|破棄)(?:され|しました|いたしました|済)|表示され|開くことができ|受信できませ|受け取れませ"
    # "明日の会議資料" names tomorrow's meeting, not a later send: a time word before の does not count.
    r"|後ほど|後程|のちほど|後日(?!の)|明日(?!の)|明後日(?!の)|来週(?!の)|別途|追って|別メール|別便|次のメール"
    r"|(?:でき|完成し|揃い|整い|まとまり|確定し)次第|(?:する|いたす)予定|(?:送付|送信|添付|共有)の予定|郵送|郵便|宅配|発送|別送|ファックス|ファクス"
    r"|開けませ|開けな|開かな|開きませ|文字化け|破損|壊れ|見れな|見られな|届いていな|届いておりませ|届きませ"
    r"|手渡し|持参|拝受|受領|拝見|受け取|届きました|頂戴しました|ダウンロード|リンク|共有フォルダ|ギガファイル"
    r"|https?://|\burl\b|onedrive|sharepoint|google\s*drive|dropbox|\bfax\b"
    r"|\bno\s+attach|\bnot\s+attach|\bwithout\b|\bwill\b|'ll\b|\bgoing\s+to\b|\btomorrow\b(?!'s)|\blater\b"
    r"|\bseparately\b|\bnext\s+(?:week|email|mail)\b|\bonce\b|\bas\s+soon\s+as\b"
    r"|\byour\s+(?:file|attachment|document|mail|email|message|spreadsheet|slides)"
    r"|\byou\s+(?:sent|attached|shared)|\bthanks?\s+for\b|\bthank\s+you\s+for\b|\breceived\b|\bcould\s+you\b"
    r"|\bcan\s+you\b"
    r"|\bplease\s+(?:send|attach|share)|\bwould\s+you\b|\blink\b|\bdownload\b|\bshared\s+(?:folder|drive)\b",
    re.IGNORECASE,
)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    norm = re.escape(fold(phrase)).replace(r"\ ", r"\s+")
    if phrase.isascii():
        return re.compile(r"(?<![a-z0-9])" + norm + r"(?![a-z0-9])")
    return re.compile(norm)


# Literal words at least one of which every pattern above contains: one search for any of them per
# sentence spares the regexes on the sentences (the vast majority) that cannot match.
_ANCHORS = (
    "お送り", "送付", "送信", "お届け", "ご確認", "査収", "ご一読", "ご高覧", "ご笑覧", "attach", "enclos",
    "included the file",
)


@functools.lru_cache(maxsize=8)
def _compiled(phrases: tuple[str, ...]) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
    patterns = [(p, _phrase_pattern(p)) for p in phrases]
    anchors = dict.fromkeys([*_ANCHORS, *(fold(" ".join(p.split())) for p in phrases)])
    # Literals only, no flags (the text is folded already): a match is exactly an anchor `in` the text.
    return patterns, re.compile("|".join(map(re.escape, anchors)))


def _may_mention(norm: str, anchors: re.Pattern[str]) -> bool:
    return anchors.search(norm) is not None


def attachment_mention(text: str, phrases: Iterable[str]) -> str | None:
    """The first phrase (as written) that says this mail carries a file, or None."""
    phrases = tuple(p for p in phrases if p.strip())
    patterns, anchors = _compiled(phrases)
    if not _may_mention(" ".join(folded(text).split()), anchors):
        return None  # the usual case: nothing in the text can mention a file
    for original in iter_sentences(text):  # the first mention ends the search
        norm = fold(original)
        if not _may_mention(" ".join(norm.split()), anchors):
            continue
        sentence = original
        if len(norm) == len(sentence):
            sentence = _REFERENCES.sub(lambda m: " " * len(m.group()), sentence)
        norm = _REFERENCES.sub(lambda m: " " * len(m.group()), norm)
        if _NOT_NOW.search(norm):
            continue
        spans = [
            (phrase.casefold() not in _WEAK, *m.span()) for phrase, pattern in patterns
            if (m := pattern.search(norm)) and (phrase.casefold() not in _WEAK or _FILE_WORD.search(norm))
        ]
        spans += [(True, *m.span()) for smart in _SMART_RE if (m := smart.search(norm))]
        if spans:
            # The longest specific phrase tells the user most about why the rule fired.
            _, start, end = max(spans, key=lambda span: (span[0], span[2] - span[1], -span[1]))
            return _as_written(sentence, norm, start, end)
    return None


def _as_written(sentence: str, norm: str, start: int, end: int) -> str:
    # NFKC can change lengths (ｶﾞ → が); fall back to the normalised text when it did.
    return sentence[start:end].strip() if len(sentence) == len(norm) else norm[start:end].strip()
