"""A clock the test moves by hand: call it for the time, set `now` to move it."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class ManualClock(Generic[T]):
    """Epoch seconds or a datetime, whatever the code under test reads."""

    def __init__(self, now: T) -> None:
        self.now = now

    def __call__(self) -> T:
        return self.now
