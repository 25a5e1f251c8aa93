"""The kv table: a MutableMapping per namespace, durable across reopen, namespaces kept apart."""

from __future__ import annotations

import threading

import pytest

from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.kv import KeyValueStore
from missend_guard.storage.outbox.schema import MIGRATIONS
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.sqlite import Database

RESUME = '{"draft": "AAMkAGI2THVSAAA=", "phase": "attach"}'


def test_round_trip_and_mapping_behaviour(paths):
    store = KeyValueStore(paths)
    state = store.namespace("graph-resume")
    assert len(state) == 0
    assert state.get("k") is None
    state["k"] = RESUME
    state["日本語キー"] = "値 — 様"
    state["k"] = RESUME + " "  # overwrite, not a second row
    assert state["k"] == RESUME + " "
    assert "k" in state
    assert 3 not in state
    assert sorted(state) == sorted(["k", "日本語キー"])
    assert len(state) == 2
    assert state.pop("k", None) == RESUME + " "
    assert state.pop("k", None) is None
    with pytest.raises(KeyError):
        state.pop("k")
    with pytest.raises(KeyError):
        del state["k"]
    with pytest.raises(KeyError):
        state["k"]
    del state["日本語キー"]
    assert dict(state) == {}
    store.close()


def test_values_survive_closing_and_reopening(paths):
    store = KeyValueStore(paths)
    store.namespace("graph-resume")["abc"] = RESUME
    store.namespace("graph-resume")["gone"] = "x"
    del store.namespace("graph-resume")["gone"]
    store.close()
    again = KeyValueStore(paths)
    assert dict(again.namespace("graph-resume")) == {"abc": RESUME}
    again.close()


def test_namespaces_do_not_see_each_other(paths):
    store = KeyValueStore(paths)
    a, b = store.namespace("a"), store.namespace("b")
    a["same"] = "1"
    b["same"] = "2"
    a.clear()
    assert dict(a) == {}
    assert dict(b) == {"same": "2"}
    with pytest.raises(ValueError, match="needs a name"):
        store.namespace("")
    store.close()


def test_shares_the_outbox_database_and_its_migrations(paths):
    db = Database(paths.database)
    outbox = SqliteOutbox(paths, database=db)
    store = KeyValueStore(paths, database=db)
    store.namespace("n")["k"] = "v"
    with db.reading() as conn:
        versions = dict(tuple(r) for r in conn.execute("SELECT module, version FROM schema_versions"))
    # the outbox writes decisions to audit
    assert versions == {"outbox": len(MIGRATIONS), "audit": 1, "kv": 1}
    assert outbox.items() == []
    db.close()


def test_only_strings_are_stored(paths):
    state = KeyValueStore(paths).namespace("n")
    with pytest.raises(TypeError):
        state["k"] = 3  # type: ignore[assignment]
    assert len(state) == 0


def test_many_threads_writing_lose_nothing(paths):
    state = KeyValueStore(paths).namespace("n")

    def write(n: int) -> None:
        for i in range(20):
            state[f"{n}-{i}"] = str(i)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(state) == 80


def test_an_unreadable_database_is_a_storage_error(paths):
    paths.database.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="state table"):
        KeyValueStore(paths)
