"""First-run setup wizard and the Microsoft 365 sign-in."""
