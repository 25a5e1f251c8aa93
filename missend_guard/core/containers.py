"""Looks inside attachment containers (ZIP, PDF, OOXML, OLE) without decrypting: being written."""

from __future__ import annotations


def is_encrypted(filename: str, content_type: str, data: bytes) -> bool:
    """True when the file is encrypted (ZIP, PDF, Office). Placeholder until the container work lands."""
    return False
