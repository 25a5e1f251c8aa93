"""Look-alike rules: a recipient domain or address that imitates a known one, or a contact easily confused."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Finding, recipient_target
from missend_guard.core.message.addresses import Address, unicode_domain
from missend_guard.core.message.model import Message
from missend_guard.core.rules import Rule
from missend_guard.core.rules.lookalike.confusables import is_mixed_script, skeleton
from missend_guard.core.rules.lookalike.domains import registrable

# Pairs a quick reader takes for each other in a sans-serif font (one substitution in a short name).
_SIMILAR_PAIRS = frozenset(
    frozenset(p)
    for p in ("il", "ij", "l1", "i1", "o0", "ce", "eo", "ao", "co", "uv", "nm", "nh", "rn", "gq",
              "pq", "hb", "ft", "yv", "wv", "s5", "b6", "g9", "bd", "qp")
)
_MIN_EDIT_NAME = 5  # below this, one edit turns a name into another real one (ab.jp / ac.jp)
_ANY_EDIT_NAME = 7  # from this length on, any single edit is a typo candidate
_MIN_SWAP_NAME = 3  # tld-swap needs a name that is not a generic two-letter label
_MIN_LOCAL = 4  # local parts shorter than this differ by design (a@, b@)
_LONG_LOCAL = 10


@dataclass(frozen=True)
class _Index:
    """Known domains cut at their public suffix, with blocking keys for near matches."""

    known: frozenset[str]
    regs: dict[str, str]  # registrable domain → the shortest known domain under it
    by_name: dict[str, list[str]]  # registrable name → registrable domains (tld-swap)
    by_skeleton: dict[str, list[str]]  # skeleton of the registrable domain → registrable domains
    by_name_skeleton: dict[str, list[str]]
    # one-deletion variants of names ("suffix|variant") → registrable domains joined by "\n": strings,
    # not a million small lists, keep the build fast (no GC passes) and small
    deletes: dict[str, str]
    locals_by_domain: dict[str, list[str]]  # history local parts by domain (contacts have their own)


def _deletions(name: str) -> set[str]:
    return {name, *(name[:i] + name[i + 1 :] for i in range(len(name)))}


def _build_index(context: CheckContext) -> _Index:
    known = frozenset(unicode_domain(d) for d in context.known_domains if d)
    regs: dict[str, str] = {}
    for domain in sorted(known, key=len):
        reg = registrable(domain)
        if reg.name:
            regs.setdefault(reg.domain, domain)
    by_name: dict[str, list[str]] = defaultdict(list)
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    by_name_skeleton: dict[str, list[str]] = defaultdict(list)
    deletes: dict[str, str] = {}
    for reg_domain in regs:
        reg = registrable(reg_domain)
        by_name[reg.name].append(reg_domain)
        by_skeleton[skeleton(reg_domain)].append(reg_domain)
        by_name_skeleton[skeleton(reg.name)].append(reg_domain)
        if len(reg.name) >= _MIN_EDIT_NAME - 1:
            prefix = reg.suffix + "|"
            for variant in _deletions(reg.name):
                key = prefix + variant
                previous = deletes.get(key)
                deletes[key] = reg_domain if previous is None else f"{previous}\n{reg_domain}"
    locals_by_domain: dict[str, list[str]] = defaultdict(list)
    for address in context.history_addresses:  # a suspect is no model of how a name is spelled
        local, at, domain = address.rpartition("@")
        if at and local:
            locals_by_domain[unicode_domain(domain)].append(local)
    return _Index(
        known, regs, dict(by_name), dict(by_skeleton), dict(by_name_skeleton), dict(deletes),
        dict(locals_by_domain),
    )


def _index(context: CheckContext) -> _Index:
    return context.derived("lookalike-index", _build_index)


def _edit_plausible(a: str, b: str) -> bool:
    """A single edit between two names that reads as a slip, strict for short names (canon/cannon)."""
    shorter = min(len(a), len(b))
    if shorter >= _ANY_EDIT_NAME:
        return True
    if shorter < _MIN_EDIT_NAME:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) != 1:
            return True  # adjacent letters swapped
        i = diffs[0]
        return frozenset((a[i], b[i])) in _SIMILAR_PAIRS
    longer, short = (a, b) if len(a) > len(b) else (b, a)
    i = next((k for k in range(len(short)) if longer[k] != short[k]), len(short))
    extra = longer[i]
    doubled = (i > 0 and longer[i - 1] == extra) or (i + 1 < len(longer) and longer[i + 1] == extra)
    return extra in "-." or doubled


def _edit_match(name: str, suffix: str, index: _Index) -> str | None:
    if len(name) < _MIN_EDIT_NAME - 1:
        return None
    prefix = suffix + "|"
    candidates = {
        reg_domain
        for variant in _deletions(name)
        for reg_domain in index.deletes.get(prefix + variant, "").split("\n")
        if reg_domain
    }
    matches = [
        reg_domain for reg_domain in candidates
        if DamerauLevenshtein.distance(name, other := registrable(reg_domain).name, score_cutoff=1) == 1
        and _edit_plausible(name, other)
    ]
    return min(matches) if matches else None


def domain_lookalike(domain: str, context: CheckContext) -> tuple[str, str] | None:
    """(known domain it imitates, reason) for an unknown recipient domain, or None."""
    policy = context.policy
    domain = unicode_domain(domain)
    if not domain or policy.is_internal(domain) or policy.is_free_mail(domain):
        return None
    index = _index(context)
    if domain in index.known:
        return None
    reg = registrable(domain)
    if not reg.name or reg.domain in index.regs:
        return None  # a public suffix, or another host of a known organisation
    non_ascii = not domain.isascii()
    mixed = non_ascii and any(is_mixed_script(label) for label in domain.split("."))
    homograph = "mixed-script" if mixed else "idn-homograph" if non_ascii else "confusable"
    hits = [r for r in index.by_skeleton.get(skeleton(reg.domain), ()) if r != reg.domain]
    if hits:
        return index.regs[hits[0]], homograph
    if mixed:
        return skeleton(domain), "mixed-script"  # imitates something, even if nothing we know
    if len(reg.name) >= _MIN_SWAP_NAME:
        hits = [r for r in index.by_name.get(reg.name, ()) if r != reg.domain]
        if hits:
            return index.regs[hits[0]], "tld-swap"
        hits = [r for r in index.by_name_skeleton.get(skeleton(reg.name), ()) if r != reg.domain]
        if hits:
            return index.regs[hits[0]], homograph
    match = _edit_match(reg.name, reg.suffix, index)
    if match is not None:
        return index.regs[match], "edit-distance"
    return None


def lookalike_domains(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`lookalike-domain` for each recipient whose unknown domain is close to a known one."""
    for i, rcpt in enumerate(message.recipients):
        hit = domain_lookalike(rcpt.domain, context)
        if hit is not None:
            similar_to, reason = hit
            yield context.finding(
                "lookalike-domain", recipient_target(i), domain=rcpt.domain, similar_to=similar_to,
                reason=reason, **_sent_before(rcpt.domain, context),
            )


