"""The system opener says whether anything opened the file, per platform, without a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from missend_guard.desktop.opener import SystemOpener, launch

MAIL = Path("/data/returned/m1.eml")


class Runs:
    def __init__(self, works: set[str]) -> None:
        self.works = works
        self.argv: list[list[str]] = []

    def __call__(self, argv) -> bool:
        self.argv.append(list(argv))
        return argv[0] in self.works


def test_linux_uses_xdg_open():
    runs = Runs({"xdg-open"})
    assert SystemOpener("linux", run=runs, which=lambda name: f"/usr/bin/{name}").open(MAIL)
    assert runs.argv == [["xdg-open", str(MAIL)]]


def test_linux_without_a_launcher_says_so_and_tries_gio():
    runs = Runs(set())
    opener = SystemOpener("linux", run=runs, which=lambda name: None if name == "xdg-open" else name)
    assert opener.open(MAIL) is False
    assert runs.argv == [["gio", "open", str(MAIL)]]
    assert SystemOpener("linux", run=runs, which=lambda name: None).open(MAIL) is False
    assert opener.reveal(MAIL) is False
    assert runs.argv[-1] == ["gio", "open", str(MAIL.parent)]


def test_macos_open_and_reveal():
    runs = Runs({"open"})
    opener = SystemOpener("darwin", run=runs)
    assert opener.open(MAIL)
    assert opener.reveal(MAIL)
    assert runs.argv == [["open", str(MAIL)], ["open", "-R", str(MAIL)]]


def test_a_launcher_that_fails_or_is_missing_is_false(tmp_path):
    assert launch([sys.executable, "-c", "raise SystemExit(3)"]) is False
    assert launch([sys.executable, "-c", "pass"]) is True
    assert launch([str(tmp_path / "no-such-launcher")]) is False


@pytest.mark.skipif(sys.platform == "win32", reason="os.startfile exists there")
def test_windows_association_missing_is_false():
    assert SystemOpener("win32", run=Runs(set())).open(MAIL) is False
