"""Packaging: the spec's excludes, admin templates against the settings table, installer consistency.

The built bundle is smoke-tested only when MISSEND_GUARD_BUNDLE points at its executable
(`python packaging/build.py --smoke` is the usual way; CI runs that).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import plistlib
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from missend_guard.storage import autostart
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.admin_sources import ManagedPreferences, RegistryPolicy, WinregReader
from missend_guard.storage.settings.schema import SETTINGS
from missend_guard.storage.settings.store import SettingsStore
from tests.helpers import fake_winreg
from tests.helpers.fake_winreg import FakeRegistry

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
POLICY = PACKAGING / "policy"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}


def load_script(path: Path) -> ModuleType:
    """Import a script from packaging/ (not a package) by path."""
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module  # dataclasses look their module up while being defined
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(path.parent))


def spec_constant(name: str) -> Any:
    tree = ast.parse((PACKAGING / "missend_guard.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in the spec")


def qt_modules_imported() -> set[str]:
    """Every PySide6.QtXxx module the package imports."""
    found: set[str] = set()
    for source in (ROOT / "missend_guard").rglob("*.py"):
        found.update(re.findall(r"PySide6\.(Qt\w+)", source.read_text(encoding="utf-8")))
    return found


def test_spec_parses_and_excludes_unused_qt_modules() -> None:
    excluded = {m.removeprefix("PySide6.") for m in spec_constant("QT_EXCLUDED_MODULES")}
    for heavy in ("QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtQuick", "QtQml", "QtPdf",
                  "QtCharts", "QtSql", "QtTest", "QtDesigner", "QtOpenGL", "QtBluetooth"):
        assert heavy in excluded
    used = qt_modules_imported()
    assert {"QtCore", "QtGui", "QtWidgets", "QtNetwork"} <= used
    assert not used & excluded, f"the app imports excluded Qt modules: {used & excluded}"
    assert used <= set(spec_constant("QT_USED"))


def test_spec_file_excludes_keep_the_libraries_the_app_needs() -> None:
    pattern = re.compile("|".join(spec_constant("QT_FILE_EXCLUDES")))
    for needed in ("/PySide6/Qt/lib/libQt6Svg.so.6", "/PySide6/Qt/lib/libQt6Network.so.6",
                   "/PySide6/Qt/lib/libQt6DBus.so.6", "/PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                   "/PySide6/Qt/plugins/imageformats/libqsvg.so",
                   "/PySide6/Qt/plugins/platforms/libqxcb.so",
                   "/PySide6/Qt/plugins/platforms/libqoffscreen.so", "/PySide6/Qt6Widgets.dll"):
        assert not pattern.search(needed), needed
    for dropped in ("/PySide6/Qt/lib/libQt6Pdf.so.6", "/PySide6/Qt/plugins/imageformats/libqpdf.so",
                    "/PySide6/Qt/lib/libQt6Quick.so.6", "/PySide6/Qt/plugins/platforms/libqeglfs.so",
                    "/PySide6/Qt/plugins/platformthemes/libqgtk3.so"):
        assert pattern.search(dropped), dropped


def test_policy_templates_are_generated_from_the_current_settings_table() -> None:
    generate = load_script(POLICY / "generate.py")
    assert generate.main(["--check"]) == 0, "run python packaging/policy/generate.py"


def admx_policies() -> list[ET.Element]:
    return ET.parse(POLICY / "MissendGuard.admx").getroot().findall("p:policies/p:policy", NS)


def test_admx_has_a_locked_and_a_default_policy_for_every_setting() -> None:
    names = {p.get("name") for p in admx_policies()}
    for spec in SETTINGS:
        assert f"Locked_{spec.key}" in names
        assert f"Defaults_{spec.key}" in names
    for policy in admx_policies():
        mode = policy.get("name", "").split("_", 1)[0]
        assert policy.get("key") == rf"Software\Policies\MissendGuard\{mode}"
        assert policy.get("class") == "Machine"  # HKLM, which admin_sources reads


@pytest.mark.parametrize("lang", ["en-US", "ja-JP"])
def test_adml_defines_every_string_and_presentation_the_admx_uses(lang: str) -> None:
    admx_text = (POLICY / "MissendGuard.admx").read_text(encoding="utf-8")
    adml = ET.parse(POLICY / lang / "MissendGuard.adml").getroot()
    strings = {s.get("id"): s.text or "" for s in adml.iter(f"{{{NS['p']}}}string")}
    presentations = {p.get("id") for p in adml.iter(f"{{{NS['p']}}}presentation")}
    for ref in set(re.findall(r"\$\(string\.([\w-]+)\)", admx_text)):
        assert strings.get(ref), f"{lang}: string {ref} missing or empty"
    for ref in set(re.findall(r"\$\(presentation\.([\w-]+)\)", admx_text)):
        assert ref in presentations, f"{lang}: presentation {ref} missing"
    if lang == "ja-JP":
        assert strings["Cat_Locked"] == "強制する設定（利用者は変更できません）"
        assert strings["internal_domains"] == "社内ドメイン"


def gpo_writes(policy_doc: dict[str, Any]) -> FakeRegistry:
    """What Group Policy writes for `policy_doc`, following each ADMX policy's element type."""
    reg = FakeRegistry()
    by_name = {p.get("name"): p for p in admx_policies()}
    halves = (("Locked", policy_doc.get("locked", {})), ("Defaults", policy_doc.get("defaults", {})))
    for mode, part in halves:
        for key, value in part.items():
            policy = by_name[f"{mode}_{key}"]
            path = policy.get("key", "")
            if policy.get("valueName") == key:  # boolean: enabledValue/disabledValue decimals
                reg.set(fake_winreg.HKEY_LOCAL_MACHINE, path, key, int(value), fake_winreg.REG_DWORD)
                continue
            element = policy.find("p:elements/*", NS)
            assert element is not None
            kind = element.tag.split("}")[1]
            if kind == "list":
                for number, entry in enumerate(value, start=1):
                    reg.set(fake_winreg.HKEY_LOCAL_MACHINE, element.get("key", ""), str(number), entry,
                            fake_winreg.REG_SZ)
            elif kind == "decimal":
                reg.set(fake_winreg.HKEY_LOCAL_MACHINE, path, key, value, fake_winreg.REG_DWORD)
            else:
                reg.set(fake_winreg.HKEY_LOCAL_MACHINE, path, key, value, fake_winreg.REG_SZ)
    return reg


