"""Small everyday mail: parse_message and check() p50 for the ~10 KB ISO-2022-JP bench mail, and per rule.

The context is the one the app builds (runtime.build_services with a 'sink' account, internal domain
example.co.jp, an empty protection ledger). "same mail" parses the same bytes again each time (caches
keyed on the body text hit); "distinct mails" cycles over more mails than those caches hold, as real
traffic does. Run: python benchmarks/bench_small.py [--short]   (nothing is asserted)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script, as CI does

import keyring

from benchmarks.bench_relay import RECIPIENTS, _Keyring, _port, japanese_mail

DISTINCT = 80  # more than any per-body cache keeps (lru_cache maxsize 4)
TOP_RULES = ("missing_attachment", "password_followup", "pii_in_body", "placeholder_left",
             "confidential_keyword", "salutation_mismatch")


def _context_provider(data_dir: Path) -> tuple[Callable[[], Any], Any]:
    """The gate's context provider of a headless app built in `data_dir` (and the services to close)."""
    from missend_guard.core.gate import ApproveAllReviewer
    from missend_guard.runtime.options import RunOptions
    from missend_guard.runtime.services import build_services
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.settings.store import Account, SettingsStore

    keyring.set_keyring(_Keyring())
    paths = DataPaths.resolve(data_dir, policy_file=data_dir / "no-policy.json")
    store = SettingsStore(paths)
    store.save(store.load().with_accounts(
        (Account("sink", host="127.0.0.1", port=1, security="none", default=True),)))
    services = build_services(paths, store, reviewer=ApproveAllReviewer(),
                              options=RunOptions(relay_port=_port(), hold_seconds=0,
                                                 internal_domains=("example.co.jp",)))
    return services.intake.gate._context_provider, services


def _p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _parse_and_check(mails: list[bytes], runs: int, provider: Callable[[], Any]) -> tuple[float, float]:
    from missend_guard.core.check.checker import check
    from missend_guard.core.message.model import parse_message

    parse, checks = [], []
    for i in range(runs):
        raw = mails[i % len(mails)]
        start = time.perf_counter()
        message = parse_message(raw, RECIPIENTS)
        middle = time.perf_counter()
        check(message, provider())
        parse.append(middle - start)
        checks.append(time.perf_counter() - middle)
    return _p50(parse), _p50(checks)


def _per_rule(raw: bytes, runs: int, provider: Callable[[], Any]) -> list[tuple[str, float]]:
    """p50 of each rule on one parsed message (body-derived caches warm, as for every rule but the first)."""
    from missend_guard.core.message.model import parse_message
    from missend_guard.core.rules.registry import ALL_RULES

    message = parse_message(raw, RECIPIENTS)
    out = []
    for rule in ALL_RULES:
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            list(rule(message, provider()))
            samples.append(time.perf_counter() - start)
        out.append((getattr(rule, "__name__", repr(rule)), _p50(samples)))
    return out


def main() -> None:
    """Print the numbers; never fails on timing."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="few runs (CI)")
    args = parser.parse_args()
    runs = 60 if args.short else 400
    with tempfile.TemporaryDirectory(prefix="mg-bench-small-") as tmp:
        provider, services = _context_provider(Path(tmp))
        try:
            same = [japanese_mail(3)]
            distinct = [japanese_mail(100 + i) for i in range(DISTINCT)]
            _parse_and_check(same + distinct, 40, provider)  # warm up imports and the context's indexes
            parse, check = _parse_and_check(same, runs, provider)
            print(f"10 KB mail, same mail:      parse p50 {parse:.3f} ms, check p50 {check:.3f} ms, "
                  f"sum {parse + check:.3f} ms")
            parse, check = _parse_and_check(distinct, runs, provider)
            print(f"10 KB mail, distinct mails: parse p50 {parse:.3f} ms, check p50 {check:.3f} ms, "
                  f"sum {parse + check:.3f} ms")
            rules = _per_rule(same[0], max(20, runs // 4), provider)
            shown = [r for r in rules if r[0] in TOP_RULES] + sorted(
                (r for r in rules if r[0] not in TOP_RULES), key=lambda r: -r[1])[:3]
            print("per rule p50 (ms): " + ", ".join(f"{name} {ms:.3f}" for name, ms in shown))
        finally:
            services.store.close()
            services.lock.release()


if __name__ == "__main__":
    main()
