"""Start-up time of the bundle: launch → relay accepting (headless), launch → tray shown (offscreen Qt).

    python packaging/measure_startup.py [--bundle dist/missend-guard/missend-guard] [--runs 5]

"Relay accepting" is the first successful TCP connect to 127.0.0.1:<port>. "Tray shown" is the
desktop app's log line `desktop ready`, written right after the tray icon's show() (missend_guard/
desktop.py); the tray run has an account configured, so no setup wizard opens first. The first run
of each kind is reported separately (cold-ish: the OS cache may still hold the files).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build  # noqa: E402  (packaging/ is not a package)
import smoke  # noqa: E402

LIMIT = 60.0


def _accepting(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        if sys.platform == "win32":
            proc.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def one_run(exe: Path, env: dict[str, str], data_dir: Path, *, tray: bool) -> dict[str, float]:
    """Launch once; seconds until the relay accepts and (tray) until the desktop logged ready."""
    port = smoke.free_port()
    log_file = data_dir / "logs" / "missend-guard.log"
    seen_lines = len(log_file.read_text(encoding="utf-8").splitlines()) if log_file.exists() else 0
    args = [str(exe), "run", "--relay-port", str(port), "--data-dir", str(data_dir)]
    if not tray:
        args += ["--headless", "--hold-seconds", "0"]
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
    result: dict[str, float] = {}
    try:
        while time.perf_counter() - started < LIMIT:
            now = time.perf_counter() - started
            if "relay" not in result and _accepting(port):
                result["relay"] = now
            if tray and "tray" not in result and log_file.exists():
                lines = log_file.read_text(encoding="utf-8").splitlines()[seen_lines:]
                if any("desktop ready" in line for line in lines):
                    result["tray"] = now
            if "relay" in result and (not tray or "tray" in result):
                return result
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise SystemExit(f"the bundle exited {proc.returncode} during start-up: {err}")
            time.sleep(0.005)
        raise SystemExit(f"not ready within {LIMIT:g} s")
    finally:
        _stop(proc)


def report(name: str, values: list[float]) -> str:
    """First run, then min / median of the rest."""
    first, rest = values[0], values[1:] or values[:1]
    return (f"{name}: first {first:.2f} s; warm min {min(rest):.2f} s, "
            f"median {statistics.median(rest):.2f} s over {len(rest)} runs")


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=build.bundle_executable(build.ROOT / "dist"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-tray", action="store_true", help="only the headless relay")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mg-startup-") as name:
        tmp = Path(name)
        env = smoke.isolated_env(tmp)
        data_dir = tmp / "data"
        add = smoke.run_cli(args.bundle, ["account", "add", "upstream", "--host", "127.0.0.1",
                                          "--port", "2500", "--security", "none", "--default",
                                          "--data-dir", str(data_dir)], env)
        if add.returncode != 0:
            raise SystemExit(f"account add failed: {add.stderr}")
        headless = [one_run(args.bundle, env, data_dir, tray=False)["relay"]
                    for _ in range(args.runs + 1)]
        print(report("headless: launch → relay accepting", headless))
        if not args.no_tray:
            tray_env = {**env, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
            runs = [one_run(args.bundle, tray_env, data_dir, tray=True) for _ in range(args.runs + 1)]
            print(report(f"tray ({tray_env['QT_QPA_PLATFORM']}): launch → relay accepting",
                         [r["relay"] for r in runs]))
            print(report(f"tray ({tray_env['QT_QPA_PLATFORM']}): launch → tray icon shown",
                         [r["tray"] for r in runs]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
