"""Rules: each a function `(message, context) -> Iterable[Finding]`, grouped by what they look at."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Finding
from missend_guard.core.message.model import Message

Rule = Callable[[Message, CheckContext], Iterable[Finding]]
