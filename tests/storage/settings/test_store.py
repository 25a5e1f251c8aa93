from __future__ import annotations

import json
import os

import pytest

from missend_guard.core.check.findings import Severity
from missend_guard.storage.settings.store import (
    SETTING_GROUPS,
    SETTINGS,
    Account,
    Settings,
    SettingsError,
    SettingsStore,
)

AGREED_KEYS = {
    "relay_port": 2525, "hold_seconds": 10, "max_message_bytes": 50 * 1024 * 1024,
    "retry_max_attempts": 8, "retry_backoff_base_seconds": 30, "retry_backoff_cap_seconds": 1800,
    "headless_block_severity": "warning", "quiet_when_safe": True, "internal_domains": (),
    "blocked_domains": (), "blocked_addresses": (), "max_external_domains_visible": 3,
    "max_external_addresses_visible": 10, "large_attachment_mb": 10, "language": "",
    "start_at_login": False, "audit_subject": "hash", "contacts_files": (),
    "require_protection": False, "zip_refusing_domains": (), "save_to_sent_items": True,
    "keep_protection_passwords_days": 7, "sent_retention_days": 30,
}


def write_policy(paths, data):
    paths.policy_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# -- the table ---------------------------------------------------------------------------------


def test_table_has_agreed_keys_and_defaults():
    defaults = Settings().values
    for key, value in AGREED_KEYS.items():
        assert defaults[key] == value, key
    assert "社外秘" in defaults["confidential_keywords"]


def test_every_spec_is_complete_and_its_default_valid():
    groups = {g.key for g in SETTING_GROUPS}
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    for spec in SETTINGS:
        assert spec.group in groups, spec.key
        assert spec.type in ("bool", "int", "str", "list[str]", "choice"), spec.key
        assert Settings().with_changes(**{spec.key: spec.default}).get(spec.key) == spec.default
        if spec.type == "choice":
            assert spec.default in (spec.choices or ())


