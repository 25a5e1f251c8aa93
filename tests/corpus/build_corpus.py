"""Writes the evaluation corpus: mails/*.eml, contacts.vcf/.csv, settings.json and expected.json.

Run from the repository root: `python -m tests.corpus.build_corpus`. The output is deterministic
(fixed seeds, fixed dates) except for the random salts inside encrypted PDFs and ZIPs.
`--only PREFIX...` writes just the mails whose id starts with a PREFIX and merges their entries into
expected.json, so the committed mails keep their bytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tests.corpus import (
    cases_attach,
    cases_broken,
    cases_clean,
    cases_content,
    cases_hard,
    cases_recipients,
    cases_thread,
)
from tests.corpus.universe import (
    BLOCKED_ADDRESSES,
    BLOCKED_DOMAINS,
    INTERNAL,
    Case,
    contacts_csv,
    contacts_vcf,
)

HERE = Path(__file__).resolve().parent
MAILS = HERE / "mails"


def all_cases() -> list[Case]:
    """Every case, in a stable order; ids are unique."""
    cases = [*cases_clean.cases(), *cases_recipients.cases(), *cases_content.cases(),
             *cases_attach.cases(), *cases_hard.cases(), *cases_broken.cases(), *cases_thread.cases()]
    ids = [c.cid for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case id"
    return cases


def settings_document() -> dict[str, Any]:
    """settings.json for the temporary data dir: the admin's block list."""
    return {"schema_version": 1, "settings": {"blocked_domains": BLOCKED_DOMAINS,
                                              "blocked_addresses": BLOCKED_ADDRESSES}}


def mail_bytes(case: Case) -> bytes:
    """The bytes of one case (damaged ones come pre-rendered; the large one is built on demand)."""
    if case.generated:
        return cases_attach.large_mail(case)
    return case.raw if case.raw is not None else case.mail.render()


def write_generated(directory: Path) -> dict[str, Path]:
    """Write the cases kept out of git into `directory`; map case id to path."""
    out = {}
    for case in all_cases():
        if case.generated:
            path = directory / f"{case.cid}.eml"
            path.write_bytes(mail_bytes(case))
            out[case.cid] = path
    return out


def write_only(prefixes: list[str]) -> int:
    """Write the mails whose id starts with one of `prefixes`; merge their entries into expected.json."""
    chosen = [c for c in all_cases() if c.cid.startswith(tuple(prefixes)) and not c.generated]
    for case in chosen:
        (MAILS / f"{case.cid}.eml").write_bytes(mail_bytes(case))
    document = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in document["mails"]}
    for case in chosen:
        entries[case.cid] = case.expectation()
    order = {c.cid: i for i, c in enumerate(all_cases())}
    document["mails"] = sorted(entries.values(), key=lambda e: order.get(e["id"], -1))
    (HERE / "expected.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    print(f"{len(chosen)} mails written to {MAILS}", file=sys.stderr)
    return 0


def main() -> int:
    """Regenerate everything under tests/corpus (or, with --only PREFIX..., just those mails)."""
    if sys.argv[1:2] == ["--only"]:
        return write_only(sys.argv[2:])
    MAILS.mkdir(exist_ok=True)
    for old in MAILS.glob("*.eml"):
        old.unlink()
    cases = all_cases()
    for case in cases:
        if not case.generated:
            (MAILS / f"{case.cid}.eml").write_bytes(mail_bytes(case))
    (HERE / "contacts.vcf").write_bytes(contacts_vcf().encode("utf-8"))
    (HERE / "contacts.csv").write_bytes(b"\xef\xbb\xbf" + contacts_csv().encode("utf-8"))
    (HERE / "settings.json").write_text(json.dumps(settings_document(), ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    document = {"internal_domains": INTERNAL, "contacts": ["contacts.vcf", "contacts.csv"],
                "settings": "settings.json", "mails": [c.expectation() for c in cases]}
    (HERE / "expected.json").write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    print(f"{len(cases)} mails written to {MAILS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
