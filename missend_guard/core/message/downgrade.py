"""Raw 8-bit (RFC 6532) header fields rewritten as RFC 2047 encoded words, for upstreams without SMTPUTF8."""

from __future__ import annotations

import email.header
import email.utils
from email.headerregistry import Address as RegistryAddress
from email.headerregistry import AddressHeader
from email.message import Message as EmailMessage
from email.policy import default as default_policy

import idna

from missend_guard.core.message.addresses import unicode_domain
from missend_guard.core.message.decoding import decode_bytes, decode_header_value
from missend_guard.core.message.rawheader import header_fields, split_head

# Fields that hold mailboxes: display names become encoded words, domains A-labels.
ADDRESS_FIELDS = frozenset({
    "from", "sender", "reply-to", "to", "cc", "bcc", "resent-from", "resent-sender", "resent-to",
    "resent-cc", "resent-bcc", "disposition-notification-to", "return-receipt-to", "errors-to",
    "mail-followup-to", "mail-reply-to", "return-path",
})
# Fields whose value is an identifier, date or token: an encoded word there would change it.
UNENCODABLE_FIELDS = frozenset({
    "message-id", "in-reply-to", "references", "resent-message-id", "content-id", "date",
    "resent-date", "mime-version", "content-transfer-encoding",
})
PARAMETER_FIELDS = frozenset({"content-type", "content-disposition"})


class HeaderDowngradeError(ValueError):
    """A header field that cannot be written in 7-bit (a non-ASCII local part): permanent."""


def downgrade_headers(raw: bytes) -> bytes:
    """`raw` with every 8-bit field of its top-level header block in 7-bit; the body is untouched.

    Subjects and other text become RFC 2047 encoded words (UTF-8), display names too, domains
    IDNA A-labels, Content-Type/-Disposition parameters RFC 2231. Parsing the result gives the
    same subject, names and mailboxes (domains in their ASCII form). HeaderDowngradeError when a
    field cannot be written without SMTPUTF8: a non-ASCII local part or identifier.
    """
    head, linesep, body = split_head(raw)
    if head.isascii():
        return raw
    fields = [linesep.join(lines) for lines in header_fields(head, linesep)]
    fields = [_downgraded(field, linesep) if not field.isascii() else field for field in fields]
    return b"".join(field + linesep for field in fields) + body


def _downgraded(field: bytes, linesep: bytes) -> bytes:
    name_bytes, colon, value = field.partition(b":")
    if not colon or not name_bytes.strip().isascii():
        raise HeaderDowngradeError(f"a header line is not a field: {field[:60]!r}")
    name = name_bytes.decode("ascii").strip()
    key = name.lower()
    unfolded = value.replace(b"\r\n", b"").replace(b"\n", b"").strip()
    # As the message parser reads it (compat32: folds kept, 8-bit bytes as surrogate escapes).
    parsed = value.strip().decode("ascii", errors="surrogateescape")
    if key in UNENCODABLE_FIELDS:
        raise HeaderDowngradeError(
            f"the {name} field has non-ASCII characters and cannot be sent without SMTPUTF8"
        )
    if key in ADDRESS_FIELDS:
        original = decode_bytes(unfolded, None)
        text = _address_list(name, original, linesep)
        if _mailboxes(text) != _mailboxes(original):  # never change who a mail is shown to
            raise HeaderDowngradeError(f"the {name} field could not be rewritten without SMTPUTF8")
    elif key in PARAMETER_FIELDS:
        text = _parameters(name, decode_bytes(unfolded, None))
    else:
        text = _encoded_words(name, decode_header_value(parsed), linesep)
    return f"{name}: {text}".encode("ascii")


def _encoded_words(name: str, text: str, linesep: bytes) -> str:
    """Text as folded UTF-8 encoded words (each within RFC 2047's 75 characters)."""
    if text.isascii():
        return text
    header = email.header.Header(text, "utf-8", header_name=name)
    return header.encode(linesep=linesep.decode("ascii"))


def _address_list(name: str, text: str, linesep: bytes) -> str:
    parsed = default_policy.header_factory(name, text)
    assert isinstance(parsed, AddressHeader)
    items: list[str] = []
    for group in parsed.groups:
        mailboxes = [_mailbox(name, a) for a in group.addresses]
        if group.display_name is None:
            items += mailboxes
        else:
            items.append(f"{_phrase(name, group.display_name)}: {', '.join(mailboxes)};")
    return ("," + linesep.decode("ascii") + " ").join(items)


def _mailboxes(text: str) -> list[tuple[str, str, str]]:
    """(display name, local part, Unicode domain) of each mailbox, as the message parser reads them."""
    out = []
    for display, addr in email.utils.getaddresses([text]):
        local, _, domain = addr.rpartition("@")
        out.append((decode_header_value(display), local, unicode_domain(domain)))
    return out


def _mailbox(name: str, address: RegistryAddress) -> str:
    if not address.username.isascii():
        raise HeaderDowngradeError(
            f"{name}: the address {address.addr_spec} has non-ASCII characters before the @; "
            "it can only be sent through a server that supports SMTPUTF8"
        )
    ascii_address = RegistryAddress(username=address.username, domain=_a_label(name, address.domain))
    if not address.display_name:
        return ascii_address.addr_spec
    return f"{_phrase(name, address.display_name)} <{ascii_address.addr_spec}>"


def _phrase(name: str, text: str) -> str:
    if text.isascii():
        return f'"{email.utils.quote(text)}"'  # always valid, whatever specials the name holds
    return email.header.Header(text, "utf-8", header_name=name).encode(linesep=" ")


def _a_label(name: str, domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:  # IDNA 2003 accepts some labels IDNA 2008 refuses (symbols)
            return domain.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise HeaderDowngradeError(f"{name}: the domain {domain} is not a valid domain name") from exc


def _parameters(name: str, text: str) -> str:
    """Content-Type/-Disposition with non-ASCII parameter values in RFC 2231 form."""
    holder = EmailMessage()
    holder[name] = text
    params = holder.get_params(header=name) or []
    if not params:
        return text
    (main, _), *others = params
    parts = [main]
    for key, value in others:
        plain = email.utils.collapse_rfc2231_value(value)
        if plain.isascii():
            parts.append(f'{key}="{email.utils.quote(plain)}"')
        else:
            parts.append(f"{key}*={email.utils.encode_rfc2231(plain, 'utf-8')}")
    return "; ".join(parts)
