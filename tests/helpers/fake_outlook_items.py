"""Outlook object model items for the fake: MailItem, MeetingItem, recipients, address entries, attachments.

Every member a program reaches over COM goes through `_guard`, which raises what the real Outlook raises:
RPC_S_SERVER_UNAVAILABLE once Outlook is gone, RPC_E_WRONG_THREAD off the bridge's apartment, E_ABORT
for an address or body when the Object Model Guard prompt is denied, and any fault a test planted.
Test-side helpers (snake_case) read the state without going through COM.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from missend_guard.transports.outlook.com import DISP_E_EXCEPTION

RPC_E_WRONG_THREAD = -2147417842
DISP_E_TYPEMISMATCH = -2147352571
MAPI_E_NOT_FOUND = -2147221233  # 0x8004010F, inside DISP_E_EXCEPTION's excepinfo
NO_DATE = datetime(4501, 1, 1)
TAG = "http://schemas.microsoft.com/mapi/proptag/"
PR_SMTP_ADDRESS = TAG + "0x39FE001E"
PR_ATTACH_METHOD = TAG + "0x37050003"
PR_ATTACH_LONG_PATHNAME = TAG + "0x3707001F"
PR_ATTACH_MIME_TAG = TAG + "0x370E001F"
PR_ATTACH_CONTENT_ID = TAG + "0x3712001F"


class ComError(Exception):
    """Shaped like pywintypes.com_error: args (hresult, strerror, excepinfo, argerr) and `.hresult`."""

    def __init__(self, hresult: int, text: str = "", scode: int | None = None) -> None:
        excepinfo = None
        if hresult == DISP_E_EXCEPTION:
            excepinfo = (0, "Microsoft Outlook", text, None, 0, scode if scode is not None else hresult)
        super().__init__(hresult, "Exception occurred." if excepinfo else text, excepinfo, None)
        self.hresult = hresult


def outlook_error(text: str, scode: int = -2147467259) -> ComError:
    """An error Outlook raises itself (DISP_E_EXCEPTION with its message)."""
    return ComError(DISP_E_EXCEPTION, text, scode)


def not_found(name: str) -> ComError:
    """PropertyAccessor.GetProperty on a property the item does not have."""
    return outlook_error(f'The property "{name}" is unknown or cannot be found.', MAPI_E_NOT_FOUND)


class Member:
    """A COM property: every read and write goes through the owner's `_guard`."""

    def __init__(self, *, guarded: bool = False, writable: bool = False) -> None:
        self.guarded = guarded
        self.writable = writable
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        obj._guard(self.name, guarded=self.guarded)
        return obj._state[self.name]

    def __set__(self, obj: Any, value: Any) -> None:
        obj._guard(self.name, guarded=self.guarded)
        if not self.writable:
            raise outlook_error(f"The property {self.name} is read-only.")
        obj._state[self.name] = value


class ComObject:
    """An object living in the Outlook process; `outlook` is the FakeOutlook that owns it."""

    kind = "Object"

    def __init__(self, outlook: Any, **state: Any) -> None:
        self._outlook = outlook
        self._state: dict[str, Any] = dict(state)

    def _guard(self, member: str, *, guarded: bool = False) -> None:
        self._outlook.check(f"{self.kind}.{member}", guarded=guarded)


class PropertyAccessor(ComObject):
    """GetProperty / SetProperty / DeleteProperty over a dict; an address property is guarded."""

    kind = "PropertyAccessor"

    def __init__(self, outlook: Any, values: dict[str, Any] | None = None) -> None:
        super().__init__(outlook)
        self.values: dict[str, Any] = dict(values or {})

    def GetProperty(self, name: str) -> Any:
        self._guard("GetProperty", guarded=name == PR_SMTP_ADDRESS)
        if name not in self.values:
            raise not_found(name)
        return self.values[name]

    def SetProperty(self, name: str, value: Any) -> None:
        self._guard("SetProperty")
        self.values[name] = value

    def DeleteProperty(self, name: str) -> None:
        self._guard("DeleteProperty")
        if name not in self.values:
            raise not_found(name)
        del self.values[name]


