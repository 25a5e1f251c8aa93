"""Settings: the declarative table, the JSON store, admin policy sources."""
