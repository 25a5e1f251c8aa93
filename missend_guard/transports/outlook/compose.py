"""The MIME of an Outlook item, so the relay's parser builds its Message and the checks stay identical.

Files come first and images shown in the HTML body last, the order `parse_message` lists them in:
attachment `i` of the parsed Message is `attachments[i]` here.
"""

from __future__ import annotations

import email.header
import email.policy
import email.utils
from collections.abc import Sequence
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.mime.text import MIMEText

from missend_guard.core.message.addresses import AddressField
from missend_guard.transports.outlook.attachments import ReadAttachment
from missend_guard.transports.outlook.recipients import Mailbox, ReadRecipient

_POLICY = email.policy.compat32.clone(linesep="\r\n")
_FIELDS: tuple[tuple[AddressField, str], ...] = (("to", "To"), ("cc", "Cc"), ("bcc", "Bcc"))


def ordered(attachments: Sequence[ReadAttachment]) -> list[ReadAttachment]:
    """Files the user attached, then images shown in the body: the parsed Message's order."""
    return [a for a in attachments if not a.content_id] + [a for a in attachments if a.content_id]


def _header_value(mailboxes: Sequence[Mailbox]) -> str:
    # One address per line keeps every line short whatever the count (lists expand to many).
    return ",\r\n ".join(email.utils.formataddr((m.name, m.address), charset="utf-8")
                         for m in mailboxes)


def mailboxes_in(recipients: Sequence[ReadRecipient], field: AddressField) -> list[Mailbox]:
    """The mailboxes a field shows: each recipient's own address and its list's members."""
    shown: list[Mailbox] = []
    for recipient in recipients:
        if recipient.field != field:
            continue
        if recipient.address:
            shown.append(Mailbox(recipient.name, recipient.address))
        shown.extend(recipient.members)
    return shown


def _text_part(text: str, subtype: str) -> MIMEText:
    return MIMEText(text.replace("\r\n", "\n"), subtype, "utf-8")


def _file_part(attachment: ReadAttachment) -> MIMEBase:
    maintype, _, subtype = attachment.content_type.partition("/")
    part = MIMENonMultipart(maintype or "application", subtype or "octet-stream")
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    disposition = "inline" if attachment.content_id else "attachment"
    part.add_header("Content-Disposition", disposition, filename=("utf-8", "", attachment.filename))
    if attachment.content_id:
        part.add_header("Content-ID", f"<{attachment.content_id}>")
    return part


def compose(
    *, sender: Mailbox | None, recipients: Sequence[ReadRecipient], subject: str, plain: str,
    html: str, attachments: Sequence[ReadAttachment], message_id: str, date: float,
) -> bytes:
    """RFC 5322 bytes of the item as Outlook would send it (Bcc kept as a header, for the checks)."""
    body: MIMEBase
    if plain and html:
        body = MIMEMultipart("alternative")
        body.attach(_text_part(plain, "plain"))
        body.attach(_text_part(html, "html"))
    else:
        body = _text_part(html, "html") if html else _text_part(plain, "plain")
    files = ordered(attachments)
    if files:
        root: MIMEBase = MIMEMultipart("mixed")
        root.attach(body)
        for attachment in files:
            root.attach(_file_part(attachment))
    else:
        root = body
    if sender is not None:
        root["From"] = _header_value([sender])
    for field, header in _FIELDS:
        if shown := mailboxes_in(recipients, field):
            root[header] = _header_value(shown)
    root["Subject"] = email.header.Header(subject, "utf-8").encode()
    root["Date"] = email.utils.formatdate(date, localtime=True)
    root["Message-ID"] = message_id
    return root.as_bytes(policy=_POLICY)
