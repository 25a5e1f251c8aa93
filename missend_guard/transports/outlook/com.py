"""The COM boundary: what the bridge needs from pywin32, and its Windows implementation (imported lazily)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, Protocol

# HRESULTs the bridge tells apart (pywintypes.com_error.hresult, signed 32-bit).
E_ABORT = -2147467260  # 0x80004004: the Object Model Guard prompt was denied
E_ACCESSDENIED = -2147024891  # 0x80070005: programmatic access refused by policy
DISP_E_EXCEPTION = -2147352567  # 0x80020009: Outlook raised an error (details in excepinfo)
MK_E_UNAVAILABLE = -2147221021  # 0x800401E3: GetActiveObject: Outlook is not running
CO_E_CLASSSTRING = -2147221005  # 0x800401F3: Outlook.Application is not registered (not installed)
CO_E_SERVER_EXEC_FAILURE = -2146959355  # 0x80080005: Outlook is starting or stopping
RPC_E_DISCONNECTED = -2147417848  # 0x80010108: Outlook went away (quit or crashed)
RPC_S_SERVER_UNAVAILABLE = -2147023174  # 0x800706BA: the Outlook process is gone
RPC_E_SERVERCALL_RETRYLATER = -2147417846  # 0x8001010A: Outlook busy (a modal dialog is open)
RPC_E_CALL_REJECTED = -2147418111  # 0x80010001: Outlook refused the call for now

GONE = frozenset({RPC_E_DISCONNECTED, RPC_S_SERVER_UNAVAILABLE, CO_E_SERVER_EXEC_FAILURE})
DENIED = frozenset({E_ABORT, E_ACCESSDENIED})


def hresult_of(error: BaseException) -> int | None:
    """The HRESULT of a com_error (or a look-alike), else None."""
    code = getattr(error, "hresult", None)
    if isinstance(code, int):
        return code
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    return args[0] if args and isinstance(args[0], int) else None


def outlook_gone(error: BaseException) -> bool:
    """True when `error` says the Outlook process quit or crashed."""
    return hresult_of(error) in GONE


def describe(error: BaseException) -> str:
    """A short, loggable account of a COM error: its HRESULT in hex and Outlook's own text."""
    code = hresult_of(error)
    if code is None:
        return f"{type(error).__name__}: {error}"[:300]
    text = ""
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    if len(args) > 2 and isinstance(args[2], tuple) and len(args[2]) > 2 and args[2][2]:
        text = str(args[2][2])  # excepinfo's description: Outlook's message
    elif len(args) > 1 and args[1]:
        text = str(args[1])
    return f"0x{code & 0xFFFFFFFF:08X} {' '.join(text.split())}".strip()[:300]


class AccessDenied(Exception):  # noqa: N818 - named for what Outlook said, like PermissionError
    """Outlook refused to give addresses or contents (the Object Model Guard prompt was denied)."""


def attempt(read: Callable[[], Any]) -> Any:
    """`read()`, or None when Outlook raises; a denial (AccessDenied) or Outlook quitting is raised on."""
    try:
        return read()
    except Exception as exc:
        if hresult_of(exc) in DENIED:
            raise AccessDenied(describe(exc)) from exc
        if outlook_gone(exc):
            raise
        return None


def prop(target: Any, name: str) -> Any:
    """`target.name` through `attempt` (None when Outlook raises)."""
    return attempt(lambda: getattr(target, name))


def noted(target: Any, name: str, problems: list[str], what: str) -> Any:
    """`target.name`; when Outlook raises, None and "outlook-unreadable:<what>" in `problems`.

    For values whose absence would let a check pass unseen (a body, the account), unlike `prop`.
    """
    try:
        return getattr(target, name)
    except Exception as exc:
        if hresult_of(exc) in DENIED:
            raise AccessDenied(describe(exc)) from exc
        if outlook_gone(exc):
            raise
        problems.append(f"outlook-unreadable:{what} ({describe(exc)})")
        return None


