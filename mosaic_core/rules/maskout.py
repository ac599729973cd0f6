"""The five maskout rules: leave some instructions unanswered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mosaic_core.rules.base import CLASSES_FROM, Outcome, Rule, RuleInput, join_numbers, noun

__all__ = ["MASKOUT_RULES"]


def _without(n: int, masked: Iterable[int], values: dict[str, str] | None = None) -> Outcome:
    hidden = tuple(sorted(masked))
    skip = set(hidden)
    return Outcome(tuple(p for p in range(n) if p not in skip), hidden, values or {})


def _mask_fixed(data: RuleInput) -> Outcome:
    chosen = sorted(sorted(range(data.n), key=lambda p: data.keys[p])[: data.mask_size])
    values = {"noun": noun(len(chosen)), "positions": join_numbers([p + 1 for p in chosen])}
    return _without(data.n, chosen, values)


def _check_fixed(n: int, order: Sequence[int], masked: Sequence[int]) -> list[str]:
    problems = []
    if not 1 <= len(masked) <= max(n // 2, 1):
        problems.append("the fixed mask hides too many or too few instructions")
    hidden = set(masked)
    if tuple(order) != tuple(p for p in range(n) if p not in hidden):
        problems.append("the answer does not keep the unmasked instructions in their order")
    return problems


def _mask_class(data: RuleInput, first: int) -> Outcome | None:
    """Leave out the odd-numbered (``first`` 0) or even-numbered (1) instructions, where both classes hold two
    (``CLASSES_FROM``): "answer only the odd-numbered ones" never stands for one instruction."""
    if data.n < CLASSES_FROM:
        return None
    return _without(data.n, range(first, data.n, 2))


def _cut(words: Sequence[int], m: int, longest: bool) -> frozenset[int] | None:
    """The m longest (or shortest) positions; None when a tie at the cut leaves the set open."""
    ranked = sorted(range(len(words)), key=lambda p: words[p], reverse=longest)
    if m < len(words) and words[ranked[m - 1]] == words[ranked[m]]:
        return None
    return frozenset(ranked[:m])


def _mask_by_words(data: RuleInput, longest: bool) -> Outcome | None:
    if "words" not in data.units:
        return None  # no word counts where words are not separated by spaces
    m = data.mask_size
    chosen = _cut(data.words, m, longest)
    if chosen is None:
        return None  # a tie at the cut: "the m longest" would not name one set
    for other in data.readings.get("words", ()):
        if _cut(other, m, longest) != chosen:
            return None  # another way of counting words would name other instructions
    return _without(data.n, chosen, {"m": str(m), "noun": noun(m)})


MASKOUT_RULES: tuple[Rule, ...] = (
    Rule("maskout.fix", _mask_fixed, ("noun", "positions"), check_drawn=_check_fixed),
    Rule("maskout.longest_words", lambda data: _mask_by_words(data, longest=True), ("m", "noun"), unit="words"),
    Rule("maskout.shortest_words", lambda data: _mask_by_words(data, longest=False), ("m", "noun"), unit="words"),
    Rule("maskout.odd", lambda data: _mask_class(data, 0), positional=True, classes=True),
    Rule("maskout.even", lambda data: _mask_class(data, 1), positional=True, classes=True),
)