class Collection(ComObject):
    """Count and 1-based Item(i), as every Outlook collection."""

    def __init__(self, outlook: Any, entries: list[Any] | None = None) -> None:
        super().__init__(outlook)
        self.entries: list[Any] = list(entries or [])

    @property
    def Count(self) -> int:
        self._guard("Count")
        return len(self.entries)

    def Item(self, index: int) -> Any:
        self._guard("Item")
        if not 1 <= index <= len(self.entries):
            raise outlook_error("Array index out of bounds.", -2147352565)
        return self.entries[index - 1]


class ExchangeUser(ComObject):
    kind = "ExchangeUser"
    Name = Member()
    PrimarySmtpAddress = Member(guarded=True)


class AddressEntry(ComObject):
    """Type "SMTP" or "EX"; a list answers GetExchangeDistributionList or Members."""

    kind = "AddressEntry"
    Name = Member()
    Address = Member(guarded=True)
    Type = Member()
    AddressEntryUserType = Member()
    DisplayType = Member()

    def __init__(self, outlook: Any, *, user: ExchangeUser | None = None, group: Any = None,
                 members: Collection | None = None, properties: dict[str, Any] | None = None,
                 **state: Any) -> None:
        super().__init__(outlook, **state)
        self._user, self._group, self._members = user, group, members
        self._accessor = PropertyAccessor(outlook, properties)

    def GetExchangeUser(self) -> ExchangeUser | None:
        self._guard("GetExchangeUser", guarded=True)
        return self._user

    def GetExchangeDistributionList(self) -> Any:
        self._guard("GetExchangeDistributionList", guarded=True)
        return self._group

    @property
    def Members(self) -> Collection | None:
        self._guard("Members", guarded=True)
        return self._members

    @property
    def PropertyAccessor(self) -> PropertyAccessor:
        self._guard("PropertyAccessor")
        return self._accessor


class ExchangeDistributionList(ComObject):
    """An Exchange list; `members` None models a dynamic list or an offline GAL (cannot expand)."""

    kind = "ExchangeDistributionList"
    Name = Member()
    PrimarySmtpAddress = Member(guarded=True)

    def __init__(self, outlook: Any, members: Collection | None, **state: Any) -> None:
        super().__init__(outlook, **state)
        self._members = members

    def GetExchangeDistributionListMembers(self) -> Collection:
        self._guard("GetExchangeDistributionListMembers", guarded=True)
        if self._members is None:
            raise outlook_error("The operation failed. The messaging interfaces have returned an "
                                "unknown error.")
        return self._members


class Recipient(ComObject):
    """One entry of item.Recipients: Type is writable (that is how To becomes Bcc)."""

    kind = "Recipient"
    Name = Member()
    Address = Member(guarded=True)
    Type = Member(writable=True)
    Resolved = Member()

    def __init__(self, outlook: Any, entry: AddressEntry, properties: dict[str, Any] | None = None,
                 **state: Any) -> None:
        super().__init__(outlook, **state)
        self._entry = entry
        self._accessor = PropertyAccessor(outlook, properties)

    @property
    def AddressEntry(self) -> AddressEntry:
        self._guard("AddressEntry", guarded=True)
        return self._entry

    @property
    def PropertyAccessor(self) -> PropertyAccessor:
        self._guard("PropertyAccessor")
        return self._accessor

    def Resolve(self) -> bool:
        self._guard("Resolve", guarded=True)
        return bool(self._state["Resolved"])


class Attachment(ComObject):
    """A file (Type 1), an embedded item (5, saved as .msg) or a link (PR_ATTACH_METHOD 7)."""

    kind = "Attachment"
    FileName = Member()
    DisplayName = Member(writable=True)
    Type = Member()
    Size = Member()

    def __init__(self, outlook: Any, data: bytes, properties: dict[str, Any] | None = None,
                 **state: Any) -> None:
        super().__init__(outlook, **state)
        self.data = data
        self.parent: Attachments | None = None
        self._accessor = PropertyAccessor(outlook, properties)

    @property
    def PropertyAccessor(self) -> PropertyAccessor:
        self._guard("PropertyAccessor")
        return self._accessor

    def SaveAsFile(self, path: str) -> None:
        self._guard("SaveAsFile", guarded=True)
        if self._accessor.values.get(PR_ATTACH_METHOD) == 7:
            raise outlook_error("Cannot save the attachment. The file is stored online.")
        if not Path(path).parent.is_dir():
            raise outlook_error(f"Cannot save the attachment. Cannot create file: {Path(path).name}.")
        Path(path).write_bytes(self.data)
        self._outlook.saved.append((path, Path(path).parent.stat().st_mode & 0o777))

    def Delete(self) -> None:
        self._guard("Delete")
        assert self.parent is not None
        self.parent.entries.remove(self)


