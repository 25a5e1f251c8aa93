"""Scores the engine over tests/corpus: recall per finding code, false positives, crashes, decode errors.

Usage (repository root): `python -m benchmarks.corpus_score [--jobs N] [--json OUT]`.
A must-finding counts as recalled when a finding with its code (and target, when named) is present;
a false positive is a finding above info that the mail's expectation neither requires nor allows,
or any finding whose code the expectation forbids.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.corpus.build_corpus import write_generated
from tests.corpus.scoring import HERE, Verdict, judge, load_expected, load_schema, prepare_data_dir, run_check


def score(jobs: int) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], Verdict]]]:
    """Run every mail (in `jobs` parallel processes) and judge it."""
    expected = load_expected()
    schema = load_schema()
    with tempfile.TemporaryDirectory(prefix="mg-corpus-") as tmp:
        data_dir = Path(tmp) / "data"
        prepare_data_dir(data_dir, expected)
        generated = write_generated(Path(tmp))
        entries = expected["mails"]

        def one(entry: dict[str, Any]) -> Verdict:
            mail = generated[entry["id"]] if entry["generated"] else HERE / entry["file"]
            return judge(entry, run_check(mail, data_dir, expected), schema)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            verdicts = list(pool.map(one, entries))
    return entries, list(zip(entries, verdicts, strict=True))


def report(pairs: list[tuple[dict[str, Any], Verdict]]) -> dict[str, Any]:
    """Aggregate numbers, printed and returned."""
    wanted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for entry, verdict in pairs:
        if verdict.crash:
            wanted.update(m["code"] for m in entry["must"])
            continue
        wanted.update(m["code"] for m in verdict.satisfied + verdict.missing)
        found.update(m["code"] for m in verdict.satisfied)
    false_pos: list[tuple[str, ...]] = [
        (e["id"], f["code"], f["severity"], f["target"], "not allowed above info")
                 for e, v in pairs for f in v.unexpected]
    false_pos += [(e["id"], f["code"], f["severity"], f["target"], "forbidden for this mail")
                  for e, v in pairs for f in v.forbidden]
    missed: list[tuple[str, ...]] = [
        (e["id"], m["code"], m.get("target", "*")) for e, v in pairs for m in v.missing]
    crashes = [(e["id"], v.crash) for e, v in pairs if v.crash]
    decoding = [(e["id"], d) for e, v in pairs for d in v.decoding]
    clean_ids = [e["id"] for e, _ in pairs if e["id"].startswith("clean")]
    clean_noisy = sorted({fp[0] for fp in false_pos if fp[0] in clean_ids})

    print(f"mails: {len(pairs)}  passing: {sum(v.ok for _, v in pairs)}  crashes: {len(crashes)}")
    print(f"\n{'code':28} recall")
    for code in sorted(wanted):
        print(f"{code:28} {found[code]:3}/{wanted[code]:<3} {found[code] / wanted[code]:6.0%}")
    total_w, total_f = sum(wanted.values()), sum(found.values())
    print(f"{'ALL':28} {total_f:3}/{total_w:<3} {total_f / max(total_w, 1):6.0%}")
    print(f"\nfalse positives: {len(false_pos)} (clean mails with any: {len(clean_noisy)}/{len(clean_ids)})")
    for row in false_pos:
        print("  FP  " + "  ".join(str(x) for x in row))
    print(f"\nmissed: {len(missed)}")
    for row in missed:
        print("  MISS " + "  ".join(str(x) for x in row))
    for mail_id, why in crashes:
        print(f"  CRASH {mail_id}: {why}")
    for mail_id, why in decoding:
        print(f"  DECODE {mail_id}: {why}")
    return {"recall": {c: [found[c], wanted[c]] for c in sorted(wanted)}, "false_positives": false_pos,
            "missed": missed, "crashes": crashes, "decoding": decoding}


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    _, pairs = score(args.jobs)
    numbers = report(pairs)
    if args.json:
        args.json.write_text(json.dumps(numbers, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if not numbers["crashes"] else 1


if __name__ == "__main__":
    sys.exit(main())
