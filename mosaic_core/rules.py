"""Permute and maskout rules, registered by name.

A rule decides positions only: the order in which the responses are given, or
which instructions are ignored. ``compose.py`` turns positions into text. Every
rule is deterministic given the instruction texts and the mosaic's pre-drawn
random keys, and returns ``None`` when it cannot give exactly one correct answer
for these instructions (the engine then tries the mosaic's next rule).

Adding a rule: write a function here, register it with ``@rule(...)`` and add
its template family to ``templates.PLACEHOLDERS`` and ``data/templates.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mosaic_core.errors import UnknownNameError

__all__ = ["RULES", "Outcome", "Rule", "RuleInput", "get_rule", "join_numbers", "rules_of"]


@dataclass(slots=True)  # made once per mosaic; frozen would cost a call per field
class RuleInput:
    """What a rule may look at: per position, the instruction's features."""

    words: Sequence[int]
    chars: Sequence[int]
    letters: Sequence[str]
    """Lower-cased first ASCII letter of each instruction, "" if it has none."""
    keys: Sequence[float]
    """Pre-drawn random numbers, one per position (for the fixed order and mask)."""
    mask_ratio: float

    @property
    def n(self) -> int:
        return len(self.words)

    @property
    def mask_size(self) -> int:
        return max(int(self.n * self.mask_ratio), 1)


@dataclass(slots=True)  # made once per mosaic; frozen would cost a call per field
class Outcome:
    """The positions a rule chose, and the values its template needs."""

    order: tuple[int, ...]
    """0-based positions, in the order the answer gives them (masked ones left out)."""
    masked: tuple[int, ...] = ()
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    """Also the name of its template family, e.g. ``permute.reverse``."""
    apply: Callable[[RuleInput], Outcome | None]

    @property
    def strategy(self) -> str:
        return self.name.split(".", 1)[0]


RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Callable[[RuleInput], Outcome | None]], Callable[[RuleInput], Outcome | None]]:
    def register(function: Callable[[RuleInput], Outcome | None]) -> Callable[[RuleInput], Outcome | None]:
        RULES[name] = Rule(name, function)
        return function

    return register


def get_rule(name: str) -> Rule:
    """The rule registered under ``name``.

    >>> get_rule("permute.reverse").strategy
    'permute'
    """
    try:
        return RULES[name]
    except KeyError:
        raise UnknownNameError("rule", name, RULES) from None


def rules_of(strategy: str) -> list[str]:
    """Names of the rules of one strategy, in registry order."""
    return [name for name, item in RULES.items() if item.strategy == strategy]


def join_numbers(numbers: Sequence[int]) -> str:
    """Human list of 1-based numbers.

    >>> join_numbers([2]), join_numbers([2, 5]), join_numbers([1, 3, 6])
    ('2', '2 and 5', '1, 3 and 6')
    """
    text = [str(number) for number in numbers]
    if len(text) <= 2:
        return " and ".join(text)
    return ", ".join(text[:-1]) + " and " + text[-1]


def _positions(data: RuleInput) -> range:
    return range(data.n)


# --- permute -------------------------------------------------------------------------------


@rule("permute.fix")
def _fixed_order(data: RuleInput) -> Outcome:
    order = tuple(sorted(_positions(data), key=lambda p: data.keys[p]))
    return Outcome(order, values={"order": ", ".join(str(p + 1) for p in order)})


@rule("permute.reverse")
def _reverse(data: RuleInput) -> Outcome:
    return Outcome(tuple(reversed(_positions(data))))


def _by_letter(data: RuleInput, descending: bool) -> Outcome | None:
    if not all(data.letters):
        return None  # "first letter" has no answer for an instruction without one
    sign = -1 if descending else 1
    # sorted() is stable, which is the tie-break every template states.
    return Outcome(tuple(sorted(_positions(data), key=lambda p: sign * ord(data.letters[p]))))


@rule("permute.alphabetical")
def _alphabetical(data: RuleInput) -> Outcome | None:
    return _by_letter(data, descending=False)


@rule("permute.reverse_alphabetical")
def _reverse_alphabetical(data: RuleInput) -> Outcome | None:
    return _by_letter(data, descending=True)


def _by_size(sizes: Sequence[int], descending: bool) -> Outcome:
    sign = -1 if descending else 1
    return Outcome(tuple(sorted(range(len(sizes)), key=lambda p: sign * sizes[p])))


@rule("permute.shortest_words")
def _shortest_words(data: RuleInput) -> Outcome:
    return _by_size(data.words, descending=False)


@rule("permute.longest_words")
def _longest_words(data: RuleInput) -> Outcome:
    return _by_size(data.words, descending=True)


@rule("permute.shortest_chars")
def _shortest_chars(data: RuleInput) -> Outcome:
    return _by_size(data.chars, descending=False)


@rule("permute.longest_chars")
def _longest_chars(data: RuleInput) -> Outcome:
    return _by_size(data.chars, descending=True)


@rule("permute.odd_first")
def _odd_first(data: RuleInput) -> Outcome:
    return Outcome((*range(0, data.n, 2), *range(1, data.n, 2)))


@rule("permute.even_first")
def _even_first(data: RuleInput) -> Outcome:
    return Outcome((*range(1, data.n, 2), *range(0, data.n, 2)))


# --- maskout -------------------------------------------------------------------------------


def _without(n: int, masked: Sequence[int], values: dict[str, str] | None = None) -> Outcome:
    hidden = tuple(sorted(masked))
    skip = set(hidden)
    return Outcome(tuple(p for p in range(n) if p not in skip), hidden, values or {})


def _noun(count: int) -> str:
    return "instruction" if count == 1 else "instructions"


@rule("maskout.fix")
def _mask_fixed(data: RuleInput) -> Outcome:
    chosen = sorted(sorted(_positions(data), key=lambda p: data.keys[p])[: data.mask_size])
    values = {"noun": _noun(len(chosen)), "positions": join_numbers([p + 1 for p in chosen])}
    return _without(data.n, chosen, values)


def _mask_by_words(data: RuleInput, longest: bool) -> Outcome | None:
    m = data.mask_size
    ranked = sorted(_positions(data), key=lambda p: data.words[p], reverse=longest)
    if m < data.n and data.words[ranked[m - 1]] == data.words[ranked[m]]:
        return None  # a tie at the cut: "the m longest" would not name one set
    return _without(data.n, ranked[:m], {"m": str(m), "noun": _noun(m)})


@rule("maskout.longest_words")
def _mask_longest(data: RuleInput) -> Outcome | None:
    return _mask_by_words(data, longest=True)


@rule("maskout.shortest_words")
def _mask_shortest(data: RuleInput) -> Outcome | None:
    return _mask_by_words(data, longest=False)


@rule("maskout.odd")
def _mask_odd(data: RuleInput) -> Outcome | None:
    return _without(data.n, range(0, data.n, 2))


@rule("maskout.even")
def _mask_even(data: RuleInput) -> Outcome | None:
    return _without(data.n, range(1, data.n, 2))
