"""The durable outbox: .eml files under outbox/ plus one SQLite row each (core.ports.outbox.Outbox)."""
