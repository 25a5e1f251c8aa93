"""Regexes behind a first-character look-ahead (markers.starting_with) keep every match of the plain one."""

from __future__ import annotations

import re
import re._constants as sre  # the parser's opcodes
import re._parser as sre_parse

import pytest

from missend_guard.core.message import markers

# Characters that match an ASCII letter under IGNORECASE without being its upper or lower case.
_CASE_ODDITIES = "İıſK"

PREFILTERED: dict[str, re.Pattern[str]] = {
    "markers.DISCLAIMER": markers.DISCLAIMER,
    "markers.DISCLAIMER_SENTENCE": markers.DISCLAIMER_SENTENCE,
}


def _first_chars(items: list[tuple[object, object]]) -> set[str]:
    """Every character a match of `items` can start with; raises where that cannot be listed."""
    for op, av in items:
        if op is sre.AT:
            continue  # \b, ^: zero width, the next item starts the match
        if op is sre.LITERAL:
            assert isinstance(av, int)
            return {chr(av)}
        if op is sre.IN:
            assert isinstance(av, list)
            out = set()
            for kind, value in av:
                if kind is sre.LITERAL:
                    out.add(chr(value))
                elif kind is sre.RANGE:
                    out |= {chr(c) for c in range(value[0], value[1] + 1)}
                else:
                    raise ValueError(f"cannot list the characters of {kind}")
            return out
        if op is sre.BRANCH:
            assert isinstance(av, tuple)
            return set().union(*(_first_chars(list(alt)) for alt in av[1]))
        if op is sre.SUBPATTERN:
            assert isinstance(av, tuple)
            return _first_chars(list(av[-1]))
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and isinstance(av, tuple) and av[0] >= 1:
            return _first_chars(list(av[2]))
        raise ValueError(f"a match may start with {op}: list its characters by hand")
    raise ValueError("the pattern can match the empty string")


def _split(pattern: re.Pattern[str]) -> tuple[str, list[tuple[object, object]]]:
    """(look-ahead class, the plain pattern's items) of a starting_with() pattern."""
    items = list(sre_parse.parse(pattern.pattern, pattern.flags).data)
    op, av = items[0]
    assert op is sre.ASSERT, "not behind a look-ahead"
    assert isinstance(av, tuple)
    assert av[0] == 1  # ahead, not behind
    lookahead = _first_chars(list(av[1]))
    return "".join(sorted(lookahead)), items[1:]


@pytest.mark.parametrize("name", sorted(PREFILTERED))
def test_lookahead_admits_every_first_character_of_the_pattern(name: str) -> None:
    pattern = PREFILTERED[name]
    chars, rest = _split(pattern)
    lookahead = re.compile(f"[{re.escape(chars)}]", pattern.flags)
    for first in sorted(_first_chars(rest)):
        literal = re.compile(re.escape(first), pattern.flags)
        for probe in {first, first.upper(), first.lower(), *_CASE_ODDITIES}:
            if len(probe) == 1 and literal.fullmatch(probe):
                assert lookahead.fullmatch(probe), f"{name}: a match can start with {probe!r}"


def test_starting_with_keeps_matches_and_spans() -> None:
    plain = re.compile(r"intended\s+for|この(?:メール|電子メール)", re.IGNORECASE)
    fast = re.compile(markers.starting_with("iこ", plain.pattern), re.IGNORECASE)
    for text in ("This e-mail is İntended  for you", "本文です。この電子メールは", "nothing here", ""):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
