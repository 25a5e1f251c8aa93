"""Pure checking engine: message model, contacts, policy, rules, checker, gate. No Qt, no network."""