def test_defaults_when_no_file(paths):
    store = SettingsStore(paths)
    settings = store.load()
    assert settings.get("relay_port") == 2525
    assert store.problems == []
    assert settings.locked == frozenset()


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("relay_port", 0, "at least 1"),
        ("relay_port", 70000, "at most 65535"),
        ("hold_seconds", "10", "whole number"),
        ("hold_seconds", True, "whole number"),
        ("quiet_when_safe", "yes", "true or false"),
        ("audit_subject", "clear", "'hash', 'plain'"),
        ("internal_domains", "example.com", "list"),
        ("severity_overrides", ["no-such-code=block"], "known code"),
        ("severity_overrides", ["free-mail-domain=fatal"], "unknown severity"),
        ("no_such_setting", 1, "Unknown setting"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(key, value, words):
    with pytest.raises(SettingsError, match=words):
        Settings().with_changes(**{key: value})


def test_hold_zero_allowed_and_lists_normalised():
    s = Settings().with_changes(
        hold_seconds=0,
        internal_domains=[" Example.CO.JP ", "@sub.example.com", "", "example.co.jp"],
        blocked_addresses=["Boss@Rival.com"],
    )
    assert s.get("hold_seconds") == 0
    assert s.get("internal_domains") == ("example.co.jp", "sub.example.com")
    assert s.get("blocked_addresses") == ("boss@rival.com",)


# -- round trip and policy ---------------------------------------------------------------------


def test_round_trip_keeps_values_and_accounts(paths):
    store = SettingsStore(paths)
    account = Account("会社", host="smtp.example.co.jp", port=587, username="ken",
                      from_addresses=("Ken@Example.co.jp",), default=True)
    graph = Account("m365", kind="graph", client_id="abc", tenant="contoso.onmicrosoft.com")
    settings = store.load().with_changes(
        hold_seconds=30, language="ja", confidential_keywords=["社外秘", "関係者限り"],
    ).with_accounts((account, graph))
    store.save(settings)
    raw = paths.settings_file.read_text(encoding="utf-8")
    assert "関係者限り" in raw  # readable UTF-8, not \\u escapes
    assert "password" not in raw
    assert json.loads(raw)["schema_version"] == 1
    loaded = SettingsStore(paths).load()
    assert loaded.values == settings.values
    assert loaded.accounts == (account, graph)
    assert loaded.account_for("ken@example.co.jp") == account
    assert loaded.account_for("other@example.co.jp") == account  # the default
    assert loaded.account("M365") == graph


def test_policy_built_from_settings():
    policy = Settings().with_changes(
        internal_domains=["xn--wgv71a119e.jp", "example.co.jp"],
        blocked_domains=["rival.example"],
        large_attachment_mb=3,
        quiet_when_safe=False,
        require_protection=True,
        zip_refusing_domains=["gov.example"],
        severity_overrides=["free-mail-domain=block", "external-recipient = warning"],
    ).policy()
    assert policy.internal_domains == {"日本語.jp", "example.co.jp"}
    assert policy.is_internal("mail.example.co.jp")
    assert policy.is_blocked("x@rival.example", "rival.example")
    assert policy.large_attachment_bytes == 3 * 1024 * 1024
    assert policy.quiet_when_safe is False
    assert policy.require_protection is True
    assert policy.zip_refusing_domains == {"gov.example"}
    assert policy.severity("free-mail-domain") is Severity.BLOCK
    assert policy.severity("external-recipient") is Severity.WARNING
    assert "社外秘" in policy.confidential_keywords


def test_accounts_are_validated():
    with pytest.raises(SettingsError, match="only allowed for a server on this computer"):
        Account("x", host="smtp.example.com", security="none")
    Account("local", host="127.0.0.1", port=1025, security="none")
    with pytest.raises(SettingsError, match="share the name"):
        Settings().with_accounts((Account("a", host="h"), Account("A", host="h2")))
    with pytest.raises(SettingsError, match="Only one account"):
        Settings().with_accounts(
            (Account("a", host="h", default=True), Account("b", host="h", default=True))
        )


# -- admin policy ------------------------------------------------------------------------------


def test_merge_order_locked_over_user_over_admin_default_over_builtin(paths):
    write_policy(paths, {
        "defaults": {"hold_seconds": 20, "relay_port": 2600, "language": "ja"},
        "locked": {"internal_domains": ["corp.example"], "language": "en"},
    })
    store = SettingsStore(paths)
    store.save(Settings(user_values={"hold_seconds": 5}))
    paths.settings_file.write_text(json.dumps({
        "schema_version": 1, "settings": {"hold_seconds": 5, "language": "ja",
                                          "internal_domains": ["mine.example"]},
    }), encoding="utf-8")
    s = store.load()
    assert s.get("max_external_domains_visible") == 3  # built-in
    assert s.get("relay_port") == 2600  # admin default over built-in
    assert s.get("hold_seconds") == 5  # user over admin default
    assert s.get("language") == "en"  # locked over user
    assert s.get("internal_domains") == ("corp.example",)
    assert s.locked == {"internal_domains", "language"}
    assert store.problems == []


def test_locked_key_refused_but_unchanged_value_accepted(paths):
    write_policy(paths, {"locked": {"hold_seconds": 30}})
    s = SettingsStore(paths).load()
    with pytest.raises(SettingsError, match="administrator"):
        s.with_changes(hold_seconds=0)
    assert s.with_changes(hold_seconds=30, relay_port=2526).get("relay_port") == 2526


def test_locked_list_form_locks_at_admin_default(paths):
    write_policy(paths, {"defaults": {"require_protection": True},
                         "locked": ["require_protection", "quiet_when_safe"]})
    s = SettingsStore(paths).load()
    assert s.get("require_protection") is True
    assert s.get("quiet_when_safe") is True
    assert s.locked == {"require_protection", "quiet_when_safe"}


def test_user_value_equal_to_fallback_is_not_pinned(paths):
    store = SettingsStore(paths)
    write_policy(paths, {"defaults": {"hold_seconds": 20}})
    store.save(store.load().with_changes(hold_seconds=20, relay_port=2600))
    write_policy(paths, {"defaults": {"hold_seconds": 40}})
    s = store.load()
    assert s.get("hold_seconds") == 40  # the admin's new default applies
    assert s.get("relay_port") == 2600


def test_bad_admin_policy_entries_are_reported_not_fatal(paths):
    write_policy(paths, {"defaults": {"hold_seconds": -1, "relay_port": 2700},
                         "locked": {"nonsense": 1}})
    store = SettingsStore(paths)
    s = store.load()
    assert s.get("hold_seconds") == 10
    assert s.get("relay_port") == 2700
    assert any("hold_seconds" in p and "administrator" in p for p in store.problems)
    assert any("nonsense" in p for p in store.problems)
    paths.policy_file.write_text("{not json", encoding="utf-8")
    store.load()
    assert any("policy file" in p for p in store.problems)


# -- damaged files and failed writes -----------------------------------------------------------


def test_corrupt_settings_file_keeps_a_copy_and_uses_defaults(paths, clock):
    garbage = b'{"schema_version": 1, "settings": {"hold_seconds": 3'  # truncated
    paths.settings_file.write_bytes(garbage)
    store = SettingsStore(paths, clock=clock)
    s = store.load()
    assert s.get("hold_seconds") == 10
    copies = list(paths.config_dir.glob("settings.json.corrupt-*"))
    assert len(copies) == 1
    assert copies[0].read_bytes() == garbage
    assert len(store.problems) == 1
    assert "damaged" in store.problems[0]
    assert str(copies[0]) in store.problems[0]
    assert s.problems == tuple(store.problems)
    store.save(s.with_changes(hold_seconds=4))
    assert SettingsStore(paths).load().get("hold_seconds") == 4


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"[1, 2]", b""])
def test_other_damage_is_reported(paths, content):
    paths.settings_file.write_bytes(content)
    store = SettingsStore(paths)
    assert store.load().get("relay_port") == 2525
    assert store.problems


