"""GraphSender against the validating fake Graph: request shapes, big mail, errors, resume."""

from __future__ import annotations

import base64
import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from missend_guard.core.ports.sending import DeliveryError
from missend_guard.transports.senders.graph.auth import GraphAuthError, SignInRequired
from missend_guard.transports.senders.graph.mime import envelope_only, header_recipients, with_bcc
from missend_guard.transports.senders.graph.replies import parse_retry_after
from missend_guard.transports.senders.graph.sender import (
    CHUNK,
    GraphSender,
    GraphSignInRequiredError,
    resume_key,
)
from tests.helpers.big_mail import MiB, big_mail
from tests.helpers.fake_graph import FakeGraph, strip_bcc
from tests.helpers.sender_contract import BCC, CC, FROM, TO, jis_mail


@pytest.fixture
def fake_graph():
    fake = FakeGraph().start()
    yield fake
    fake.stop()
    assert fake.errors == []


@pytest.fixture
def client():
    with httpx.Client(timeout=10) as http:
        yield http


def make_sender(fake, client, **kwargs):
    kwargs.setdefault("token_provider", lambda: "good-token")
    return GraphSender(base_url=fake.url, http_client=client, **kwargs)




# -- small mail: one sendMail with the exact bytes --------------------------------------------


def test_small_japanese_mail_is_one_sendmail_with_the_exact_bytes(fake_graph, client):
    raw = jis_mail()
    reply = make_sender(fake_graph, client).send(raw, FROM, [TO, CC])
    assert fake_graph.requests == [("POST", "/v1.0/me/sendMail")]
    assert fake_graph.deliveries[0].submitted == raw
    assert "202" in reply
    assert "fake-req-1" in reply  # request-id kept for the audit log


def test_bcc_only_recipient_is_added_as_bcc_header(fake_graph, client):
    raw = jis_mail(cc=None)
    make_sender(fake_graph, client).send(raw, FROM, [TO, BCC])
    posted = fake_graph.deliveries[0].submitted
    assert posted == b"Bcc: " + BCC.encode() + b"\r\n" + raw
    assert fake_graph.deliveries[0].recipients == {TO, BCC}
    assert BCC.encode() not in fake_graph.deliveries[0].mime


def test_existing_bcc_field_is_extended_not_duplicated():
    raw = b"From: a@x.jp\r\nTo: b@x.jp\r\nBcc: c@x.jp\r\nSubject: s\r\n\r\nbody\r\n"
    out = with_bcc(raw, ["d@x.jp", "e@x.jp"])
    assert out.lower().count(b"\nbcc:") == 1
    assert sorted(header_recipients(out)) == ["b@x.jp", "c@x.jp", "d@x.jp", "e@x.jp"]
    assert out.endswith(b"Subject: s\r\n\r\nbody\r\n")


def test_empty_bcc_field_gets_the_addresses():
    raw = b"To: b@x.jp\nBcc:\nSubject: s\n\nbody\n"
    out = with_bcc(raw, ["d@x.jp"])
    assert out == b"To: b@x.jp\nBcc:d@x.jp\nSubject: s\n\nbody\n"


def test_many_bcc_recipients_fold_into_short_lines():
    rcpts = [f"person{i:03d}@example.co.jp" for i in range(200)]
    out = with_bcc(b"To: a@x.jp\r\n\r\nhi\r\n", rcpts)
    assert max(len(line) for line in out.split(b"\r\n")) < 100
    assert header_recipients(out)[1:] == rcpts


def test_envelope_recipients_compare_case_insensitively():
    raw = jis_mail(to="Sato@Example.co.jp", cc=None)
    assert envelope_only(raw, ["sato@example.co.jp", "x@y.jp", "X@Y.jp"]) == ["x@y.jp"]


def test_header_recipient_missing_from_envelope_is_refused(fake_graph, client):
    with pytest.raises(DeliveryError) as failure:
        make_sender(fake_graph, client).send(jis_mail(), FROM, [TO])  # Cc is not in the envelope
    assert failure.value.temporary is False
    assert CC in failure.value.reply
    assert fake_graph.requests == []


# -- big mail: draft, upload session, small attachment, send ----------------------------------


def test_big_mail_goes_as_draft_with_upload_session_and_small_attachment(fake_graph, client):
    raw, (big, small) = big_mail()
    assert len(raw) > 12 * MiB
    reply = make_sender(fake_graph, client).send(raw, FROM, [TO, BCC])
    assert "draft" in reply
    methods = [(m, p.rsplit("/", 1)[-1]) for m, p in fake_graph.requests]
    assert methods[0] == ("POST", "messages")
    assert methods[-1] == ("POST", "send")
    assert ("POST", "createUploadSession") in methods
    assert ("POST", "attachments") in methods  # the 2.5 MB file, as one JSON fileAttachment
    [upload] = fake_graph.finished_uploads
    assert upload.chunks == [CHUNK, CHUNK, CHUNK, 10 * MiB - 3 * CHUNK]
    [sent] = fake_graph.deliveries
    assert sent.recipients == {TO, BCC}
    assert sorted(sent.attachments) == sorted([
        ("見積書_2026年度.pdf", "application/octet-stream", big),
        ("明細.xlsx", "application/octet-stream", small),
    ])
    body = email.message_from_bytes(sent.mime).get_payload()[0]
    assert body.get_payload(decode=True).decode("iso-2022-jp") == "資料を添付いたします。\n"


