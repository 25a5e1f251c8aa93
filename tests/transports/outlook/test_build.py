"""Building the bridge: nothing off Windows, the fake's COM in tests, real pywin32 on Windows CI."""

from __future__ import annotations

import sys
import threading

import pytest

from missend_guard.core.gate import Gate, HeadlessReviewer
from missend_guard.transports.outlook.bridge import OutlookStatus
from missend_guard.transports.outlook.build import build_outlook_bridge, com_available
from missend_guard.transports.outlook.com import describe, hresult_of, outlook_installed
from tests.helpers import fake_winreg
from tests.helpers.fake_outlook import FakeCom, FakeOutlook
from tests.helpers.fake_outlook_items import ComError, outlook_error
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.outlook_rig import wait_until

windows_only = pytest.mark.skipif(sys.platform != "win32", reason="needs Windows and pywin32")


def _gate(audit: MemoryAudit) -> Gate:
    from missend_guard.core.check.context import CheckContext

    return Gate(CheckContext, HeadlessReviewer(), MemoryOutbox(audit=audit), audit)


@pytest.mark.skipif(sys.platform == "win32", reason="off Windows only")
def test_off_windows_there_is_no_bridge_and_nothing_imports_pywin32():
    assert not com_available()
    assert build_outlook_bridge(_gate(MemoryAudit()), MemoryAudit()) is None
    assert "pythoncom" not in sys.modules
    assert "win32com" not in sys.modules


def test_with_a_com_factory_the_bridge_is_built_and_can_be_switched(tmp_path):
    outlook = FakeOutlook()
    outlook.start()
    audit = MemoryAudit()
    bridge = build_outlook_bridge(_gate(audit), audit, com_factory=lambda: FakeCom(outlook),
                                  temp_root=tmp_path)
    assert bridge is not None
    assert bridge.status is OutlookStatus.STOPPED
    bridge.set_enabled(True)
    try:
        assert wait_until(lambda: bridge.status is OutlookStatus.CONNECTED)
        bridge.set_enabled(False)
        assert bridge.status is OutlookStatus.STOPPED
        bridge.set_enabled(True)  # the setting turned on again
        assert wait_until(lambda: bridge.status is OutlookStatus.CONNECTED)
    finally:
        bridge.stop()
    assert not any(t.name == "outlook-bridge" for t in threading.enumerate())


def test_outlook_is_found_in_the_registry_for_the_wizards_offer():
    registry = fake_winreg.FakeRegistry()
    assert not outlook_installed(registry)
    registry.set(fake_winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Classes\Outlook.Application\CLSID", "",
                 "{0006F03A-0000-0000-C000-000000000046}", fake_winreg.REG_SZ)
    assert outlook_installed(registry)


def test_com_errors_are_described_with_outlooks_own_text():
    error = outlook_error("Outlook does not recognize one or more names.")
    assert hresult_of(error) == -2147352567
    assert describe(error) == "0x80020009 Outlook does not recognize one or more names."
    assert describe(ComError(-2147023174, "The RPC server is unavailable.")) == (
        "0x800706BA The RPC server is unavailable.")
    assert describe(ValueError("x")) == "ValueError: x"


@windows_only
def test_pywin32_connects_only_to_a_running_outlook():
    from missend_guard.transports.outlook.com import Win32Com

    com = Win32Com()
    com.initialize()
    try:
        class Events:
            def OnItemSend(self, item, cancel):
                return cancel

            def OnQuit(self):
                return None

        # CI has no Outlook: GetActiveObject fails and nothing is started.
        assert com.connect(Events) is None
        com.wake()
        com.wait(0.5)  # returns at once: the wake event is set
        com.pump()
    finally:
        com.uninitialize()
