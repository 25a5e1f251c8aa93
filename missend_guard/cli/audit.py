"""Sub-command placeholder until the send path lands (issue 4)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """No options yet."""


def main(args: argparse.Namespace) -> int:
    """Not available yet."""
    print(f"missend-guard {args.command}: not available in this build yet", file=sys.stderr)
    return 2
