"""GraphAuth with real MSAL against a fake Entra ID authority (an in-process http_client)."""

from __future__ import annotations

import socket
import stat

import httpx
import msal_extensions
import pytest

from missend_guard.transports.senders.graph import auth as graph_auth
from missend_guard.transports.senders.graph.auth import (
    PLAINTEXT_CACHE_ENV,
    GraphAuth,
    GraphAuthError,
    SignInRequired,
    plaintext_cache_allowed,
)
from missend_guard.transports.senders.graph.sender import GraphSender, GraphSignInRequiredError
from tests.helpers.fake_authority import CLIENT_ID, TENANT, FakeAuthority
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.sender_contract import CC, FROM, TO, jis_mail


@pytest.fixture(autouse=True)
def no_internet_and_no_real_keyring(monkeypatch):
    """Any non-loopback connection fails the test; the user's real keyring is never touched."""
    real_connect = socket.socket.connect

    def loopback_only(sock, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"test tried to reach {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)

    def no_keyring(location):
        raise RuntimeError("libsecret did not perform properly (test machine)")

    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", no_keyring)


@pytest.fixture
def authority():
    fake = FakeAuthority()
    yield fake
    assert fake.unknown == []


def make_auth(tmp_path, authority, **kwargs):
    return GraphAuth(CLIENT_ID, TENANT, tmp_path / "msal" / "work.bin", http_client=authority,
                     allow_plaintext_cache=True, **kwargs)


def signed_in(tmp_path, authority):
    auth = make_auth(tmp_path, authority)
    shown = []
    user = auth.sign_in_device_code(lambda *args: shown.append(args))
    assert user == "ken.yamamoto@example.co.jp"
    assert shown == [("ABCD-EFGH", "https://microsoft.com/devicelogin",
                      "To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH.")]
    return auth


def test_device_code_sign_in_then_token_comes_from_the_cache(tmp_path, authority):
    auth = signed_in(tmp_path, authority)
    assert auth.token() == "at-1"
    assert authority.grants() == ["urn:ietf:params:oauth:grant-type:device_code"]


def test_expired_access_token_is_refreshed_silently(tmp_path, authority):
    authority.expires_in = 60  # MSAL treats tokens expiring within 5 minutes as expired
    auth = signed_in(tmp_path, authority)
    assert auth.token() == "at-2"
    assert authority.grants()[-1] == "refresh_token"


def test_force_refresh_gets_a_new_token_even_when_cached_one_looks_valid(tmp_path, authority):
    auth = signed_in(tmp_path, authority)
    assert auth.token(force_refresh=True) == "at-2"


def test_revoked_refresh_token_means_sign_in_required(tmp_path, authority):
    authority.expires_in = 60
    auth = signed_in(tmp_path, authority)
    authority.revoked.add("rt-1")
    with pytest.raises(SignInRequired, match="revoked"):
        auth.token()


def test_never_signed_in_means_sign_in_required(tmp_path, authority):
    with pytest.raises(SignInRequired):
        make_auth(tmp_path, authority).token()


def test_cache_survives_a_restart_and_is_private(tmp_path, authority):
    signed_in(tmp_path, authority)
    again = make_auth(tmp_path, authority)
    assert again.signed_in_user() == "ken.yamamoto@example.co.jp"
    assert again.token() == "at-1"
    mode = stat.S_IMODE((tmp_path / "msal" / "work.bin").stat().st_mode)
    assert mode == 0o600


def test_sign_out_forgets_the_account(tmp_path, authority):
    auth = signed_in(tmp_path, authority)
    auth.sign_out()
    assert auth.signed_in_user() is None
    with pytest.raises(SignInRequired):
        auth.token()


def test_no_encryption_is_a_clear_error_without_opt_in(tmp_path, authority):
    with pytest.raises(GraphAuthError) as failure:
        GraphAuth(CLIENT_ID, TENANT, tmp_path / "c.bin", http_client=authority)
    assert "libsecret" in str(failure.value)
    assert PLAINTEXT_CACHE_ENV in str(failure.value)
    assert not (tmp_path / "c.bin").exists()


def test_encrypted_persistence_is_preferred(tmp_path, authority, monkeypatch):
    built = []

    def encrypted(location):
        persistence = msal_extensions.FilePersistence(location)
        built.append(persistence)
        return persistence

    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", encrypted)
    auth = GraphAuth(CLIENT_ID, TENANT, tmp_path / "c.bin", http_client=authority)
    auth.sign_in_device_code(lambda *args: None)
    assert len(built) == 1
    assert "at-1" in built[0].load()


def test_missing_client_id_is_a_clear_error(tmp_path):
    with pytest.raises(GraphAuthError, match="client id"):
        GraphAuth("  ", TENANT, tmp_path / "c.bin", allow_plaintext_cache=True)


def test_plaintext_opt_in_reads_the_documented_variable():
    assert plaintext_cache_allowed({PLAINTEXT_CACHE_ENV: "1"}) is True
    assert plaintext_cache_allowed({PLAINTEXT_CACHE_ENV: "yes"}) is False
    assert plaintext_cache_allowed({}) is False


def test_unreachable_authority_is_not_a_sign_in_problem(tmp_path, authority):
    auth = signed_in(tmp_path, authority)

    def down(*args, **kwargs):
        raise httpx.ConnectError("network down")

    authority.post = down
    with pytest.raises(GraphAuthError) as failure:
        auth.token(force_refresh=True)
    assert not isinstance(failure.value, SignInRequired)


def test_default_scopes_leave_reserved_ones_to_msal():
    assert "offline_access" not in graph_auth.GRAPH_SCOPES
    assert "Mail.Send" in graph_auth.GRAPH_SCOPES


# -- sign-in and sender together ------------------------------------------------------------


@pytest.fixture
def fake_graph():
    fake = FakeGraph(tokens=set()).start()
    yield fake
    fake.stop()
    assert fake.errors == []


def wired_sender(auth, fake, client, prompts):
    return GraphSender(auth.token, refresh_token=lambda: auth.token(force_refresh=True),
                       base_url=fake.url, http_client=client, on_sign_in_required=prompts.append)


def test_send_with_an_expired_token_refreshes_and_delivers(tmp_path, authority, fake_graph):
    authority.expires_in = 60
    auth = signed_in(tmp_path, authority)
    fake_graph.tokens.add("at-2")  # at-1 expired; only the refreshed token is good
    with httpx.Client(timeout=10) as client:
        wired_sender(auth, fake_graph, client, []).send(jis_mail(), FROM, [TO, CC])
    assert fake_graph.deliveries[0].mime == jis_mail()
    assert authority.grants()[-1] == "refresh_token"


def test_token_rejected_by_graph_is_refreshed_once(tmp_path, authority, fake_graph):
    auth = signed_in(tmp_path, authority)  # at-1 looks valid to MSAL, but Graph says 401
    fake_graph.tokens.add("at-2")
    with httpx.Client(timeout=10) as client:
        wired_sender(auth, fake_graph, client, []).send(jis_mail(), FROM, [TO, CC])
    assert len(fake_graph.deliveries) == 1
    assert [p for _, p in fake_graph.requests].count("/v1.0/me/sendMail") == 2


def test_revoked_sign_in_holds_the_mail_then_sends_after_signing_in_again(
    tmp_path, authority, fake_graph,
):
    authority.expires_in = 60
    auth = signed_in(tmp_path, authority)
    authority.revoked.add("rt-1")
    prompts: list[str] = []
    with httpx.Client(timeout=10) as client:
        sender = wired_sender(auth, fake_graph, client, prompts)
        with pytest.raises(GraphSignInRequiredError) as failure:
            sender.send(jis_mail(), FROM, [TO, CC])
        assert failure.value.temporary is True  # the outbox keeps it for a retry
        assert prompts == [failure.value.reply]
        assert fake_graph.requests == []
        authority.expires_in = 3600
        auth.sign_in_device_code(lambda *args: None)  # the user signs in again (at-2)
        fake_graph.tokens.add("at-2")
        sender.send(jis_mail(), FROM, [TO, CC])
    assert [d.mime for d in fake_graph.deliveries] == [jis_mail()]
