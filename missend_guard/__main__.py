"""`python -m missend_guard` is the same as `missend-guard`."""

from __future__ import annotations

import sys

from missend_guard.cli import main

sys.exit(main())