def test_big_mail_keeps_small_files_in_the_draft_mime_when_it_fits(fake_graph, client):
    raw, (big, small) = big_mail(sizes=(5 * MiB, 200_000), names=("図面.dwg", "メモ.txt"))
    make_sender(fake_graph, client).send(raw, FROM, [TO])
    assert not any(p.endswith("/attachments") for _, p in fake_graph.requests)
    [sent] = fake_graph.deliveries
    assert [a[2] for a in sent.attachments] == [big]
    kept = email.message_from_bytes(sent.mime).get_payload()[1]
    assert kept.get_payload(decode=True) == small


def test_body_too_big_without_attachments_fails_clearly(fake_graph, client):
    raw = jis_mail(cc=None, body_lines=160_000)  # ~5 MB of text, nothing to detach
    with pytest.raises(DeliveryError) as failure:
        make_sender(fake_graph, client).send(raw, FROM, [TO])
    assert failure.value.temporary is False
    assert "without attachments" in failure.value.reply
    assert fake_graph.deliveries == []


def test_no_sent_items_copy_marks_the_draft_delete_after_submit(fake_graph, client):
    make_sender(fake_graph, client, save_to_sent_items=False).send(jis_mail(), FROM, [TO, CC])
    paths = [(m, p.rsplit("/", 1)[-1]) for m, p in fake_graph.requests]
    assert ("POST", "sendMail") not in paths
    assert paths[1][0] == "PATCH"
    assert fake_graph.drafts == {}  # deleted after submit, not moved to Sent Items
    assert fake_graph.deliveries[0].mime == jis_mail()


# -- errors ----------------------------------------------------------------------------------


def test_429_is_temporary_with_retry_after_and_the_retry_delivers_once(fake_graph, client):
    sender = make_sender(fake_graph, client)
    fake_graph.fail_next(429, code="ApplicationThrottled", headers={"Retry-After": "17"})
    with pytest.raises(DeliveryError) as failure:
        sender.send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is True
    assert failure.value.retry_after == 17
    assert "ApplicationThrottled" in failure.value.reply
    sender.send(jis_mail(), FROM, [TO, CC])
    assert len(fake_graph.deliveries) == 1


@pytest.mark.parametrize("status", [503, 504, 500])
def test_server_trouble_is_temporary(fake_graph, client, status):
    fake_graph.fail_next(status, code="ServiceUnavailable")
    with pytest.raises(DeliveryError) as failure:
        make_sender(fake_graph, client).send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is True


@pytest.mark.parametrize(("status", "code"), [
    (400, "ErrorInvalidRecipients"), (403, "ErrorSendAsDenied"), (404, "ErrorItemNotFound"),
])
def test_refusals_are_permanent_with_graphs_code_and_message(fake_graph, client, status, code):
    fake_graph.fail_next(status, code=code, message="The user account which was used to submit")
    with pytest.raises(DeliveryError) as failure:
        make_sender(fake_graph, client).send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is False
    assert code in failure.value.reply
    assert "used to submit" in failure.value.reply


def test_retry_after_as_http_date():
    now = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == 90
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("-5") == 0


def test_expired_token_gets_one_silent_refresh(fake_graph, client):
    calls = []
    sender = make_sender(
        fake_graph, client, token_provider=lambda: calls.append("cached") or "expired-token",
        refresh_token=lambda: calls.append("refresh") or "good-token",
    )
    sender.send(jis_mail(), FROM, [TO, CC])
    assert calls == ["cached", "refresh"]
    assert len(fake_graph.deliveries) == 1


def test_token_refused_twice_asks_for_sign_in_and_keeps_the_mail(fake_graph, client):
    prompts = []
    sender = make_sender(fake_graph, client, token_provider=lambda: "revoked",
                         on_sign_in_required=prompts.append)
    with pytest.raises(GraphSignInRequiredError) as failure:
        sender.send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is True
    assert "Sign in to Microsoft 365 again" in failure.value.reply
    assert prompts == [failure.value.reply]
    assert fake_graph.deliveries == []


def test_sign_in_required_from_the_token_provider_sends_nothing(fake_graph, client):
    def provider():
        raise SignInRequired("refresh token revoked")

    prompts = []
    with pytest.raises(GraphSignInRequiredError) as failure:
        make_sender(fake_graph, client, token_provider=provider,
                    on_sign_in_required=prompts.append).send(jis_mail(), FROM, [TO, CC])
    assert "revoked" in failure.value.reply
    assert len(prompts) == 1
    assert fake_graph.requests == []


