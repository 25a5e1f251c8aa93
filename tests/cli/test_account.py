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


def test_graph_account_is_stored(capsys, data, tmp_path, memory_keyring, authority):
    code, out, _ = run(capsys, "account", "add", "m365", "--graph", "--client-id", " abc ",
                       "--tenant", "organizations", "--default", "--device-code", *data)
    assert code == 0
    assert "Microsoft 365 (tenant organizations), default" in out
    [account] = json.loads((tmp_path / "data" / "settings.json").read_text("utf-8"))["accounts"]
    assert (account["kind"], account["client_id"], account["tenant"]) == (
        "graph", "abc", "organizations")
    assert memory_keyring.store == {}  # the sign-in is in the token cache, not the keychain


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


# -- Microsoft 365 (Graph) accounts: real MSAL against the fake Entra ID authority -------------


@pytest.fixture
def authority(monkeypatch):
    """MSAL talks to an in-process fake authority; tokens go to a private file, not a keyring."""
    import msal_extensions

    from missend_guard.runtime import senders as app
    from tests.helpers.fake_authority import FakeAuthority

    fake = FakeAuthority()
    fake.plaintext = True
    real = app.make_graph_auth

    def make(paths, account, options=None):
        return real(paths, account, app.GraphOptions(authority_http_client=fake,
                                                     allow_plaintext_cache=fake.plaintext))

    def no_keyring(location):
        raise RuntimeError("libsecret did not perform properly (test machine)")

    monkeypatch.setattr(app, "make_graph_auth", make)
    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", no_keyring)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    yield fake
    assert fake.unknown == []


def add_graph(capsys, data, *extra):
    from tests.helpers.fake_authority import CLIENT_ID

    return run(capsys, "account", "add", "m365", "--graph", "--client-id", CLIENT_ID,
               "--from", "ken.yamamoto@example.co.jp", *extra, *data)


def cache_file(tmp_path):
    from missend_guard.runtime.senders import graph_token_cache
    from missend_guard.storage.paths import DataPaths

    return graph_token_cache(DataPaths.resolve(tmp_path / "data"), "m365")


def test_graph_without_client_id_explains_the_app_registration(capsys, data, tmp_path,
                                                               memory_keyring):
    code, _out, err = run(capsys, "account", "add", "m365", "--graph", *data)
    assert code == 2
    assert "--client-id" in err
    assert "docs/microsoft-365.md" in err
    assert "Nothing was saved" in err
    assert "Traceback" not in err
    assert run(capsys, "account", "list", *data)[1].startswith("No upstream account")


@pytest.mark.usefixtures("memory_keyring")
def test_graph_add_signs_in_with_a_code_then_test_and_remove(capsys, data, tmp_path, authority):
    code, out, err = add_graph(capsys, data)  # no display here: the device code is used
    assert code == 0, err
    assert "To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH." in out
    assert "Signed in to Microsoft 365 as ken.yamamoto@example.co.jp" in out
    assert "Microsoft 365 (tenant organizations), from ken.yamamoto@example.co.jp" in out
    assert cache_file(tmp_path).exists()
    assert authority.grants() == ["urn:ietf:params:oauth:grant-type:device_code"]

    code, out, _ = run(capsys, "account", "test", "m365", *data)
    assert code == 0
    assert out.startswith("m365: OK, signed in to Microsoft 365 as ken.yamamoto@example.co.jp")
    assert authority.grants()[-1] == "refresh_token"  # really asked Microsoft, not only the cache

    authority.revoked |= authority.issued_refresh  # the admin revoked the sessions
    code, out, err = run(capsys, "account", "test", "m365", *data)
    assert code == 1
    assert out.startswith("m365: NOT SIGNED IN: Microsoft 365 asks to sign in again: AADSTS50173")
    assert "missend-guard account add m365 --graph --client-id" in out
    assert "Traceback" not in out + err

    code, out, _ = run(capsys, "account", "remove", "m365", *data)
    assert code == 0
    assert "signed out of Microsoft 365" in out
    assert not cache_file(tmp_path).exists()
    assert no_accounts_left(capsys, data)


def no_accounts_left(capsys, data) -> bool:
    return run(capsys, "account", "list", *data)[1].startswith("No upstream account")


@pytest.mark.usefixtures("memory_keyring")
def test_graph_browser_failure_falls_back_to_a_device_code(capsys, data, authority, monkeypatch):
    from missend_guard.transports.senders.graph.auth import GraphAuth, GraphAuthError

    tried = []

    def no_browser(self, *, timeout=300):
        tried.append(timeout)
        raise GraphAuthError("Browser sign-in could not start: could not locate runnable browser")

    monkeypatch.setattr("missend_guard.cli.account.browser_available", lambda: True)
    monkeypatch.setattr(GraphAuth, "sign_in_interactive", no_browser)
    code, out, err = add_graph(capsys, data)
    assert code == 0, err
    assert tried == [300]
    assert "Opening Microsoft's sign-in page in your browser" in out
    assert "enter ABCD-EFGH" in out
    assert "Signed in to Microsoft 365 as ken.yamamoto@example.co.jp" in out


@pytest.mark.usefixtures("memory_keyring")
def test_graph_sign_in_refused_keeps_the_account_and_says_how_to_retry(capsys, data, authority):
    from tests.helpers.fake_authority import FakeResponse

    real_post = authority.post

    def refuse_device_flow(url, **kwargs):
        if url.endswith("/devicecode"):
            return FakeResponse(400, {
                "error": "invalid_client",
                "error_description": "AADSTS7000218: The request body must contain "
                                     "'client_assertion' or 'client_secret'.\r\nTrace ID: x",
            })
        return real_post(url, **kwargs)

    authority.post = refuse_device_flow
    code, out, err = add_graph(capsys, data, "--device-code", "--tenant", "organizations")
    assert code == 1
    assert "saved but not signed in: Microsoft refused the device sign-in: AADSTS7000218" in err
    assert "--device-code (or from the tray app)" in err
    assert "Traceback" not in err
    assert run(capsys, "account", "list", *data)[1].startswith("m365\tgraph\t")
    code, out, _ = run(capsys, "account", "test", "m365", *data)
    assert code == 1
    assert out.startswith("m365: NOT SIGNED IN: Not signed in to Microsoft 365 yet.")


@pytest.mark.usefixtures("memory_keyring")
def test_graph_without_safe_token_storage_saves_nothing(capsys, data, tmp_path, authority):
    authority.plaintext = False
    code, _out, err = add_graph(capsys, data)
    assert code == 2
    assert "No encrypted storage for the Microsoft 365 sign-in" in err
    assert "libsecret" in err
    assert "Traceback" not in err
    assert run(capsys, "account", "list", *data)[1].startswith("No upstream account")
    assert not cache_file(tmp_path).exists()
