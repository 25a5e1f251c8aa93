"""A fake classic Outlook, driven through the bridge exactly as COM drives the real one.

`FakeOutlook` is the Outlook process: its calls into our process (ItemSend, ItemAdd, Quit) are queued
and run only when the bridge's apartment pumps (`FakeCom.pump`), as COM delivers them as window messages.
A user's Send returns a Future with the Cancel value Outlook ended up with; after it the item is in
the Outbox (deferred) or in Sent Items. Builders make items with Japanese names, Exchange users,
lists, embedded items and links.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from missend_guard.transports.outlook.com import E_ABORT, RPC_E_DISCONNECTED, RPC_S_SERVER_UNAVAILABLE
from tests.helpers.fake_outlook_items import (
    NO_DATE,
    PR_ATTACH_CONTENT_ID,
    PR_ATTACH_LONG_PATHNAME,
    PR_ATTACH_METHOD,
    PR_ATTACH_MIME_TAG,
    PR_SMTP_ADDRESS,
    RPC_E_WRONG_THREAD,
    Account,
    AddressEntry,
    Attachment,
    Collection,
    ComError,
    ComObject,
    ExchangeDistributionList,
    ExchangeUser,
    MailItem,
    MeetingItem,
    Member,
    OutlookItem,
    Recipient,
)

OUTBOX, SENT, DRAFTS = 4, 5, 16
OL_TO, OL_CC, OL_BCC = 1, 2, 3


class Items(Collection):
    """A folder's Items; advised sinks hear ItemAdd."""

    kind = "Items"

    def __init__(self, outlook: Any) -> None:
        super().__init__(outlook)
        self.sinks: list[Any] = []


class Folder(ComObject):
    kind = "Folder"
    Name = Member()

    def __init__(self, outlook: Any, name: str) -> None:
        super().__init__(outlook, Name=name)
        self.items = Items(outlook)

    @property
    def Items(self) -> Items:
        self._guard("Items")
        return self.items


class Namespace(ComObject):
    """Application.Session: default folders, accounts, the profile's own mailbox."""

    kind = "Namespace"

    def __init__(self, outlook: Any, accounts: list[Account], me: Recipient) -> None:
        super().__init__(outlook)
        self.folders = {OUTBOX: Folder(outlook, "送信トレイ"), SENT: Folder(outlook, "送信済みアイテム"),
                        DRAFTS: Folder(outlook, "下書き")}
        self._accounts = Collection(outlook, accounts)
        self._me = me
        self.directory: dict[str, AddressEntry] = {}  # what CreateRecipient resolves names to

    def GetDefaultFolder(self, number: int) -> Folder:
        self._guard("GetDefaultFolder")
        return self.folders[number]

    @property
    def Accounts(self) -> Collection:
        self._guard("Accounts")
        return self._accounts

    @property
    def CurrentUser(self) -> Recipient:
        self._guard("CurrentUser", guarded=True)
        return self._me

    def CreateRecipient(self, name: str) -> Recipient:
        self._guard("CreateRecipient")
        entry = self.directory.get(name)
        return Recipient(self._outlook, entry or AddressEntry(self._outlook, Name=name, Type="EX"),
                         Name=name, Type=OL_TO, Resolved=entry is not None,
                         Address=entry._state["Address"] if entry else "")


class Application(ComObject):
    """One connection's Application proxy: dead once Outlook quits, even after it starts again."""

    kind = "Application"
    Name = Member()
    Version = Member()

    def __init__(self, outlook: Any, generation: int) -> None:
        super().__init__(outlook, Name="Outlook", Version="16.0.0.17928")
        self._generation = generation

    def _guard(self, member: str, *, guarded: bool = False) -> None:
        if self._generation != self._outlook.generation:
            raise ComError(RPC_E_DISCONNECTED, "The object invoked has disconnected from its clients.")
        super()._guard(member, guarded=guarded)

    @property
    def Session(self) -> Namespace:
        self._guard("Session")
        return self._outlook.session