class Attachments(Collection):
    """item.Attachments: Add copies the file's bytes at once, as Outlook does."""

    kind = "Attachments"

    def Add(self, source: str, kind: int = 1, position: Any = None, display_name: Any = None) -> Attachment:
        self._guard("Add")
        path = Path(source)
        if not path.is_file():
            raise outlook_error("Cannot find this file. Verify the path and file name are correct.")
        data = path.read_bytes()
        added = Attachment(self._outlook, data, FileName=path.name,
                           DisplayName=display_name if isinstance(display_name, str) else path.name,
                           Type=kind, Size=len(data) + 200)
        added.parent = self
        self.entries.append(added)
        return added


class Recipients(Collection):
    kind = "Recipients"


class Account(ComObject):
    kind = "Account"
    DisplayName = Member()
    SmtpAddress = Member()
    AccountType = Member()


class OutlookItem(ComObject):
    """What MailItem and MeetingItem share; `folder` is None while it is open in a compose window."""

    kind = "MailItem"
    Class = Member()
    Subject = Member(writable=True)
    Body = Member(guarded=True, writable=True)
    HTMLBody = Member(guarded=True, writable=True)
    BodyFormat = Member(writable=True)
    SentOnBehalfOfName = Member(guarded=True, writable=True)
    SendUsingAccount = Member(writable=True)

    def __init__(self, outlook: Any, recipients: list[Recipient], attachments: list[Attachment],
                 properties: dict[str, Any] | None = None, **state: Any) -> None:
        super().__init__(outlook, **state)
        self._state.setdefault("DeferredDeliveryTime", NO_DATE)
        self._recipients = Recipients(outlook, recipients)
        self._attachments = Attachments(outlook, attachments)
        for attachment in attachments:
            attachment.parent = self._attachments
        self._accessor = PropertyAccessor(outlook, properties)
        self.folder: Any = None
        self.saved = False

    @property
    def Recipients(self) -> Recipients:
        self._guard("Recipients", guarded=True)
        return self._recipients

    @property
    def Attachments(self) -> Attachments:
        self._guard("Attachments")
        return self._attachments

    @property
    def PropertyAccessor(self) -> PropertyAccessor:
        self._guard("PropertyAccessor")
        return self._accessor

    @property
    def Session(self) -> Any:
        self._guard("Session")
        return self._outlook.session

    @property
    def DeferredDeliveryTime(self) -> datetime:
        self._guard("DeferredDeliveryTime")
        return self._state["DeferredDeliveryTime"]

    @DeferredDeliveryTime.setter
    def DeferredDeliveryTime(self, value: Any) -> None:
        self._guard("DeferredDeliveryTime")
        if not isinstance(value, datetime):
            raise ComError(DISP_E_TYPEMISMATCH, "Type mismatch.")
        self._state["DeferredDeliveryTime"] = value

    def Move(self, folder: Any) -> OutlookItem:
        self._guard("Move")
        self._outlook.move(self, folder)
        return self

    def Save(self) -> None:
        self._guard("Save")
        self.saved = True

    # --- test side (not COM) -----------------------------------------------------------------

    def recipient_types(self) -> list[tuple[str, int]]:
        """(name, Type) of each recipient, as the compose window shows them."""
        return [(r._state["Name"], r._state["Type"]) for r in self._recipients.entries]

    def file_names(self) -> list[str]:
        """The attachments' file names, in order."""
        return [a._state["FileName"] for a in self._attachments.entries]

    def attachment_data(self, name: str) -> bytes:
        """The bytes of the attachment named `name`."""
        return next(a.data for a in self._attachments.entries if a._state["FileName"] == name)

    @property
    def deferred_until(self) -> datetime:
        """DeferredDeliveryTime without COM."""
        return self._state["DeferredDeliveryTime"]

    @property
    def properties(self) -> dict[str, Any]:
        """The item's named and tagged properties without COM."""
        return self._accessor.values


class MailItem(OutlookItem):
    kind = "MailItem"


class MeetingItem(OutlookItem):
    kind = "MeetingItem"
