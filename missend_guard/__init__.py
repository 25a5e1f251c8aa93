"""Missend Guard: stops mis-sent mail before it leaves the desktop."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("missend-guard")
except metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"
