"""`history list|forget` and `check --record` through a real subprocess, on a temp data dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOOKALIKE = ROOT / "samples" / "lookalike-domain.eml"
CONTACTS = ROOT / "samples" / "contacts.vcf"  # knows hanako.sato@abc-trading.co.jp
TYPO = "hanako.sato@abc-tradlng.co.jp"


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "missend_guard", *args, "--data-dir", str(data_dir)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False,
                          encoding="utf-8")


def check(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(data_dir, "check", "--json", "--contacts", str(CONTACTS), *extra, str(LOOKALIKE))


def _codes(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    return {f["code"]: f["params"] for f in json.loads(done.stdout)["findings"]}


def test_a_recorded_lookalike_is_listed_as_not_yet_trusted_and_still_flagged(tmp_path):
    data = tmp_path / "data"
    assert cli(data, "history", "list").stdout == "The sent history is empty.\n"
    assert check(data, "--record").returncode == 1  # the warning, "sent" anyway

    listed = cli(data, "history", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows.keys() == {TYPO, "abc-tradlng.co.jp"}
    assert rows[TYPO]["kind"] == "address"
    assert rows[TYPO]["count"] == 1
    assert (rows[TYPO]["suspect"], rows[TYPO]["trusted"], rows[TYPO]["sent_days"]) == (True, False, 1)
    assert rows["abc-tradlng.co.jp"]["kind"] == "domain"
    readable = cli(data, "history", "list").stdout
    assert f"{TYPO}\taddress\t1 sent\t" in readable
    assert "not yet trusted (sent on 1 of 3 days)" in readable

    again = check(data)
    assert again.returncode == 1
    findings = _codes(again)
    assert findings["lookalike-domain"]["sent_days"] == 1
    assert findings["first-time-recipient"]["sent_days"] == 1


def test_forget_makes_it_first_time_again(tmp_path):
    data = tmp_path / "data"
    check(data, "--record")
    forgot = cli(data, "history", "forget", "abc-tradlng.co.jp")
    assert forgot.returncode == 0, forgot.stderr
    assert forgot.stdout == f"Forgotten (first-time recipients again): abc-tradlng.co.jp, {TYPO}\n"
    assert cli(data, "history", "list", "--json").stdout.strip() == "[]"
    findings = _codes(check(data))
    assert "sent_days" not in findings["lookalike-domain"]
    assert findings["first-time-recipient"] == {"address": TYPO, "domain_known": False}


def test_forget_says_when_there_is_nothing_to_forget(tmp_path):
    data = tmp_path / "data"
    unknown = cli(data, "history", "forget", "nobody@example.com")
    assert unknown.returncode == 1
    assert "nobody@example.com is not in the sent history" in unknown.stderr
    missing = cli(data, "history", "forget")
    assert missing.returncode == 2
    assert "an address or a domain is needed" in missing.stderr
