"""The settings dialog, its accounts page and the audit window."""
