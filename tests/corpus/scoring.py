"""Runs `missend-guard check --json` on corpus mails and judges each result against expected.json."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SCHEMA_FILE = REPO.parent / "shared" / "check-output.schema.json"
EXIT_BY_SEVERITY = {"info": 0, "warning": 1, "block": 2}
TIMEOUT_SECONDS = 180


def load_expected() -> dict[str, Any]:
    """The corpus description written by build_corpus."""
    data: dict[str, Any] = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    return data


def load_schema() -> dict[str, Any] | None:
    """The contract's JSON schema (beside CONTRACT.md), if this checkout has shared/ next to it."""
    if not SCHEMA_FILE.exists():
        return None
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def prepare_data_dir(directory: Path, expected: dict[str, Any]) -> None:
    """A data dir holding only the corpus settings.json (block list)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "settings.json").write_bytes((HERE / expected["settings"]).read_bytes())


@dataclass
class Run:
    """One engine invocation."""

    exit_code: int
    stdout: bytes
    stderr: str


def run_check(mail: Path, data_dir: Path, expected: dict[str, Any]) -> Run:
    """`python -m missend_guard check --json ...` as a newcomer would type it."""
    cmd = [sys.executable, "-m", "missend_guard", "check", "--json", "--data-dir", str(data_dir)]
    for domain in expected["internal_domains"]:
        cmd += ["--internal-domain", domain]
    for contacts in expected["contacts"]:
        cmd += ["--contacts", str(HERE / contacts)]
    cmd.append(str(mail))
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, cwd=REPO, check=False)
    except subprocess.TimeoutExpired:
        return Run(-1, b"", f"timed out after {TIMEOUT_SECONDS} s")
    return Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


@dataclass
class Verdict:
    """What went wrong for one mail (empty lists: all good)."""

    crash: str = ""
    missing: list[dict[str, Any]] = field(default_factory=list)
    satisfied: list[dict[str, Any]] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)
    forbidden: list[dict[str, Any]] = field(default_factory=list)
    decoding: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the engine did exactly what the contract asks for this mail."""
        return not (self.crash or self.missing or self.unexpected or self.forbidden or self.decoding)

    def explain(self) -> str:
        """A readable account for assertion messages."""
        parts = []
        if self.crash:
            parts.append(f"crash: {self.crash}")
        parts += [f"missing {m['code']} @ {m.get('target', '*')}" for m in self.missing]
        parts += [f"unexpected {f['code']} ({f['severity']}) @ {f['target']} {f['params']}"
                  for f in self.unexpected]
        parts += [f"forbidden {f['code']} @ {f['target']}" for f in self.forbidden]
        parts += [f"decoding: {d}" for d in self.decoding]
        parts.append("engine findings: " + ", ".join(f"{f['code']}@{f['target']}" for f in self.findings))
        return "\n".join(parts)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _targets(symbolic: str | None, result: dict[str, Any]) -> set[str] | None:
    """Resolve `recipient:<address>` / `attachment:<filename>` to the engine's indices."""
    if symbolic is None:
        return None
    kind, _, key = symbolic.partition(":")
    if kind == "recipient" and "@" in key:
        return {f"recipient:{i}" for i, r in enumerate(result["recipients"])
                if r.get("address", "").lower() == key.lower()}
    if kind == "attachment" and key and not key.isdigit():
        return {f"attachment:{i}" for i, a in enumerate(result["attachments"])
                if _nfc(a.get("filename", "")) == _nfc(key)}
    return {symbolic}


def _matches(entry: dict[str, Any], finding: dict[str, Any], result: dict[str, Any]) -> bool:
    if finding["code"] != entry["code"]:
        return False
    targets = _targets(entry.get("target"), result)
    return targets is None or finding["target"] in targets


def judge(entry: dict[str, Any], run: Run, schema: dict[str, Any] | None) -> Verdict:
    """Compare one run with its expected.json entry."""
    verdict = Verdict()
    if run.exit_code not in (0, 1, 2):
        verdict.crash = f"exit {run.exit_code}: {run.stderr.strip()[-600:]}"
        return verdict
    try:
        result = json.loads(run.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        verdict.crash = f"stdout is not one JSON object ({exc}); stderr: {run.stderr.strip()[-300:]}"
        return verdict
    if schema is not None:
        try:
            jsonschema.validate(result, schema)
        except jsonschema.ValidationError as exc:
            verdict.crash = f"output violates the schema: {exc.message}"
            return verdict
    findings: list[dict[str, Any]] = result["findings"]
    verdict.findings = findings
    worst = max((EXIT_BY_SEVERITY[f["severity"]] for f in findings), default=0)
    if run.exit_code != worst:
        verdict.decoding.append(f"exit status {run.exit_code} but worst finding means {worst}")
    for want in entry["must"]:
        if any(_matches(want, f, result) for f in findings):
            verdict.satisfied.append(want)
        else:
            verdict.missing.append(want)
    tolerated = entry["must"] + entry["allowed"]
    for finding in findings:
        if finding["code"] in entry["must_not"]:
            verdict.forbidden.append(finding)
        elif finding["severity"] != "info" and not any(_matches(t, finding, result) for t in tolerated):
            verdict.unexpected.append(finding)
    _check_decoding(entry, result, verdict)
    return verdict


def _check_decoding(entry: dict[str, Any], result: dict[str, Any], verdict: Verdict) -> None:
    # Surrounding whitespace is not meaning: an all-blank subject may come back as "".
    if entry.get("subject") is not None and _nfc(result["subject"]).strip() != _nfc(entry["subject"]).strip():
        verdict.decoding.append(f"subject {result['subject']!r}, expected {entry['subject']!r}")
    if entry.get("recipients") is not None:
        got = [r["address"].lower() for r in result["recipients"]]
        if got != entry["recipients"]:
            verdict.decoding.append(f"recipients {got}, expected {entry['recipients']}")
    if entry.get("attachments") is not None:
        got = sorted(_nfc(a["filename"]) for a in result["attachments"])
        want = sorted(_nfc(a) for a in entry["attachments"])
        if not set(want) <= set(got):
            verdict.decoding.append(f"attachments {got}, expected {want}")
