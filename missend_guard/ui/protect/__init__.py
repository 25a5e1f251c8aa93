"""Attachment protection in the UI: the protect dialog and the password hand-off."""
