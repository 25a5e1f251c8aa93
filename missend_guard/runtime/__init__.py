"""Headless composition: builds storage, gate, relay and delivery and runs them (no Qt)."""
