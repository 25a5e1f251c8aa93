"""Build the one-dir bundle for this OS with PyInstaller, then (with --smoke) smoke-test it.

    python packaging/build.py            # translations → icons → PyInstaller → dist/missend-guard/
    python packaging/build.py --smoke    # the same, then packaging/smoke.py against the bundle
    python packaging/build.py --smoke --no-build   # only the smoke test of an existing bundle

Needs the package installed with its `package` extra (`pip install -e '.[package,test]'`): PyInstaller,
plus aiosmtpd (a dependency anyway) for the smoke test's upstream sink.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import smoke  # noqa: E402  (packaging/ is not a package: it sits beside this script)

I18N = ROOT / "missend_guard" / "resources" / "i18n"
ICON_SVG = ROOT / "missend_guard" / "resources" / "icons" / "shield-active.svg"


def log(text: str) -> None:
    """One progress line."""
    print(f"[build] {text}", flush=True)


def lrelease() -> list[str] | None:
    """The command that compiles .ts to .qm (PySide6 ships it), or None."""
    import PySide6

    bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    if bundled.exists():
        return [str(bundled)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return [found] if found else None


def compile_translations(out_dir: Path) -> list[Path]:
    """Compile every resources/i18n/*.ts into `out_dir`; the spec ships the .qm files, not the .ts."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    sources = sorted(I18N.glob("*.ts"))
    if not sources:
        log("no .ts translation sources yet: the bundle ships without compiled translations")
        return []
    tool = lrelease()
    if tool is None:
        raise SystemExit("lrelease not found (it comes with PySide6): cannot compile translations")
    compiled = []
    for ts in sources:
        qm = out_dir / ts.with_suffix(".qm").name
        subprocess.run([*tool, "-silent", str(ts), "-qm", str(qm)], check=True)
        compiled.append(qm)
    log(f"compiled {', '.join(p.name for p in compiled)}")
    return compiled


def make_icon(out_dir: Path) -> Path | None:
    """Render the shield SVG to the executable icon this OS wants (.ico / .icns); None on Linux."""
    suffix = {"win32": ".ico", "darwin": ".icns"}.get(sys.platform)
    if suffix is None:
        return None  # Linux desktops take the SVG itself (packaging/linux/*.desktop)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication, QIcon

    app = QGuiApplication.instance() or QGuiApplication([])
    target = out_dir / f"missend-guard{suffix}"
    image = QIcon(str(ICON_SVG)).pixmap(QSize(256, 256)).toImage()
    if not image.save(str(target)):
        log(f"could not write {target}; building without an icon")
        return None
    del app
    return target


def run_pyinstaller(dist: Path, work: Path, env: dict[str, str]) -> None:
    """PyInstaller over packaging/missend_guard.spec."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(HERE / "missend_guard.spec")]
    subprocess.run(command, check=True, cwd=ROOT, env=env)


def bundle_executable(dist: Path) -> Path:
    """Where the console executable of the bundle is on this OS."""
    if sys.platform == "darwin":
        return dist / "Missend Guard.app" / "Contents" / "MacOS" / "missend-guard"
    name = "missend-guard.exe" if sys.platform == "win32" else "missend-guard"
    return dist / "missend-guard" / name


def tree_size(path: Path) -> int:
    """Bytes under `path` (files only, symlinks not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    """Build (unless --no-build), report the size, smoke-test with --smoke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="smoke-test the bundle after building")
    parser.add_argument("--no-build", action="store_true", help="use the bundle already in --dist")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder (build/pyinstaller/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not args.no_build:
        staging = args.work.parent / "staging"
        staging.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["MISSEND_GUARD_QM_DIR"] = str(staging / "i18n")
        compile_translations(staging / "i18n")
        icon = make_icon(staging)
        if icon is not None:
            env["MISSEND_GUARD_ICON"] = str(icon)
        log("running PyInstaller (about 30-60 s)")
        run_pyinstaller(args.dist, args.work, env)
        log(f"built in {time.perf_counter() - started:.0f} s")
    exe = bundle_executable(args.dist)
    if not exe.exists():
        log(f"no bundle at {exe}")
        return 1
    folder = exe.parent if sys.platform != "darwin" else exe.parents[2]
    log(f"bundle {folder}: {tree_size(folder) / 1024 / 1024:.0f} MiB")
    if args.smoke:
        log(f"smoke test of {exe}")
        status = smoke.main([str(exe)])
        if status != 0:
            return status
    log(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