class FakeOutlook:
    """The Outlook process. Create it on the test's main thread."""

    def __init__(self, *, account: str = "ken@example.co.jp", account_name: str = "仕事用") -> None:
        self.owner = threading.get_ident()
        self.apartment: int | None = None
        self.running = False
        self.generation = 0
        self.guard_prompt = "allow"  # "deny": guarded members raise E_ABORT (the prompt was denied)
        self.faults: dict[str, BaseException] = {}  # "Class.Member" → raised on every access
        self.accessed: list[str] = []
        self.saved: list[tuple[str, int]] = []  # (path, its folder's mode) of every SaveAsFile
        self._calls: deque[Callable[[], None]] = deque()
        self._ready = threading.Condition()
        self.app_sinks: list[Any] = []
        me = smtp_recipient(self, "山本 健", account)
        self.account = Account(self, DisplayName=account_name, SmtpAddress=account, AccountType=0)
        self.session = Namespace(self, [self.account], me)

    # --- what every COM call checks ------------------------------------------------------------

    def check(self, member: str, *, guarded: bool = False) -> None:
        """Raise what the real Outlook would for a call to `member` now."""
        if not self.running:
            raise ComError(RPC_S_SERVER_UNAVAILABLE, "The RPC server is unavailable.")
        if threading.get_ident() not in (self.apartment, self.owner):
            raise ComError(RPC_E_WRONG_THREAD, "The application called an interface that was "
                                               "marshalled for a different thread.")
        self.accessed.append(member)
        if member in self.faults:
            raise self.faults[member]
        if guarded and self.guard_prompt == "deny":
            raise ComError(E_ABORT, "Operation aborted")

    # --- the process ---------------------------------------------------------------------------

    def start(self) -> None:
        """The user starts Outlook."""
        self.running = True
        self.generation += 1

    def quit(self) -> None:
        """The user closes Outlook: Quit is raised in every client, then the process ends."""
        done = threading.Event()

        def quit_event() -> None:
            for sink in list(self.app_sinks):
                sink.OnQuit()
            self.crash()  # the process ends right after telling its clients
            done.set()

        self._post(quit_event)
        assert done.wait(10), "no client pumped the Quit event"

    def crash(self) -> None:
        """The process ends at once (no Quit event): every proxy is disconnected."""
        self.running = False
        self.generation += 1
        self.app_sinks = []
        for folder in self.session.folders.values():
            folder.items.sinks.clear()

    def user_sends(self, item: OutlookItem) -> Future[bool]:
        """The user clicks Send: ItemSend in every client, then Outlook submits unless cancelled."""
        result: Future[bool] = Future()

        def item_send() -> None:
            cancel = False
            for sink in list(self.app_sinks):
                answer = sink.OnItemSend(item, cancel)  # the return value sets the ByRef Cancel
                if answer is not None:
                    cancel = bool(answer)
            if not cancel and self.running:
                self._submit(item)
            result.set_result(cancel)

        self._post(item_send)
        return result

    def _submit(self, item: OutlookItem) -> None:
        self.move(item, self.session.folders[OUTBOX])
        if item.deferred_until >= NO_DATE:
            self.deliver_due(datetime.now())

    def deliver_due(self, now: datetime) -> list[OutlookItem]:
        """Outlook sends what is due from the Outbox: it moves to Sent Items (ItemAdd is raised)."""
        outbox = self.session.folders[OUTBOX].items.entries
        due = [i for i in outbox if i.deferred_until >= NO_DATE or i.deferred_until <= now]
        sent = self.session.folders[SENT]
        for item in due:
            self.move(item, sent)
            for sink in list(sent.items.sinks):
                self._post(lambda s=sink, i=item: s.OnItemAdd(i))
        return due

    def move(self, item: OutlookItem, folder: Folder) -> None:
        """Item.Move: out of its folder (or its compose window) into `folder`."""
        if item.folder is not None:
            item.folder.items.entries.remove(item)
        folder.items.entries.append(item)
        item.folder = folder

    def folder(self, number: int) -> list[OutlookItem]:
        """A default folder's items (test side)."""
        return list(self.session.folders[number].items.entries)

    def compose(self, item: OutlookItem) -> OutlookItem:
        """An item open in a compose window (not in any folder)."""
        return item

    # --- calls into the client's apartment -----------------------------------------------------

    def _post(self, call: Callable[[], None]) -> None:
        with self._ready:
            self._calls.append(call)
            self._ready.notify_all()

    def wait_for_call(self, timeout: float) -> None:
        """FakeCom.wait: until a call is queued or a wake."""
        with self._ready:
            if not self._calls:
                self._ready.wait(timeout)

    def wake(self) -> None:
        """FakeCom.wake."""
        with self._ready:
            self._ready.notify_all()

    def dispatch(self) -> None:
        """FakeCom.pump: run queued calls one by one (a handler may pump again inside)."""
        while True:
            with self._ready:
                if not self._calls:
                    return
                call = self._calls.popleft()
            call()


