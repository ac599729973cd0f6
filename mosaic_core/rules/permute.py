"""The ten permute rules: answer every instruction, in a stated order."""

from __future__ import annotations

from collections.abc import Sequence

from mosaic_core.rules.base import CLASSES_FROM, Outcome, Rule, RuleInput

__all__ = ["PERMUTE_RULES"]


def _fixed_order(data: RuleInput) -> Outcome | None:
    order = tuple(sorted(range(data.n), key=lambda p: data.keys[p]))
    if order == tuple(range(data.n)):
        return None  # "answer in the order 1, 2, 3" is no order rule, and contradicts "not as they appear"
    return Outcome(order, values={"order": ", ".join(str(p + 1) for p in order)})


def _check_fixed(n: int, order: Sequence[int], masked: Sequence[int]) -> list[str]:
    if sorted(order) != list(range(n)) or masked:
        return ["the fixed order is not a permutation of the instructions"]
    if tuple(order) == tuple(range(n)):
        return ["the fixed order is the order the instructions are given in"]
    return []


def _reverse(data: RuleInput) -> Outcome:
    return Outcome(tuple(reversed(range(data.n))))


def _by_letter(data: RuleInput, descending: bool) -> Outcome | None:
    alphabet, letters = data.alphabet, data.letters
    if not alphabet or not all(letter and letter in alphabet for letter in letters):
        # "First letter" has no answer for an instruction without one in the language's alphabet (which
        # also rules out a mosaic that mixes scripts), nor in a script with no alphabetical order.
        return None
    sign = -1 if descending else 1
    # sorted() is stable, which is the tie-break every template states.
    return Outcome(tuple(sorted(range(data.n), key=lambda p: sign * alphabet.index(letters[p]))))


def _classes_first(data: RuleInput, first: int) -> Outcome | None:
    """The odd-numbered (``first`` 0) or even-numbered (1) instructions first, each class in the given order.

    Only where both classes hold two instructions (``CLASSES_FROM``): every sentence speaks of them as groups
    of several ("all of the even-numbered ones", "both groups in their order"), and in two instructions "odd
    first" would ask for the given order.

    >>> _classes_first(RuleInput([1] * 3, [1] * 3, [""] * 3, [0.0] * 3, 0.5), 0) is None
    True
    >>> _classes_first(RuleInput([1] * 5, [1] * 5, [""] * 5, [0.0] * 5, 0.5), 1).order
    (1, 3, 0, 2, 4)
    """
    n = data.n
    if n < CLASSES_FROM:
        return None
    return Outcome((*range(first, n, 2), *range(1 - first, n, 2)))


def _sorted_by(sizes: Sequence[int], descending: bool) -> tuple[int, ...]:
    sign = -1 if descending else 1
    return tuple(sorted(range(len(sizes)), key=lambda p: sign * sizes[p]))


def _by_size(data: RuleInput, unit: str, descending: bool) -> Outcome | None:
    """Sort by size; None when another reasonable way of counting the unit would sort otherwise."""
    if unit not in data.units:
        return None  # no word counts where words are not separated by spaces
    sizes = data.words if unit == "words" else data.chars
    order = _sorted_by(sizes, descending)
    for other in data.readings.get(unit, ()):
        if _sorted_by(other, descending) != order:
            return None
    return Outcome(order)


PERMUTE_RULES: tuple[Rule, ...] = (
    Rule("permute.fix", _fixed_order, ("order",), check_drawn=_check_fixed),
    Rule("permute.reverse", _reverse, positional=True),
    Rule("permute.alphabetical", lambda data: _by_letter(data, descending=False), letters=True),
    Rule("permute.reverse_alphabetical", lambda data: _by_letter(data, descending=True), letters=True),
    Rule("permute.shortest_words", lambda data: _by_size(data, "words", descending=False), unit="words"),
    Rule("permute.longest_words", lambda data: _by_size(data, "words", descending=True), unit="words"),
    Rule("permute.shortest_chars", lambda data: _by_size(data, "chars", descending=False), unit="chars"),
    Rule("permute.longest_chars", lambda data: _by_size(data, "chars", descending=True), unit="chars"),
    Rule("permute.odd_first", lambda data: _classes_first(data, 0), positional=True),
    Rule("permute.even_first", lambda data: _classes_first(data, 1), positional=True),
)
