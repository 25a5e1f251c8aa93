"""The check: findings, codes, policy, context and the checker that runs every rule."""