class FakeCom:
    """ComApi over a FakeOutlook: the calls the bridge makes to pywin32, with the same outcomes."""

    def __init__(self, outlook: FakeOutlook) -> None:
        self.outlook = outlook
        self.initialized = 0

    def initialize(self) -> None:
        self.outlook.apartment = threading.get_ident()
        self.initialized += 1

    def uninitialize(self) -> None:
        self.initialized -= 1

    def connect(self, events: type) -> Any | None:
        if not self.outlook.running:
            return None  # GetActiveObject: MK_E_UNAVAILABLE (Outlook is never started for us)
        sink = events()  # DispatchWithEvents instantiates the class without arguments
        self.outlook.app_sinks.append(sink)
        return Application(self.outlook, self.outlook.generation)

    def advise(self, source: Any, events: type) -> Any:
        source.sinks.append(events())
        return source

    def wait(self, timeout: float) -> None:
        self.outlook.wait_for_call(timeout)

    def pump(self) -> None:
        self.outlook.dispatch()

    def wake(self) -> None:
        self.outlook.wake()


# --- builders ------------------------------------------------------------------------------------

def smtp_recipient(outlook: FakeOutlook, name: str, address: str, kind: int = OL_TO) -> Recipient:
    """An Internet address typed into the To box."""
    entry = AddressEntry(outlook, Name=name, Address=address, Type="SMTP", AddressEntryUserType=30,
                         DisplayType=0)
    return Recipient(outlook, entry, {PR_SMTP_ADDRESS: address}, Name=name, Address=address,
                     Type=kind, Resolved=True)


def exchange_entry(outlook: FakeOutlook, name: str, smtp: str) -> AddressEntry:
    """A mailbox in the organisation's address list (an X.500 address, SMTP through ExchangeUser)."""
    alias = smtp.partition("@")[0]
    dn = f"/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=a1b2-{alias}"
    user = ExchangeUser(outlook, Name=name, PrimarySmtpAddress=smtp)
    return AddressEntry(outlook, user=user, Name=name, Address=dn, Type="EX",
                        AddressEntryUserType=0, DisplayType=0)


def exchange_recipient(outlook: FakeOutlook, name: str, smtp: str, kind: int = OL_TO, *,
                       smtp_on_recipient: bool = False) -> Recipient:
    """An Exchange user; by default the recipient itself carries no PR_SMTP_ADDRESS."""
    entry = exchange_entry(outlook, name, smtp)
    properties = {PR_SMTP_ADDRESS: smtp} if smtp_on_recipient else {}
    return Recipient(outlook, entry, properties, Name=name, Address=entry._state["Address"],
                     Type=kind, Resolved=True)