def test_sign_in_service_unreachable_is_temporary(fake_graph, client):
    def provider():
        raise GraphAuthError("Could not reach Microsoft sign-in")

    with pytest.raises(DeliveryError) as failure:
        make_sender(fake_graph, client, token_provider=provider).send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is True
    assert not isinstance(failure.value, GraphSignInRequiredError)


def test_unreachable_graph_is_temporary(client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the send: connection refused
    sender = GraphSender(lambda: "good-token", base_url=f"http://127.0.0.1:{port}/v1.0",
                         http_client=client)
    with pytest.raises(DeliveryError) as failure:
        sender.send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is True
    assert "unreachable" in failure.value.reply


# -- nothing sent twice after a lost reply ----------------------------------------------------


def test_lost_sendmail_reply_is_found_in_sent_items_not_sent_again(fake_graph, client):
    state: dict[str, str] = {}
    sender = make_sender(fake_graph, client, state=state)
    fake_graph.fail_next(202, drop_reply_after_processing=True)
    with pytest.raises(DeliveryError) as failure:
        sender.send(jis_mail(), FROM, [TO, CC])
    assert failure.value.temporary is True
    assert len(fake_graph.deliveries) == 1  # it did go out
    assert state  # the sender remembers it may have sent
    reply = make_sender(fake_graph, client, state=state).send(jis_mail(), FROM, [TO, CC])
    assert "already sent" in reply
    assert len(fake_graph.deliveries) == 1
    assert state == {}


def test_lost_reply_to_draft_send_resumes_without_a_second_send(fake_graph, client):
    raw, _ = big_mail(sizes=(4 * MiB,), names=("a.bin",))
    state: dict[str, str] = {}
    sender = make_sender(fake_graph, client, state=state)
    fake_graph.fail_next(202, drop_reply_after_processing=True, path_suffix="/send")
    with pytest.raises(DeliveryError):
        sender.send(raw, FROM, [TO])
    assert len(fake_graph.deliveries) == 1
    assert "already sent" in sender.send(raw, FROM, [TO])
    assert len(fake_graph.deliveries) == 1
    assert state == {}


def test_interrupted_upload_resumes_on_the_same_draft_without_duplicate_files(fake_graph, client):
    raw, (big, small) = big_mail(sizes=(4 * MiB, int(3.5 * MiB)), names=("大.bin", "中.bin"))
    state: dict[str, str] = {}
    sender = make_sender(fake_graph, client, state=state)
    original = fake_graph.api

    def fail_upload_session(method, path, *args):
        # the first file is attached when the second one's session fails
        if path.endswith("createUploadSession") and len(fake_graph.finished_uploads) == 1 \
                and not fake_graph.uploads:
            return 503, {"error": {"code": "ServiceUnavailable", "message": "busy"}}, {}
        return original(method, path, *args)

    fake_graph.api = fail_upload_session
    with pytest.raises(DeliveryError) as failure:
        sender.send(raw, FROM, [TO])
    assert failure.value.temporary is True
    assert resume_key(raw, [TO]) in state
    fake_graph.api = original
    sender.send(raw, FROM, [TO])
    assert sum(1 for m, p in fake_graph.requests if m == "POST" and p == "/v1.0/me/messages") == 1
    assert len(fake_graph.finished_uploads) == 2
    [sent] = fake_graph.deliveries
    assert sorted(a[2] for a in sent.attachments) == sorted([big, small])


def test_permanent_failure_mid_draft_discards_the_draft(fake_graph, client):
    raw, _ = big_mail(sizes=(4 * MiB,), names=("a.bin",))
    original = fake_graph.api

    def refuse_upload(method, path, *args):
        if path.endswith("createUploadSession"):
            return 413, {"error": {"code": "ErrorAttachmentSizeLimitExceeded", "message": "big"}}, {}
        return original(method, path, *args)

    fake_graph.api = refuse_upload
    state: dict[str, str] = {}
    with pytest.raises(DeliveryError) as failure:
        make_sender(fake_graph, client, state=state).send(raw, FROM, [TO])
    assert failure.value.temporary is False
    assert "ErrorAttachmentSizeLimitExceeded" in failure.value.reply
    assert fake_graph.drafts == {}
    assert state == {}


def test_fake_strips_bcc_like_exchange():
    raw = b"To: a@x.jp\r\nBcc: b@x.jp,\r\n c@x.jp\r\nSubject: s\r\n\r\nBcc: stays in body\r\n"
    assert strip_bcc(raw) == b"To: a@x.jp\r\nSubject: s\r\n\r\nBcc: stays in body\r\n"


def test_posted_mime_is_unbroken_base64(fake_graph, client):
    seen = []
    original = fake_graph.api

    def capture(method, path, query, headers, body):
        seen.append(body)
        return original(method, path, query, headers, body)

    fake_graph.api = capture
    make_sender(fake_graph, client).send(jis_mail(body_lines=2000), FROM, [TO, CC])
    assert b"\n" not in seen[0]
    assert base64.b64decode(seen[0], validate=True) == jis_mail(body_lines=2000)
