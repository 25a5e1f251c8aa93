"""Fixtures: a throw-away data dir (never the real profile) and a controllable clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from missend_guard.storage.paths import DataPaths
from tests.helpers.clock import ManualClock


@pytest.fixture
def paths(tmp_path: Path) -> DataPaths:
    return DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "policy.json")


@pytest.fixture
def clock() -> ManualClock[float]:
    return ManualClock(1_700_000_000.0)
