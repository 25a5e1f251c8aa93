"""Timing scripts (DESIGN.md: print ratios, assert nothing)."""
