"""The SMTP envelope: who the client said the mail is from and for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Envelope:
    """SMTP envelope as the client gave it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
