"""Problems of the user's environment (disk full, keychain locked, port taken) as opposed to our bugs."""

from __future__ import annotations


class UserError(Exception):
    """An environment problem the user can act on: shown as one readable paragraph, never a traceback."""
