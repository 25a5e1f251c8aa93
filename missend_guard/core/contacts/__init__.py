"""Contacts: address books (vCard, CSV exports), names, readings and romaji."""
