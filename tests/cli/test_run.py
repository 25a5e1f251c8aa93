"""`run`: option checking and the message when no display is available (headless runs: tests/e2e)."""

from __future__ import annotations

import pytest

from missend_guard.cli import main


def test_run_without_display_suggests_headless(capsys, monkeypatch, tmp_path):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    code = main(["run", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--headless" in err


@pytest.mark.parametrize(("option", "value"), [("--relay-port", "70000"), ("--relay-port", "x"),
                                               ("--hold-seconds", "-1"), ("--hold-seconds", "nan")])
def test_bad_values_are_refused_by_the_parser(capsys, option, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--headless", option, value])
    assert exit_info.value.code == 2


def test_port_in_use_is_a_clear_error(capsys, monkeypatch, tmp_path, memory_keyring):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["run", "--headless", "--relay-port", str(port), "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err