def _sent_before(name: str, context: CheckContext) -> dict[str, int]:
    """`sent_days` when mail went to `name` before, past this warning, and it is not trusted yet."""
    days = context.sent_untrusted(name)
    return {} if days is None else {"sent_days": days}


def _near_addresses(rcpt: Address, domain: str, context: CheckContext) -> list[tuple[float, str]]:
    local = rcpt.local.lower()
    if domain != rcpt.domain:
        cutoff = 1 if len(local) >= _MIN_LOCAL else 0  # a look-alike domain: the same person's local part
    elif len(local) >= _LONG_LOCAL:
        cutoff = 2
    elif len(local) >= _MIN_LOCAL:
        cutoff = 1
    else:
        return []
    locals_ = [a.rpartition("@")[0] for a in context.contacts.addresses_in_domain(domain)]
    locals_ += _index(context).locals_by_domain.get(domain, [])
    hits = process.extract(local, locals_, scorer=DamerauLevenshtein.distance, score_cutoff=cutoff,
                           limit=5)
    return sorted((score, f"{other}@{domain}") for other, score, _ in hits)


def _address_finding(i: int, rcpt: Address, context: CheckContext) -> Finding | None:
    if not rcpt.domain or context.is_known_address(rcpt.address):
        return None
    domains = [rcpt.domain]
    hit = domain_lookalike(rcpt.domain, context)
    if hit is not None and hit[0] in _index(context).known:
        domains.append(hit[0])
    for domain in domains:
        near = _near_addresses(rcpt, domain, context)
        if near:
            # a contact's address reads better in the dialog than a history entry
            near.sort(key=lambda s: (s[0], context.contacts.by_address(s[1]) is None, s[1]))
            similar = near[0][1]
            known = context.contacts.by_address(similar)
            return context.finding(
                "lookalike-contact", recipient_target(i), address=rcpt.address, similar_to=similar,
                name=rcpt.name, similar_name=known.name if known else "", reason="address",
                **_sent_before(rcpt.address, context),
            )
    return None


def _name_finding(i: int, rcpt: Address, message: Message, context: CheckContext) -> Finding | None:
    contact = context.contacts.by_address(rcpt.address)
    if contact is None:
        return None
    addressed = {r.address.lower() for r in message.recipients}
    # one more than the others addressed here is enough to find one who is not
    for other in context.contacts.similar_contacts(contact, limit=len(message.recipients) + 1):
        if addressed.isdisjoint(a.lower() for a in other.emails):  # both addressed: deliberate
            return context.finding(
                "lookalike-contact", recipient_target(i), address=rcpt.address,
                similar_to=other.emails[0], name=contact.name, similar_name=other.name, reason="name",
            )
    return None


def lookalike_contacts(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`lookalike-contact`: an unknown address a typo away from a known one, or a confusable contact."""
    for i, rcpt in enumerate(message.recipients):
        finding = _address_finding(i, rcpt, context) or _name_finding(i, rcpt, message, context)
        if finding is not None:
            yield finding


RULES: tuple[Rule, ...] = (lookalike_domains, lookalike_contacts)
