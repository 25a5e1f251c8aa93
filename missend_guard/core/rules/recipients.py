"""Recipient rules: external, blocked, first-time, free-mail, and externals who can see each other."""

from __future__ import annotations

from collections.abc import Iterator

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Finding, recipient_target
from missend_guard.core.message.model import Message
from missend_guard.core.rules import Rule


def external_recipients(message: Message, context: CheckContext) -> Iterator[Finding]:
    """One `external-recipient` per recipient whose domain is not internal."""
    for i, rcpt in enumerate(message.recipients):
        if not context.policy.is_internal(rcpt.domain):
            yield context.finding("external-recipient", recipient_target(i), domain=rcpt.domain)


def blocked_recipients(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`blocked-recipient` for addresses or domains the policy blocks."""
    for i, rcpt in enumerate(message.recipients):
        if context.policy.is_blocked(rcpt.address, rcpt.domain):
            yield context.finding("blocked-recipient", recipient_target(i), address=rcpt.address)


def many_external_visible(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`many-external-visible` when To+Cc expose many external addresses or domains to each other."""
    visible = [
        r for r in message.recipients if r.field in ("to", "cc") and not context.policy.is_internal(r.domain)
    ]
    addresses = {r.address.lower() for r in visible}
    domains = {r.domain for r in visible}
    policy = context.policy
    if (
        len(domains) >= policy.max_external_domains_visible
        or len(addresses) >= policy.max_external_addresses_visible
    ):
        yield context.finding(
            "many-external-visible",
            "message",
            external_addresses=len(addresses),
            external_domains=len(domains),
            domains=sorted(domains),
        )


def first_time_recipients(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`first-time-recipient` for an external address neither in contacts nor (trusted) in sent history."""
    for i, rcpt in enumerate(message.recipients):
        if not context.policy.is_internal(rcpt.domain) and not context.is_known_address(rcpt.address):
            # Sent to before, but only past a look-alike warning: say so (`sent_days`).
            days = context.sent_untrusted(rcpt.address)
            yield context.finding(
                "first-time-recipient",
                recipient_target(i),
                address=rcpt.address,
                domain_known=rcpt.domain in context.known_domains,
                **({} if days is None else {"sent_days": days}),
            )


def free_mail_domains(message: Message, context: CheckContext) -> Iterator[Finding]:
    """`free-mail-domain`: an unknown consumer address, or a contact who also has a business address."""
    for i, rcpt in enumerate(message.recipients):
        if not context.policy.is_free_mail(rcpt.domain):
            continue
        contact = context.contacts.by_address(rcpt.address)
        if contact is None:
            yield context.finding("free-mail-domain", recipient_target(i), domain=rcpt.domain)
            continue
        business = [
            a
            for a in contact.emails
            if "@" in a and not context.policy.is_free_mail(a.rpartition("@")[2].lower())
        ]
        if business:
            yield context.finding(
                "free-mail-domain", recipient_target(i), domain=rcpt.domain, business_address=business[0]
            )


RULES: tuple[Rule, ...] = (
    blocked_recipients,
    external_recipients,
    many_external_visible,
    first_time_recipients,
    free_mail_domains,
)
