from __future__ import annotations

import platformdirs

from missend_guard.storage import paths as paths_module
from missend_guard.storage.paths import DataPaths, site_policy_file


def test_data_dir_overrides_everything(tmp_path):
    p = DataPaths.resolve(tmp_path / "d")
    root = (tmp_path / "d").resolve()
    assert p.root == root
    assert p.config_dir == root
    assert p.settings_file == root / "settings.json"
    assert p.database == root / "missend_guard.sqlite3"
    for d in (p.outbox_dir, p.returned_dir, p.logs_dir):
        assert d.is_dir()
        assert d.parent == root


def test_platform_dirs_used_without_data_dir(tmp_path, monkeypatch):
    seen = {}

    def fake(kind):
        def where(appname, appauthor=None):
            seen[kind] = (appname, appauthor)
            return str(tmp_path / kind)
        return where

    monkeypatch.setattr(platformdirs, "user_data_dir", fake("data"))
    monkeypatch.setattr(platformdirs, "user_config_dir", fake("config"))
    monkeypatch.setattr(platformdirs, "site_config_dir", fake("site"))
    p = DataPaths.resolve(None)
    assert p.root == tmp_path / "data"
    assert p.settings_file == tmp_path / "config" / "settings.json"
    assert p.policy_file == tmp_path / "site" / "policy.json"
    assert seen["data"] == ("MissendGuard", False)
    assert (tmp_path / "data" / "outbox").is_dir()


def test_admin_policy_still_applies_with_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(paths_module, "site_policy_file", lambda: tmp_path / "site.json")
    assert DataPaths.resolve(tmp_path / "d").policy_file == tmp_path / "site.json"


def test_site_policy_file_is_in_site_config_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(platformdirs, "site_config_dir", lambda app, appauthor=None: f"/etc/xdg/{app}")
    assert str(site_policy_file()) == "/etc/xdg/MissendGuard/policy.json"
