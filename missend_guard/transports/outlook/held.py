"""The undo window on the item itself: deferred delivery and our id; Undo moves it back to Drafts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from missend_guard.transports.outlook.com import call, prop

# A named property in PS_PUBLIC_STRINGS: found again in the Outbox and in Sent Items.
HELD_ID = ("http://schemas.microsoft.com/mapi/string/"
           "{00020329-0000-0000-C000-000000000046}/MissendGuardId")
NO_DATE = datetime(4501, 1, 1)  # Outlook's "None" for a date property: no deferred delivery
OL_FOLDER_OUTBOX, OL_FOLDER_SENT, OL_FOLDER_DRAFTS = 4, 5, 16


def local(value: Any) -> datetime | None:
    """A COM date as naive local time (pywin32 may return an aware one); None when not a date."""
    if not isinstance(value, datetime):
        return None
    return value.astimezone().replace(tzinfo=None) if value.tzinfo is not None else value


def hold(item: Any, item_id: str, seconds: float, now: datetime) -> datetime | None:
    """Tag the item with `item_id` and defer it `seconds` (a later deferral the user chose stays).

    Returns when Outlook will send it, or None when it goes at once.
    """
    item.PropertyAccessor.SetProperty(HELD_ID, item_id)
    chosen = local(prop(item, "DeferredDeliveryTime"))
    if chosen is not None and chosen.year >= NO_DATE.year:
        chosen = None
    if seconds <= 0:
        return chosen
    until = now + timedelta(seconds=seconds)
    if chosen is not None and chosen > until:
        return chosen
    item.DeferredDeliveryTime = until
    return until


def held_id(item: Any) -> str:
    """Our id on `item`, or "" when it has none."""
    accessor = prop(item, "PropertyAccessor")
    value = call(accessor, "GetProperty", HELD_ID) if accessor is not None else None
    return value if isinstance(value, str) else ""


def find_in_outbox(session: Any, item_id: str) -> Any | None:
    """The Outbox item tagged `item_id` (None once Outlook has sent it)."""
    items = session.GetDefaultFolder(OL_FOLDER_OUTBOX).Items
    for index in range(int(items.Count), 0, -1):  # the newest last: look there first
        item = call(items, "Item", index)
        if item is not None and held_id(item) == item_id:
            return item
    return None


def undo(session: Any, item_id: str) -> bool:
    """Move the held item back to Drafts without its deferral; False when it already left."""
    item = find_in_outbox(session, item_id)
    if item is None:
        return False
    draft = item.Move(session.GetDefaultFolder(OL_FOLDER_DRAFTS))
    draft.DeferredDeliveryTime = NO_DATE
    draft.PropertyAccessor.DeleteProperty(HELD_ID)
    draft.Save()
    return True
