"""What one run overrides from the command line (or a test): port, hold, extra contacts and domains."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from missend_guard.runtime.senders import GraphOptions


@dataclass(frozen=True)
class RunOptions:
    """Per-run overrides of the settings; None / empty means "as the settings say"."""

    relay_port: int | None = None
    hold_seconds: float | None = None
    contacts_files: Sequence[str] = ()  # --contacts: must be readable, kept when settings change
    internal_domains: Sequence[str] = ()  # --internal-domain: added to the settings' list
    upstream_cafile: str | None = None  # tests: trust a local TLS upstream
    graph: GraphOptions | None = None  # tests: where Graph and the sign-in authority are
