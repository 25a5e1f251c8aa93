"""End-to-end fixtures: `missend-guard run --headless` as a subprocess with a real upstream sink."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.headless import Cli


@pytest.fixture
def cli(keyring_file_env, tmp_path, smtp_sink) -> Iterator[Cli]:
    """The CLI on a private data dir, with one account sending to the sink."""
    cli = Cli(keyring_file_env, tmp_path / "data")
    cli.run("account", "add", "up", "--host", "127.0.0.1", "--port", str(smtp_sink.port),
            "--security", "none", "--default")
    try:
        yield cli
    finally:
        cli.stop()
