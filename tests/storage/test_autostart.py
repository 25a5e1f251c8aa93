"""Start at login: Run key, LaunchAgent and XDG entries written, read back and removed."""

from __future__ import annotations

import plistlib
import subprocess
from pathlib import Path

import pytest

from missend_guard.storage.autostart import (
    RUN_KEY,
    Autostart,
    AutostartError,
    MacLaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    launch_command,
)
from tests.helpers import fake_winreg
from tests.helpers.fake_winreg import FakeRegistry

BUNDLE_WIN = [r"C:\Users\山田 太郎\AppData\Local\Programs\MissendGuard\MissendGuard.exe", "run"]


def test_windows_run_key_quotes_paths_with_spaces_and_reads_them_back() -> None:
    reg = FakeRegistry()
    writer = WindowsRunKey(reg)
    Autostart(writer, BUNDLE_WIN).enable()
    value, kind = reg.keys[(fake_winreg.HKEY_CURRENT_USER, RUN_KEY.lower())]["MissendGuard"]
    assert kind == fake_winreg.REG_SZ
    assert value == '"' + BUNDLE_WIN[0] + '" run'
    assert writer.read() == BUNDLE_WIN
    auto = Autostart(writer, BUNDLE_WIN)
    assert auto.is_enabled()
    assert auto.is_current()
    auto.disable()
    assert not auto.is_enabled()
    auto.disable()  # already gone: no error


def test_windows_run_key_absent_key_is_disabled() -> None:
    assert not Autostart(WindowsRunKey(FakeRegistry()), BUNDLE_WIN).is_enabled()


def test_launch_agent_plist(tmp_path: Path) -> None:
    command = ["/Applications/Missend Guard.app/Contents/MacOS/missend-guard", "run"]
    agent = MacLaunchAgent(tmp_path / "LaunchAgents")
    auto = Autostart(agent, command)
    auto.enable()
    data = plistlib.loads((tmp_path / "LaunchAgents" / "jp.missendguard.MissendGuard.plist").read_bytes())
    assert data["Label"] == "jp.missendguard.MissendGuard"
    assert data["ProgramArguments"] == command
    assert data["RunAtLoad"] is True
    assert data["KeepAlive"] is False  # Quit stays quit
    assert auto.is_current()
    auto.disable()
    assert not agent.path.exists()


def test_damaged_launch_agent_counts_as_enabled_and_is_rewritten(tmp_path: Path) -> None:
    agent = MacLaunchAgent(tmp_path)
    agent.path.write_bytes(b"<plist><dict>")
    auto = Autostart(agent, ["/Applications/Missend Guard.app/Contents/MacOS/missend-guard", "run"])
    assert auto.is_enabled()
    assert not auto.is_current()
    auto.apply(True)
    assert auto.is_current()


def test_xdg_entry_escapes_exec_per_desktop_entry_spec(tmp_path: Path) -> None:
    command = ["/home/taro/アプリ/Missend Guard/missend-guard", "run", "--data-dir", '/tmp/100%"$x']
    entry = XdgAutostart(tmp_path / "autostart")
    Autostart(entry, command).enable()
    text = (tmp_path / "autostart" / "MissendGuard.desktop").read_text(encoding="utf-8")
    assert 'Exec="/home/taro/アプリ/Missend Guard/missend-guard" run --data-dir "/tmp/100%%\\"\\$x"\n' in text
    assert "Type=Application\n" in text
    assert entry.read() == command


def test_xdg_entry_hidden_true_means_disabled(tmp_path: Path) -> None:
    entry = XdgAutostart(tmp_path)
    entry.write(["/opt/missend-guard/missend-guard", "run"])
    entry.path.write_text(entry.path.read_text(encoding="utf-8") + "Hidden=true\n", encoding="utf-8")
    assert not Autostart(entry, ["x"]).is_enabled()


def test_apply_follows_the_setting_and_rewrites_a_stale_entry(tmp_path: Path) -> None:
    entry = XdgAutostart(tmp_path)
    entry.write(["/old/place/missend-guard", "run"])  # the app was moved since
    auto = Autostart(entry, ["/opt/missend-guard/missend-guard", "run"])
    assert auto.is_enabled()
    assert not auto.is_current()
    auto.apply(True)
    assert entry.read() == ["/opt/missend-guard/missend-guard", "run"]
    auto.apply(False)
    assert not entry.path.exists()


def test_unwritable_location_raises_autostart_error(tmp_path: Path) -> None:
    blocker = tmp_path / "autostart"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(AutostartError, match="autostart"):
        Autostart(XdgAutostart(blocker), ["/opt/mg", "run"]).enable()


def test_frozen_bundle_on_windows_prefers_the_windowed_executable(tmp_path: Path) -> None:
    console = tmp_path / "missend-guard.exe"
    console.write_bytes(b"MZ")
    assert launch_command(frozen=True, executable=str(console), platform="win32") == [str(console), "run"]
    windowed = tmp_path / "MissendGuard.exe"
    windowed.write_bytes(b"MZ")
    assert launch_command(frozen=True, executable=str(console), platform="win32") == [str(windowed), "run"]


def test_frozen_bundle_points_at_itself_not_at_python(tmp_path: Path) -> None:
    exe = "/Applications/Missend Guard.app/Contents/MacOS/missend-guard"
    assert launch_command(frozen=True, executable=exe, platform="darwin") == [exe, "run"]


def test_source_install_uses_the_console_script_beside_the_interpreter(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python3"
    python.parent.mkdir()
    script = tmp_path / "bin" / "missend-guard"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    assert launch_command(frozen=False, executable=str(python), platform="linux") == [str(script), "run"]


def test_windows_command_line_round_trip() -> None:
    from missend_guard.storage.autostart import _split_windows

    args = [r"C:\Program Files\Missend Guard\MissendGuard.exe", "run", "--data-dir", r"D:\メール データ"]
    assert _split_windows(subprocess.list2cmdline(args)) == args
