"""Recipients of an Outlook item with their SMTP addresses: Exchange users resolved, lists expanded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from missend_guard.core.message.addresses import AddressField
from missend_guard.transports.outlook.com import call, noted, prop

PR_SMTP_ADDRESS = "http://schemas.microsoft.com/mapi/proptag/0x39FE001E"

# OlMailRecipientType / OlMeetingRecipientType: a meeting's 3 is a resource (visible), not Bcc.
OL_ORGANIZER, OL_TO, OL_CC, OL_BCC = 0, 1, 2, 3
# OlAddressEntryUserType values that are lists.
OL_EXCHANGE_LIST = 1
OL_CONTACT_GROUP = 11
MAX_LIST_DEPTH = 4  # nested lists deeper than this are flagged, not followed
MAX_LIST_MEMBERS = 2000  # one item's expanded members; beyond this the list is flagged


@dataclass(frozen=True)
class Mailbox:
    """A display name and an SMTP address."""

    name: str
    address: str


@dataclass(frozen=True)
class ReadRecipient:
    """One entry of `item.Recipients` as read; a list carries its expanded members."""

    index: int  # 1-based position in item.Recipients (changing its Type moves it to Bcc)
    field: AddressField
    name: str
    address: str  # "" when no SMTP address could be found (then it is in `problems`)
    members: tuple[Mailbox, ...] = ()

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every SMTP address this entry reaches: its own and its members'."""
        own = (self.address,) if self.address else ()
        return own + tuple(m.address for m in self.members)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _smtp(value: Any) -> str:
    text = _text(value)
    return text if "@" in text and " " not in text else ""


def entry_smtp(entry: Any) -> str:
    """The SMTP address of an AddressEntry: its own when SMTP, else the Exchange user's or list's."""
    if entry is None:
        return ""
    if _text(prop(entry, "Type")).upper() == "SMTP" and (
        own := _smtp(prop(entry, "Address"))
    ):
        return own
    for method in ("GetExchangeUser", "GetExchangeDistributionList"):
        found = call(entry, method)
        if found is not None and (address := _smtp(prop(found, "PrimarySmtpAddress"))):
            return address
    accessor = prop(entry, "PropertyAccessor")
    if accessor is not None and (
        address := _smtp(call(accessor, "GetProperty", PR_SMTP_ADDRESS))
    ):
        return address
    return _smtp(prop(entry, "Address"))


def recipient_smtp(recipient: Any) -> str:
    """The SMTP address of a Recipient (Microsoft's order: PR_SMTP_ADDRESS, then the AddressEntry)."""
    accessor = prop(recipient, "PropertyAccessor")
    if accessor is not None and (
        address := _smtp(call(accessor, "GetProperty", PR_SMTP_ADDRESS))
    ):
        return address
    found = entry_smtp(prop(recipient, "AddressEntry"))
    return found or _smtp(prop(recipient, "Address"))


def _collection(items: Any) -> list[Any]:
    count = prop(items, "Count") or 0
    return [entry for i in range(1, int(count) + 1)
            if (entry := call(items, "Item", i)) is not None]


def _list_entries(entry: Any) -> list[Any] | None:
    """A list's member entries, or None when it is not a list; [] when they cannot be read."""
    kind = prop(entry, "AddressEntryUserType")
    if kind == OL_EXCHANGE_LIST:
        group = call(entry, "GetExchangeDistributionList")
        members = call(group, "GetExchangeDistributionListMembers") if group else None
        return _collection(members) if members is not None else []
    if kind == OL_CONTACT_GROUP:
        members = prop(entry, "Members")
        return _collection(members) if members is not None else []
    return None


@dataclass
class _Expansion:
    members: list[Mailbox]
    complete: bool = True


def _expand(entries: list[Any], depth: int, into: _Expansion) -> None:
    for entry in entries:
        if len(into.members) >= MAX_LIST_MEMBERS:
            into.complete = False
            return
        nested = _list_entries(entry)
        if nested is not None:
            if depth >= MAX_LIST_DEPTH or not nested:
                into.complete = False
            else:
                _expand(nested, depth + 1, into)
            continue
        name = _text(prop(entry, "Name"))
        address = entry_smtp(entry)
        if address:
            into.members.append(Mailbox(name, address))
        else:
            into.complete = False


def field_of(kind: Any, meeting: bool) -> AddressField | None:
    """The mail's field for a recipient Type (None: the organizer, not a recipient)."""
    if kind == OL_ORGANIZER and meeting:
        return None
    if kind == OL_CC:
        return "cc"
    if kind == OL_BCC and not meeting:
        return "bcc"
    return "to"


def read_recipients(item: Any, meeting: bool, problems: list[str]) -> list[ReadRecipient]:
    """Every recipient with its SMTP address; what could not be resolved goes into `problems`."""
    recipients = prop(item, "Recipients")
    if recipients is None:
        problems.append("outlook-unreadable:recipients")
        return []
    found: list[ReadRecipient] = []
    count = prop(recipients, "Count") or 0
    for index in range(1, int(count) + 1):
        recipient = call(recipients, "Item", index)
        if recipient is None:
            problems.append(f"outlook-unreadable:recipient {index}")
            continue
        field = field_of(noted(recipient, "Type", problems, f"recipient {index} type"), meeting)
        if field is None:
            continue
        name = _text(prop(recipient, "Name"))
        entry = prop(recipient, "AddressEntry")
        members: tuple[Mailbox, ...] = ()
        nested = _list_entries(entry) if entry is not None else None
        if nested is not None:
            expansion = _Expansion([], complete=bool(nested))  # no members: not expandable here
            _expand(nested, 1, expansion)
            members = tuple(expansion.members)
            if not expansion.complete:
                problems.append(f"outlook-unexpanded-list:{name}")
        address = recipient_smtp(recipient)
        if not address and not members:
            problems.append(f"outlook-no-smtp-address:{name or index}")
        found.append(ReadRecipient(index, field, name, address, members))
    return found
