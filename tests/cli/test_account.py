"""`account add|list|remove|test` and `relay-password`, in-process with a memory keychain."""

from __future__ import annotations

import io
import json

import pytest

from missend_guard.cli import main
from tests.conftest import SINK_PASSWORD, SINK_USER, MemoryKeyring


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path):
    return ["--data-dir", str(tmp_path / "data")]


def test_add_stores_the_password_only_in_the_keychain(capsys, data, tmp_path, monkeypatch,
                                                      memory_keyring: MemoryKeyring):
    monkeypatch.setattr("sys.stdin", io.StringIO("pässwörd-秘密\n"))
    code, out, _ = run(capsys, "account", "add", "work", "--host", "smtp.example.co.jp", "--port",
                       "587", "--security", "starttls", "--username", "ken", "--password-stdin",
                       "--default", "--from", "Ken@Example.co.jp", *data)
    assert code == 0
    assert "Account work saved: smtp.example.co.jp:587 starttls, user ken" in out
    assert memory_keyring.store[("missend-guard", "account:work")] == "pässwörd-秘密"
    settings_text = (tmp_path / "data" / "settings.json").read_text(encoding="utf-8")
    assert "pässwörd" not in settings_text
    [account] = json.loads(settings_text)["accounts"]
    assert account["from_addresses"] == ["ken@example.co.jp"]
    code, out, _ = run(capsys, "account", "list", *data)
    assert out.startswith("work\tsmtp\tsmtp.example.co.jp:587 starttls, user ken")


def test_add_again_replaces_and_only_one_default(capsys, data, memory_keyring, monkeypatch):
    for name in ("a", "b"):
        assert run(capsys, "account", "add", name, "--host", "127.0.0.1", "--port", "25",
                   "--security", "none", "--default", *data)[0] == 0
    _, out, _ = run(capsys, "account", "list", *data)
    assert [line.endswith("default") for line in out.splitlines()] == [False, True]


def test_security_none_to_a_remote_host_is_refused(capsys, data, memory_keyring):
    code, _, err = run(capsys, "account", "add", "x", "--host", "smtp.example.com", "--port",
                         "25", "--security", "none", *data)
    assert code == 2
    assert "only allowed for a server on this computer" in err
    assert "Traceback" not in err
    assert run(capsys, "account", "list", *data)[1].startswith("No upstream account")


def test_missing_smtp_options_are_named(capsys, data, memory_keyring):
    code, _, err = run(capsys, "account", "add", "x", "--host", "h", *data)
    assert code == 2
    assert "--port, --security needed" in err


def test_remove_deletes_account_and_password(capsys, data, memory_keyring, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    run(capsys, "account", "add", "w", "--host", "smtp.example.jp", "--port", "465", "--security",
        "ssl", "--username", "u", "--password-stdin", *data)
    assert run(capsys, "account", "remove", "w", *data)[0] == 0
    assert memory_keyring.store == {}
    assert run(capsys, "account", "remove", "w", *data)[0] == 2


def test_graph_account_is_stored(capsys, data, memory_keyring):
    code, out, _ = run(capsys, "account", "add", "m365", "--graph", "--client-id", "abc",
                       "--tenant", "contoso.onmicrosoft.com", *data)
    assert code == 0
    assert "Microsoft 365 (tenant contoso.onmicrosoft.com)" in out


@pytest.mark.usefixtures("memory_keyring")
def test_account_test_reports_the_servers_answer(capsys, data, monkeypatch, tls_sink_factory,
                                                 ca_file):
    sink = tls_sink_factory("starttls")
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)  # the system store, as an admin's CA would be
    monkeypatch.setattr("sys.stdin", io.StringIO(SINK_PASSWORD + "\n"))
    run(capsys, "account", "add", "t", "--host", "127.0.0.1", "--port", str(sink.port),
        "--security", "starttls", "--username", SINK_USER, "--password-stdin", *data)
    code, out, _ = run(capsys, "account", "test", "t", *data)
    assert code == 0, out
    assert out.startswith(f"127.0.0.1:{sink.port} OK, starttls verified, logged in as {SINK_USER}")
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    run(capsys, "account", "add", "t", "--host", "127.0.0.1", "--port", str(sink.port),
        "--security", "starttls", "--username", SINK_USER, "--password-stdin", *data)
    code, out, _ = run(capsys, "account", "test", "t", *data)
    assert code == 1
    assert "FAILED (permanent): login refused: 535" in out


def test_relay_password_is_stable(capsys, data, memory_keyring):
    first = run(capsys, "relay-password", *data)[1].strip()
    second = run(capsys, "relay-password", *data)[1].strip()
    assert first == second
    assert len(first) >= 24


def test_no_keychain_is_one_paragraph_and_exit_2(capsys, data, monkeypatch):
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        code, out, err = run(capsys, "relay-password", *data)
    finally:
        keyring.set_keyring(previous)
    assert code == 2
    assert out == ""
    assert "PYTHON_KEYRING_BACKEND" in err
    assert "Traceback" not in err