def exchange_list(outlook: FakeOutlook, name: str, smtp: str, members: list[AddressEntry] | None,
                  kind: int = OL_TO) -> Recipient:
    """An Exchange distribution list; `members` None cannot be expanded (dynamic, or offline)."""
    group = ExchangeDistributionList(outlook, None if members is None else Collection(outlook, members),
                                     Name=name, PrimarySmtpAddress=smtp)
    entry = AddressEntry(outlook, group=group, Name=name, Address=f"/o=ExchangeLabs/cn={name}",
                         Type="EX", AddressEntryUserType=1, DisplayType=1)
    return Recipient(outlook, entry, {}, Name=name, Address=entry._state["Address"], Type=kind,
                     Resolved=True)


def contact_group(outlook: FakeOutlook, name: str, members: list[AddressEntry],
                  kind: int = OL_TO) -> Recipient:
    """A contact group from the user's Contacts (no address of its own)."""
    entry = AddressEntry(outlook, members=Collection(outlook, members), Name=name, Address="",
                         Type="MAPIPDL", AddressEntryUserType=11, DisplayType=5)
    return Recipient(outlook, entry, {}, Name=name, Address="", Type=kind, Resolved=True)


def smtp_entry(outlook: FakeOutlook, name: str, address: str) -> AddressEntry:
    """A list member with an Internet address."""
    return AddressEntry(outlook, Name=name, Address=address, Type="SMTP", AddressEntryUserType=30,
                        DisplayType=0)


def file(outlook: FakeOutlook, name: str, data: bytes, *, content_id: str = "",
         mime: str = "") -> Attachment:
    """An attached file (by value)."""
    properties: dict[str, Any] = {PR_ATTACH_METHOD: 1}
    if content_id:
        properties[PR_ATTACH_CONTENT_ID] = content_id
    if mime:
        properties[PR_ATTACH_MIME_TAG] = mime
    return Attachment(outlook, data, properties, FileName=name, DisplayName=name, Type=1,
                      Size=len(data) + 200)


def embedded_item(outlook: FakeOutlook, subject: str, msg: bytes) -> Attachment:
    """An Outlook item attached to the mail (saved as .msg; FileName is its subject)."""
    return Attachment(outlook, msg, {PR_ATTACH_METHOD: 5}, FileName=f"{subject}.msg",
                      DisplayName=subject, Type=5, Size=len(msg) + 400)


def cloud_link(outlook: FakeOutlook, name: str, url: str) -> Attachment:
    """A OneDrive/SharePoint link attached as a file (ATTACH_BY_WEB_REFERENCE)."""
    return Attachment(outlook, b"", {PR_ATTACH_METHOD: 7, PR_ATTACH_LONG_PATHNAME: url},
                      FileName=name, DisplayName=name, Type=1, Size=0)


GREETING = "佐藤様\r\n\r\nお世話になっております。\r\n"


def mail(outlook: FakeOutlook, *, subject: str = "お見積りの件", body: str = GREETING,
         html: str = "", recipients: list[Recipient], attachments: list[Attachment] | None = None,
         account: bool = True, behalf: str = "") -> MailItem:
    """A mail open in a compose window."""
    return MailItem(outlook, recipients, attachments or [], Class=43, Subject=subject, Body=body,
                    HTMLBody=html or f"<html><body>{body}</body></html>", BodyFormat=2 if html else 1,
                    SentOnBehalfOfName=behalf, SendUsingAccount=outlook.account if account else None)


def meeting(outlook: FakeOutlook, *, subject: str = "定例会議", recipients: list[Recipient],
            attachments: list[Attachment] | None = None) -> MeetingItem:
    """A meeting request being sent (recipient Type 3 is a resource, not Bcc)."""
    return MeetingItem(outlook, recipients, attachments or [], Class=53, Subject=subject,
                       Body="定例会議のご案内です。\r\n", HTMLBody="", BodyFormat=1, SentOnBehalfOfName="",
                       SendUsingAccount=outlook.account)
