"""PyInstaller entry point: the same as the `missend-guard` console script."""

from __future__ import annotations

import sys

from missend_guard.cli import main

if __name__ == "__main__":
    sys.exit(main())
