"""Content rules and their helpers: salutations, placeholders, personal numbers, attachment mentions."""
