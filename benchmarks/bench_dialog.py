"""Dialog latency: from the client's end of DATA to the review dialog shown on the GUI thread.

A real smtplib client submits a Japanese mail with external recipients through the relay; the gate
checks it and asks the QtReviewer; we time until `dialog_shown`, then cancel (550) and repeat.
Offscreen platform; prints median and max; `--short` for CI; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring
import keyring.backend
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.services import build_services
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.store import Account, SettingsStore
from missend_guard.transports.relay import RELAY_USER
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.taskman import TaskManager
from tests.conftest import find_free_port
from tests.helpers import samples


class _Keyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def _submit(port: int, password: str, raw: bytes, rcpts: list[str], marks: dict[str, float]) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.login(RELAY_USER, password)
        smtp.mail(samples.SENDER[1])
        for rcpt in rcpts:
            smtp.rcpt(rcpt)
        code, _ = smtp.docmd("DATA")
        assert code == 354
        smtp.send(raw + b"\r\n.\r\n")
        marks["end_of_data"] = time.perf_counter()
        marks["reply"] = float(smtp.getreply()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--short", action="store_true", help="5 mails (CI)")
    args = parser.parse_args()
    count = 5 if args.short else args.count
    keyring.set_keyring(_Keyring())
    app = QApplication.instance() or QApplication([])
    raw = samples.raw_mail()
    rcpts = [a for _, a in samples.TO + samples.CC]
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths.resolve(Path(tmp) / "data", policy_file=Path(tmp) / "none.json")
        store = SettingsStore(paths)
        # An account is needed or the relay answers 451 before any review; every mail is cancelled.
        account = Account("up", host="127.0.0.1", port=find_free_port(), security="none", default=True)
        store.save(store.load().with_changes(internal_domains=["example.co.jp"]).with_accounts((account,)))
        reviewer = QtReviewer(TaskManager(), lang="ja")
        services = build_services(paths, store, reviewer=reviewer,
                                  options=RunOptions(relay_port=find_free_port()))
        password = services.secrets.relay_password()
        services.start()
        try:
            for _ in range(count):
                marks: dict[str, float] = {}

                def shown(dialog: object, marks: dict[str, float] = marks) -> None:
                    marks["shown"] = time.perf_counter()
                    QTimer.singleShot(0, dialog.reject)  # type: ignore[attr-defined]

                reviewer.dialog_shown.connect(shown)
                client = threading.Thread(
                    target=_submit, args=(services.intake.relay.port, password, raw, rcpts, marks)
                )
                client.start()
                deadline = time.monotonic() + 30
                while client.is_alive() and time.monotonic() < deadline:
                    QCoreApplication.processEvents()
                    time.sleep(0.001)
                client.join(5)
                reviewer.dialog_shown.disconnect(shown)
                if "shown" in marks and "end_of_data" in marks:
                    latencies.append((marks["shown"] - marks["end_of_data"]) * 1000)
        finally:
            services.stop()
    app.quit()
    if not latencies:
        print("bench_dialog: no dialog was shown")
        return 1
    print(f"bench_dialog: {len(latencies)} mails, end of DATA → dialog shown: "
          f"median {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
