"""`password-in-mail`: the password of a protected file must travel by another channel, not by mail.

Two rules: `password_line_rule` (no state) warns when a mail that carries an encrypted file also
carries a password-like line; `make_password_rule(ledger)` checks later mails to people who
received a protected file within 24 h: the actual password → block, a password line → warning.
`with_own_password` adds the password the review just used on the mail's own files to that check.
Params are `kind` ("actual-password" | "password-line") and `recipients`; never the password.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import BODY, SUBJECT, Finding, Severity
from missend_guard.core.message.model import Message
from missend_guard.core.message.sentences import logical_lines, sentences
from missend_guard.core.message.thread import parse_thread
from missend_guard.core.protect.ledger import DEFAULT_WINDOW, LedgerEntry, ProtectionLedger
from missend_guard.core.rules import Rule

CODE = "password-in-mail"
ACTUAL = "actual-password"
LINE = "password-line"

# Text is NFKC-normalised first, so full-width ＰＷ：, half-width ﾊﾟｽﾜｰﾄﾞ and 「：」 reach these
# patterns as PW:, パスワード and ":".
_LABEL = (
    r"(?:(?:解凍|展開|開封|ファイル|zip|ZIP|PDF)(?:用)?(?:の)?)?"
    r"(?:パスワード|暗証番号|パスコード|パス|password|passcode|passwd|pass|pwd|pw|p/w)"
)
_VALUE_LINE = re.compile(
    r"(?<![A-Za-z])" + _LABEL + r"\s*(?:は|:|=)\s*[「『\"'(\[]?\s*(?P<value>[!-~]{4,64})",
    re.IGNORECASE,
)
# PPAP announcements: the password is to come by mail. "パスワードは別途お送りします" names no
# channel and is what careful senders write before phoning, so it does not count; "別メールで" and
# "separate email" do.
_ANNOUNCEMENT = re.compile(
    r"(?:解凍|展開)(?:用)?(?:の)?(?:パスワード|パス|pw|pass|p/w)"
    r"|パスワード[^。\n]{0,15}(?:別|次|後|追って)[^。\n]{0,4}(?:メール|便)"
    r"|パスワード[^。\n]{0,15}メール(?:にて|で)"
    # the password is in this mail: 「パスワードは下記の通りです」, "the password is below"
    r"|(?:パスワード|pw|パス)[^。\n]{0,8}(?:下記|以下|次の(?:とおり|通り)|こちら)"
    r"(?![^。\n]{0,6}(?:方法|手順|url|http|リンク|サイト|ページ))"
    r"|(?:下記|以下|次)の?(?:パスワード|pw)(?:で|にて|を入力)"
    r"|password[^.\n]{0,40}(?:separate|another|next|following|second|later)\s+(?:e-?mail|mail|message)"
    r"|\b(?:password|passcode|pw)\b[^.\n]{0,40}\b(?:is|are|as)\s+(?:below|as\s+follows|the\s+following)"
    r"|\bfollowing\s+(?:password|passcode)",
    re.IGNORECASE,
)
# English sentence form: "the password to open the file is K8s-Mn2q", "PW for the zip: K8s-Mn2q".
_VALUE_SENTENCE = re.compile(
    r"(?<![A-Za-z])(?:password|passcode|passwd|pwd|pw|p/w)\b(?:\s+(?:to|for|of)\b[^.:=\n]{0,50}?)?"
    r"(?:\s*[:=]|\s+(?:is|will\s+be)\b)\s*[:]?\s*[\"'“(\[]?(?P<value>[!-~]{4,64})",
    re.IGNORECASE,
)
# A sentence that sends the password another way is what the rule asks for, whatever else it says.
_OTHER_CHANNEL = re.compile(
    r"電話|(?<![a-z])(?:sms|slack|fax)(?![a-z])|ショートメ|チャット|(?-i:Teams|LINE)|口頭|ファックス|別の(?:方法|手段)|別経路"
    r"|\bby\s+(?:phone|text|chat)|\bover\s+the\s+phone|\bphone\s+call|\bcall\s+you|\btext\s+message",
    re.IGNORECASE,
)
# Sentences about an account's password (reset, change, policy), not the one of an attached file.
_ACCOUNT_TALK = re.compile(
    r"再設定|再発行|変更|リセット|忘れ|ポリシー|\breset|\bchange|\bforgot|\bpolicy|\bexpire", re.IGNORECASE
)
_MAIL_CHANNEL = re.compile(r"(?<!ショート)メール|e-?mail|\bmail\b|(?<!text\s)\bmessage\b", re.IGNORECASE)
_TRAILING = ".,;:!?)]」』\"'"
_SPLIT = re.compile(r"[\s「」『』【】〈〉《》()\[\]、。,;\"'`]+")
_ASCII_RUN = re.compile(r"[!-~]+")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _looks_like_password(value: str, rest: str) -> bool:
    value = value.rstrip(_TRAILING)
    if len(value) < 4 or value.lower().startswith(("http", "www.")) or "@" in value:
        return False
    # "Password: will be sent by phone" is a sentence, "password: abcdwxyz" is a password.
    return not (value.isalpha() and value.islower() and re.match(r"[ \t]+[A-Za-z]", rest))


def _strong_value(value: str) -> bool:
    """A value that cannot be an English word: digits, symbols or an inner capital ("Xyz12345", "k8s-Mn")."""
    value = value.rstrip(_TRAILING)
    return len(value) >= 4 and bool(re.search(r"[0-9!#$%&*+\-/=?^_~]|[a-z][A-Z]", value)) and "@" not in value


def has_password_line(text: str) -> bool:
    """A 「パスワード：xxxx」 / "PW: xxxx" line or sentence, or a PPAP 「解凍パスワード」 announcement."""
    text = _normalise(text)
    for sentence in sentences(text):
        if _OTHER_CHANNEL.search(sentence) and not _MAIL_CHANNEL.search(sentence):
            continue
        if _ANNOUNCEMENT.search(sentence) and not _ACCOUNT_TALK.search(sentence):
            return True
        if any(_strong_value(m.group("value")) for m in _VALUE_SENTENCE.finditer(sentence)):
            return True
    # Values keep their dots and may sit on the line below the label ("パスワード：\nK8sMn2qX").
    joined = "\n".join(logical_lines(text))
    return any(
        _looks_like_password(m.group("value"), joined[m.end() : m.end() + 3])
        for m in _VALUE_LINE.finditer(joined)
    )


def candidate_tokens(text: str, lengths: Collection[int] | None = None) -> set[str]:
    """Strings in `text` that could be a password (of one of `lengths`, when given)."""
    found: set[str] = set()
    for token in _SPLIT.split(_normalise(text)):
        if not token:
            continue
        variants = {token, token.strip(_TRAILING)}
        # Japanese text glues the password to words: パスワードはAb3dEf…です
        variants.update(_ASCII_RUN.findall(token))
        variants.update(_ALNUM_RUN.findall(token))
        for variant in list(variants):
            for sep in (":", "="):
                if sep in variant:
                    variants.add(variant.split(sep, 1)[1])
                    variants.add(variant.rsplit(sep, 1)[1])
        found.update(v for v in variants if v and (lengths is None or len(v) in lengths))
    return found


def _texts(message: Message) -> tuple[tuple[str, str], ...]:
    return ((SUBJECT, message.subject), (BODY, message.body))


def _written_now(message: Message) -> tuple[tuple[str, str], ...]:
    """Subject and the body without quoted history: a password line quoted from earlier mail is not news."""
    flags = parse_thread(message.body).flags
    lines = message.body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    own = "\n".join(ln for ln, quoted in zip(lines, flags, strict=True) if not quoted)
    return ((SUBJECT, message.subject), (BODY, own))


def _carries_encrypted_file(message: Message) -> bool:
    return any(a.encrypted for _, a in message.files)


def _recipients(message: Message) -> list[str]:
    return sorted({r.address.lower() for r in message.recipients})


def password_line_rule(message: Message, context: CheckContext) -> Iterable[Finding]:
    """Warn on a password-like line in a mail that itself carries an encrypted file."""
    if not _carries_encrypted_file(message):
        return
    for target, text in _written_now(message):
        if has_password_line(text):
            yield context.finding(CODE, target, kind=LINE, recipients=_recipients(message))


def _utcnow() -> datetime:
    return datetime.now(UTC)


def make_password_rule(
    ledger: ProtectionLedger | None,
    clock: Callable[[], datetime] = _utcnow,
    window: timedelta = DEFAULT_WINDOW,
    *,
    own_password: str = "",
) -> Rule:
    """The rule that checks a mail against recent protected sends to the same recipients."""
    # `own_password` protects files of the mail being checked: chosen in the review, not in the ledger yet.
    own = _normalise(own_password).strip()

    def password_followup_rule(message: Message, context: CheckContext) -> Iterator[Finding]:
        """Block the actual password; warn on a password line to recent protected-file recipients."""
        addresses = _recipients(message)
        entries = ledger.recent_for(addresses, now=clock(), window=window) if ledger is not None else []
        if not entries and not own:
            return
        lengths = {e.length for e in entries} | ({len(own)} if own else set())
        blocked = False
        for target, text in _texts(message):
            candidates = candidate_tokens(text, lengths)
            if own and own in candidates:
                blocked = True
                yield _actual_password(target, addresses)
                continue
            hit = _first_match(ledger, entries, candidates) if ledger is not None else None
            if hit is not None:
                blocked = True
                yield _actual_password(target, hit.shares_recipient(addresses))
        if blocked or not entries or _carries_encrypted_file(message):
            return  # a block says it all; a mail with its own encrypted file gets the plain rule
        shared = sorted({a for e in entries for a in e.shares_recipient(addresses)})
        for target, text in _written_now(message):
            if has_password_line(text):
                yield context.finding(CODE, target, kind=LINE, recipients=shared)

    return password_followup_rule


def _actual_password(target: str, recipients: Iterable[str]) -> Finding:
    # Always a block, whatever the policy says: the password would reach the people holding the file.
    return Finding(CODE, Severity.BLOCK, target, {"kind": ACTUAL, "recipients": list(recipients)})


def _first_match(
    ledger: ProtectionLedger, entries: Iterable[LedgerEntry], candidates: Collection[str]
) -> LedgerEntry | None:
    for entry in entries:
        for candidate in candidates:
            if len(candidate) == entry.length and ledger.matches(entry, candidate):
                return entry
    return None


def password_followup(message: Message, context: CheckContext) -> Iterable[Finding]:
    """The follow-up rule over the context's ledger of protected sends, when one is tracked."""
    if context.protected_sends is None:
        return ()
    return make_password_rule(context.protected_sends)(message, context)


RULES: tuple[Rule, ...] = (password_line_rule, password_followup)


def with_own_password(rules: Sequence[Rule], password: str) -> tuple[Rule, ...]:
    """`rules` whose follow-up also blocks `password`, just used to protect this mail's own files."""
    if not _normalise(password).strip():
        return tuple(rules)

    def password_followup_and_own(message: Message, context: CheckContext) -> Iterable[Finding]:
        """The follow-up rule, with the review's own password counted as a protected send."""
        return make_password_rule(context.protected_sends, own_password=password)(message, context)

    if password_followup not in rules:
        return (*rules, password_followup_and_own)
    return tuple(password_followup_and_own if rule is password_followup else rule for rule in rules)
