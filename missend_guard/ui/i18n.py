"""Language choice and Qt translators: our .ts compiled to .qm on demand, plus Qt's own (qtbase)."""

from __future__ import annotations

import logging
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

SUPPORTED = ("ja", "en")
_APP = "missend_guard"


def choose_language(setting: str = "", override: str | None = None, system: QLocale | None = None) -> str:
    """`--lang` beats the `language` setting, which beats the system locale; anything else is English."""
    for choice in (override, setting):
        if choice in SUPPORTED:
            return choice
    locale = system or QLocale.system()
    return "ja" if locale.language() == QLocale.Language.Japanese else "en"


def _ts_file(lang: str) -> Path:
    return Path(str(resources.files("missend_guard") / "resources" / "i18n" / f"{_APP}_{lang}.ts"))


def _lrelease() -> str | None:
    import PySide6  # only to locate the bundled tool

    bundled = Path(PySide6.__file__).parent / "lrelease"
    if bundled.exists():
        return str(bundled)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compiled_translation(lang: str, cache_dir: Path) -> Path | None:
    """Path of an up-to-date .qm for `lang`: shipped next to the .ts, else compiled into `cache_dir`."""
    ts = _ts_file(lang)
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and (not ts.exists() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.exists():
        return None
    target = cache_dir / shipped.name
    if target.exists() and target.stat().st_mtime >= ts.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        log.warning("no lrelease found: the interface stays in English")
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(target)], check=True, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not compile %s: %s", ts, exc)
        return None
    return target if target.exists() else None


def install_translators(app: QCoreApplication, lang: str, cache_dir: Path) -> list[QTranslator]:
    """Install Qt's and our translators for `lang`; keep the returned list alive with the app."""
    installed: list[QTranslator] = []
    # English sources need no Qt catalogue; our English file holds only plural forms (%n mails).
    qt = QTranslator(app)
    if lang != "en" and qt.load(QLocale(lang), "qtbase", "_",
                                QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    qm = compiled_translation(lang, cache_dir)
    ours = QTranslator(app)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        installed.append(ours)
    return installed


class Translations:
    """The translators in force for one language; `switch` swaps them while the app runs."""

    def __init__(self, app: QCoreApplication, cache_dir: Path) -> None:
        self._app = app
        self._cache_dir = cache_dir
        self._installed: list[QTranslator] = []
        self.language = "en"

    def switch(self, lang: str) -> int:
        """Install `lang`'s translators in place of the current ones; how many were installed."""
        self.remove()
        self._installed = install_translators(self._app, lang, self._cache_dir)
        self.language = lang
        return len(self._installed)

    def remove(self) -> None:
        """Back to the source strings (English): the app is closing, or another language follows."""
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed = []
        self.language = "en"