def test_one_bad_value_drops_only_that_value_and_unknown_keys_survive(paths):
    paths.settings_file.write_text(json.dumps({
        "schema_version": 1,
        "settings": {"hold_seconds": "ten", "relay_port": 2601, "future_option": {"a": 1}},
        "accounts": [{"name": "bad", "host": "smtp.example.com", "security": "none"},
                     {"name": "good", "host": "smtp.example.com"}],
    }), encoding="utf-8")
    store = SettingsStore(paths)
    s = store.load()
    assert s.get("hold_seconds") == 10
    assert s.get("relay_port") == 2601
    assert [a.name for a in s.accounts] == ["good"]
    assert len(store.problems) == 3  # the bad value, the bad account, the unknown key (kept)
    assert any("unknown setting 'future_option'" in p for p in store.problems)
    store.save(s)
    saved = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    assert saved["settings"]["future_option"] == {"a": 1}
    assert {a["name"] for a in saved["accounts"]} == {"good", "bad"}


def test_newer_schema_is_reported(paths):
    paths.settings_file.write_text(json.dumps({"schema_version": 99, "settings": {}}))
    store = SettingsStore(paths)
    store.load()
    assert any("newer version" in p for p in store.problems)


def test_failed_write_leaves_old_file_intact(paths, monkeypatch):
    store = SettingsStore(paths)
    store.save(store.load().with_changes(hold_seconds=12))
    before = paths.settings_file.read_bytes()

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SettingsError, match="No space left on device"):
        store.save(store.load().with_changes(hold_seconds=99))
    monkeypatch.undo()
    assert paths.settings_file.read_bytes() == before
    assert [p.name for p in paths.config_dir.iterdir() if p.name.endswith(".tmp")] == []
    assert SettingsStore(paths).load().get("hold_seconds") == 12


def test_misplaced_and_unknown_keys_are_reported_not_silently_ignored(tmp_path):
    import json

    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.settings.store import SettingsStore

    paths = DataPaths.resolve(tmp_path, policy_file=tmp_path / "none.json")
    paths.settings_file.write_text(json.dumps({
        "schema_version": 1, "blocked_domains": ["x.example"], "settings": {"colour": "blue"},
    }))
    settings = SettingsStore(paths).load()
    assert not settings.get("blocked_domains")
    problems = " ".join(settings.problems)
    assert "'blocked_domains' is not read (it belongs under \"settings\")" in problems
    assert any("unknown setting 'colour'" in p for p in settings.problems)
