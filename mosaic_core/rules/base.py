"""What a rule is: the unit that decides positions, and the values its sentences name.

A rule decides positions only: the order in which the responses are given, or
which instructions are ignored; ``text/compose.py`` turns positions into text.
Every rule is deterministic given the instructions' features and the mosaic's
pre-drawn random keys, and returns ``None`` when it cannot give exactly one
correct answer for these instructions (the engine then tries the mosaic's next
rule).

Each rule declares, in one place, everything the rest of the library reads
about it: its name (also its template family), the placeholders its sentences
fill, example values for any number of items, and whether its answer is drawn
at random (so the verifier checks that the sentence names it rather than
working it out again).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["CLASSES_FROM", "Outcome", "Rule", "RuleInput", "example_values", "join_numbers", "noun"]


CLASSES_FROM = 4
"""The fewest instructions in which the odd/even rules apply: both classes then hold two or more, as every
sentence of theirs speaks of each class as several ("the even-numbered ones", "both groups")."""


@dataclass(slots=True)  # made once per mosaic; frozen would cost a call per field
class RuleInput:
    """What a rule may look at: per position, the instruction's features."""

    words: Sequence[int]
    chars: Sequence[int]
    letters: Sequence[str]
    """Lower-cased first character of each instruction if it is a letter, "" if it is not."""
    keys: Sequence[float]
    """Pre-drawn random numbers, one per position (for the fixed order and mask)."""
    mask_ratio: float
    readings: Mapping[str, Sequence[Sequence[int]]] = field(default_factory=dict)
    """The other reasonable counts of ``words`` and ``chars`` (``rules/features.py``), per position."""
    alphabet: str = "abcdefghijklmnopqrstuvwxyz"
    """The letters of the meta-instruction's language in alphabetical order ("" where it has no such order)."""
    units: tuple[str, ...] = ("words", "chars")
    """What sizes mean in that language: words only where words are separated by spaces."""

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


Check = Callable[[int, Sequence[int], Sequence[int]], list[str]]
"""For a drawn rule: (k, order, masked) -> what is wrong with them (empty when nothing is).

The sentence's own values are checked against the plan by the verifier, in the mosaic's language."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One permute or maskout rule.

    >>> from mosaic_core.rules.registry import get_rule
    >>> get_rule("maskout.fix").example(4)
    {'noun': 'instructions', 'positions': '2 and 4'}
    """

    name: str
    """Also the name of its template family, e.g. ``permute.reverse``."""
    apply: Callable[[RuleInput], Outcome | None]
    placeholders: tuple[str, ...] = ()
    check_drawn: Check | None = None
    """Set for rules whose answer comes from the mosaic's random keys (fixed order, fixed mask)."""
    unit: str | None = None
    """The size a size rule compares (``words`` or ``chars``): it applies only where the language has it."""
    positional: bool = False
    """Its answer follows from the instructions' numbers alone, so its sentences may name numbers in their own
    words ("answer 1, 3, 5 and so on first"): a mosaic needs as many instructions as they name."""
    classes: bool = False
    """Its answer is a class of numbers (odd, even), which a sentence may speak of as several ("every odd one",
    claim ``classes``): such a sentence needs both classes to hold two instructions."""
    letters: bool = False
    """Its answer is read from the instructions' first letters: it means something only in a language with an
    alphabetical order, and not beside a tag with letters ("Q1"), whose "Q" could be read as the first letter."""

    @property
    def strategy(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def masks(self) -> bool:
        """Whether its sentences tell which instructions to leave unanswered (a maskout rule)."""
        return self.strategy == "maskout"

    @property
    def label(self) -> str:
        """``"reverse alphabetical"`` for ``permute.reverse_alphabetical``."""
        return self.name.split(".", 1)[1].replace("_", " ")

    def example(self, n: int = 4) -> dict[str, str]:
        """Values of this rule's placeholders for an example mosaic of ``n`` items."""
        return example_values(self.placeholders, n)

    def widest(self, n: int) -> dict[str, str]:
        """Values that make this rule's sentences as long as they can get for ``n`` items."""
        return example_values(self.placeholders, n, widest=True)


def join_numbers(numbers: Sequence[int]) -> str:
    """Human list of 1-based numbers.

    >>> join_numbers([2]), join_numbers([2, 5]), join_numbers([1, 3, 6])
    ('2', '2 and 5', '1, 3 and 6')
    """
    text = [str(number) for number in numbers]
    if len(text) <= 2:
        return " and ".join(text)
    return ", ".join(text[:-1]) + " and " + text[-1]


def noun(count: int) -> str:
    return "instruction" if count == 1 else "instructions"


def example_values(placeholders: Sequence[str], n: int, widest: bool = False) -> dict[str, str]:
    """Sample values for placeholders; ``widest`` gives the longest text any mosaic of n items can have.

    >>> example_values(("order",), 3)
    {'order': '3, 1, 2'}
    """
    if widest:
        number = str(10 ** len(str(n)) - 1)
        every = ", ".join([number] * n)
        known = {"order": every, "positions": every, "m": number, "noun": "instructions"}
    else:
        half = list(range(2, n + 1, 2)) or [1]
        known = {
            "order": ", ".join(str(p) for p in [n, *range(1, n)]),
            "positions": join_numbers(half),
            "m": str(len(half)),
            "noun": noun(len(half)),
        }
    return {name: known[name] for name in sorted(placeholders)}
