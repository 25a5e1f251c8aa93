"""Settings are read once and reused until a file changes: never a stale account after an edit."""

from __future__ import annotations

import json
import os
import time

from missend_guard.storage.settings import freshness
from missend_guard.storage.settings.store import Account, SettingsStore

SINK = Account("sink", host="127.0.0.1", port=2525, security="none", default=True)


def _age(path, seconds=60.0):
    """Make `path` look written `seconds` ago (no longer within the racy window)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def _store(paths, **kwargs):
    return SettingsStore(paths, admin_sources=(), **kwargs)


def test_an_unchanged_file_is_read_once(paths, monkeypatch):
    store = _store(paths)
    store.save(store.load().with_accounts((SINK,)))
    _age(store.path)
    reads = []
    real = store._read
    monkeypatch.setattr(store, "_read", lambda: reads.append(1) or real())
    first = store.load()
    assert store.load() is first
    assert store.load().account("sink") == SINK
    assert len(reads) == 1


def test_an_account_added_by_another_process_is_seen_at_the_next_load(paths):
    app = _store(paths)
    app.save(app.load())
    _age(app.path)
    assert app.load().accounts == ()  # cached from here on
    cli = _store(paths)  # `missend-guard account add` in its own process
    cli.save(cli.load().with_accounts((SINK,)))
    assert app.load().account("sink") == SINK


def test_a_same_size_edit_in_the_same_clock_tick_is_seen(paths):
    # With a coarse file-system clock (FAT, HFS+) a second edit right after the first keeps size,
    # inode and times: only the bytes tell.
    store = _store(paths)
    store.save(store.load().with_changes(hold_seconds=15))
    _age(store.path)
    assert store.load().get("hold_seconds") == 15
    stat = os.stat(store.path)
    text = store.path.read_text(encoding="utf-8").replace('"hold_seconds": 15', '"hold_seconds": 25')
    with open(store.path, "r+", encoding="utf-8") as same_file:  # same inode, same size
        same_file.write(text)
    os.utime(store.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same tick
    assert store.load().get("hold_seconds") == 25


def test_problems_of_a_cached_snapshot_are_still_reported(paths):
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps({"settings": {"hold_seconds": "soon"}}),
                                   encoding="utf-8")
    _age(paths.settings_file)
    store = _store(paths)
    first = store.load()
    store.problems = []
    assert store.load() is first
    assert store.problems
    assert "hold_seconds" in store.problems[0]


def test_the_administrators_sources_are_read_again_after_a_few_seconds(paths, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(freshness.time, "monotonic", lambda: now[0])
    policy = {"locked": {"hold_seconds": 30}}

    class Source:
        name = "test policy"

        def load(self):
            return policy

    store = SettingsStore(paths, admin_sources=(Source(),))
    store.save(store.load())
    _age(store.path)
    assert store.load().get("hold_seconds") == 30
    policy = {"locked": {"hold_seconds": 60}}
    now[0] += freshness.ADMIN_SECONDS / 2
    assert store.load().get("hold_seconds") == 30  # within the window: the snapshot
    now[0] += freshness.ADMIN_SECONDS
    assert store.load().get("hold_seconds") == 60