def call(target: Any, method: str, *args: Any) -> Any:
    """`target.method(*args)` through `attempt` (the method lookup is itself a COM call)."""
    return attempt(lambda: getattr(target, method)(*args))


class ComApi(Protocol):
    """The COM services the bridge thread uses; every method but `wake` runs on that thread."""

    def initialize(self) -> None:
        """Enter a single-threaded apartment (CoInitialize)."""
        ...

    def uninitialize(self) -> None:
        """Leave it (CoUninitialize)."""
        ...

    def connect(self, events: type) -> Any | None:
        """The running Outlook.Application with `events` advised, or None when it is not running.

        Never starts Outlook: only an instance already in the Running Object Table is used.
        """
        ...

    def advise(self, source: Any, events: type) -> Any:
        """`source` (a folder's Items) with `events` advised (DispatchWithEvents)."""
        ...

    def wait(self, timeout: float) -> None:
        """Block until a window message or `wake()` arrives, or `timeout` seconds pass."""
        ...

    def pump(self) -> None:
        """Dispatch waiting window messages: incoming COM calls and events run here."""
        ...

    def wake(self) -> None:
        """Make a `wait` return early (any thread)."""
        ...


class Win32Com:
    """ComApi over pywin32 (Windows only: pythoncom, win32com, win32event are imported here)."""

    def __init__(self) -> None:
        import pythoncom  # noqa: F401 - fail now, not on the bridge thread, when pywin32 is missing
        import win32event

        self._wake_event = win32event.CreateEvent(None, False, False, None)

    def initialize(self) -> None:
        """CoInitialize: the bridge thread is a single-threaded apartment, as Outlook expects."""
        import pythoncom

        pythoncom.CoInitialize()

    def uninitialize(self) -> None:
        """CoUninitialize."""
        import pythoncom

        pythoncom.CoUninitialize()

    def connect(self, events: type) -> Any | None:
        """GetActiveObject, never Dispatch: Dispatch would start Outlook when it is not running."""
        import pythoncom
        import win32com.client

        try:
            running = win32com.client.GetActiveObject("Outlook.Application")
        except pythoncom.com_error as exc:
            if hresult_of(exc) in (MK_E_UNAVAILABLE, CO_E_SERVER_EXEC_FAILURE, CO_E_CLASSSTRING):
                return None
            raise
        return win32com.client.DispatchWithEvents(running, events)

    def advise(self, source: Any, events: type) -> Any:
        """Events of `source` (a folder's Items) delivered to `events`."""
        import win32com.client

        return win32com.client.DispatchWithEvents(source, events)

    def wait(self, timeout: float) -> None:
        """MsgWaitForMultipleObjects: returns for a message, the wake event or the time-out."""
        import win32event

        win32event.MsgWaitForMultipleObjects(
            [self._wake_event], False, max(0, int(timeout * 1000)), win32event.QS_ALLINPUT
        )

    def pump(self) -> None:
        """PumpWaitingMessages: COM delivers Outlook's calls to this apartment as messages."""
        import pythoncom

        pythoncom.PumpWaitingMessages()

    def wake(self) -> None:
        """SetEvent on the wake handle (safe from any thread)."""
        import win32event

        win32event.SetEvent(self._wake_event)


_CLASSES_KEY = r"SOFTWARE\Classes\Outlook.Application\CLSID"


def outlook_installed(registry: Any = None) -> bool:
    """True when classic Outlook is registered for automation (`registry`: winreg, a fake in tests)."""
    if registry is None:
        if sys.platform != "win32":
            return False
        registry = importlib.import_module("winreg")  # only exists on Windows
    for hive in (registry.HKEY_LOCAL_MACHINE, registry.HKEY_CURRENT_USER):
        try:
            with registry.OpenKey(hive, _CLASSES_KEY):
                return True
        except OSError:
            continue
    return False
