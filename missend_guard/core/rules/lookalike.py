"""Rules about lookalike (being written)."""

from __future__ import annotations

from missend_guard.core.rules import Rule

RULES: tuple[Rule, ...] = ()
