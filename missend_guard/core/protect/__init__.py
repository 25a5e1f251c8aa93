"""Attachment protection: looking inside files, encrypting them, the ledger of protected sends."""
