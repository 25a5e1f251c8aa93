"""Look-alike rules and their helpers: confusable characters, registrable domains."""