def effective(tmp_path: Path, name: str, *sources: Any, policy_file: Path | None = None) -> Any:
    paths = DataPaths.resolve(tmp_path / name, policy_file=policy_file or tmp_path / "absent.json")
    return SettingsStore(paths, admin_sources=sources).load()


def test_gpo_mobileconfig_and_policy_file_give_the_same_settings(tmp_path: Path) -> None:
    example = json.loads((POLICY / "policy.example.json").read_text(encoding="utf-8"))
    from_file = effective(tmp_path, "file", policy_file=POLICY / "policy.example.json")
    from_gpo = effective(tmp_path, "gpo", RegistryPolicy(WinregReader(gpo_writes(example))))
    profile = plistlib.loads((POLICY / "MissendGuard.mobileconfig").read_bytes())
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == "jp.missendguard.MissendGuard"
    managed = ManagedPreferences(loader=lambda path: payload, root=tmp_path, user="")
    from_profile = effective(tmp_path, "mdm", managed)
    for settings in (from_file, from_gpo, from_profile):
        assert settings.problems == ()
        assert settings.locked == frozenset(example["locked"])
        assert dict(settings.values) == dict(from_file.values)
    assert from_gpo.get("internal_domains") == ("example.co.jp", "example-group.co.jp")
    assert from_gpo.get("hold_seconds") == 30
    assert "社外秘" in from_profile.get("confidential_keywords")


def test_installer_and_app_agree_on_the_run_key() -> None:
    iss = (PACKAGING / "windows" / "missend-guard.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    assert f'#define RunKey "{autostart.RUN_KEY}"' in iss
    assert f'#define RunValue "{autostart.ENTRY_NAME}"' in iss
    assert f'#define AppExe "{autostart.WINDOWED_EXE}"' in iss
    assert "MB_DEFBUTTON2" in iss  # keeping the data is the default answer
    assert "japanese.DeleteDataQuestion=" in iss


def test_macos_info_plist_is_menu_bar_only_with_the_managed_domain_as_bundle_id() -> None:
    info = plistlib.loads((PACKAGING / "macos" / "Info.plist").read_bytes())
    assert info["LSUIElement"] is True
    assert info["CFBundleIdentifier"] == autostart.LAUNCH_AGENT_LABEL == "jp.missendguard.MissendGuard"


@pytest.mark.skipif(not os.environ.get("MISSEND_GUARD_BUNDLE"),
                    reason="set MISSEND_GUARD_BUNDLE to a built bundle's executable")
def test_built_bundle_smoke() -> None:
    smoke = load_script(PACKAGING / "smoke.py")
    report = smoke.smoke(Path(os.environ["MISSEND_GUARD_BUNDLE"]))
    assert report.version.startswith("missend-guard ")
    assert "SIGTERM → clean exit 0" in report.steps
