"""What a meta-instruction sentence claims, and where it may stand: the rules that keep a prompt to one reading.

Every template declares its ``place`` (before the instructions, after them, or
either) and, for format sentences, its ``claims``:

* ``all``: every instruction is to be answered; never beside a mask sentence;
* ``given_order``: answer in the order given; never beside an order sentence;
* ``plural``: it speaks of several instructions; never on a one-instruction mosaic (nor is ``all``).

The words of a sentence are checked against its declaration when the library
loads (``check_declared``), so a sentence saying "below" cannot be declared to
stand after the instructions. The engine composes only compatible sentences
(``compatible``) and places each where its words fit; the verifier checks both
again on every mosaic, and that counts agree (``disagreement``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mosaic_core.errors import TemplateError

__all__ = [
    "CLAIMS",
    "PLACES",
    "check_declared",
    "compatible",
    "disagreement",
    "fits_place",
    "inferred_claims",
    "inferred_place",
]

PLACES = ("before", "after", "either")
CLAIMS = ("all", "given_order", "plural")

_BEFORE = re.compile(r"\b(below|follow|follows|following|next)\b", re.IGNORECASE)
_AFTER = re.compile(r"\b(above|preceding|previous|foregoing)\b", re.IGNORECASE)
_ALL = re.compile(
    r"\b(every|each|all)\b.*\b(instruction|task|request|question|prompt)|unanswered|without skipping|none of",
    re.IGNORECASE,
)
_GIVEN_ORDER = re.compile(
    r"\b(in order|in the order|same order|original order|in sequence|one by one"
    r"|order given|order shown|order listed)\b",
    re.IGNORECASE,
)
_PLURAL = re.compile(r"\b(instructions|tasks|requests|questions|prompts|them|these|those)\b", re.IGNORECASE)
_NOUNS = "instruction|task|item|question|request|prompt"
_BAD_COUNT = re.compile(
    rf"\b1 (?:[a-z]+ )?(?:{_NOUNS})s\b|\bthe 1 [a-z]+\b|\b(?:[02-9]|\d{{2,}}) (?:[a-z]+ )?(?:{_NOUNS})\b(?!s)"
)
_FORMAT_FAMILIES = ("format.wrapper", "format.plain")


def inferred_place(text: str) -> str:
    """Where a sentence's own words put it.

    >>> inferred_place("Answer the instructions below."), inferred_place("Reverse the order of the answers.")
    ('before', 'either')
    """
    before, after = bool(_BEFORE.search(text)), bool(_AFTER.search(text))
    if before and after:
        raise TemplateError(f"template {text!r} points both below and above; it can stand in neither place")
    return "before" if before else "after" if after else "either"


def inferred_claims(family: str, text: str) -> tuple[str, ...]:
    """The claims a format sentence's words make (other families claim by their rule).

    >>> inferred_claims("format.plain", "Answer every one of the instructions that follow.")
    ('all', 'plural')
    """
    if family not in _FORMAT_FAMILIES:
        return ()
    found = []
    if _ALL.search(text):
        found.append("all")
    if _GIVEN_ORDER.search(text):
        found.append("given_order")
    if _PLURAL.search(text):
        found.append("plural")
    return tuple(found)


def check_declared(template_id: str, family: str, text: str, place: str, claims: Iterable[str]) -> None:
    """Raise TemplateError when a declaration does not match the sentence's words."""
    if place not in PLACES:
        raise TemplateError(f"template {template_id!r}: place must be one of {', '.join(PLACES)}, not {place!r}")
    unknown = set(claims) - set(CLAIMS)
    if unknown:
        raise TemplateError(f"template {template_id!r}: unknown claims {sorted(unknown)}; known: {', '.join(CLAIMS)}")
    words = inferred_place(text)
    if words not in ("either", place):
        raise TemplateError(
            f"template {template_id!r} is declared to stand {place!r} the instructions, but its words "
            f"({'below/following' if words == 'before' else 'above/preceding'}) put it {words} them"
        )
    missing = set(inferred_claims(family, text)) - set(claims)
    if missing:
        raise TemplateError(
            f"template {template_id!r} says {', '.join(sorted(missing))} by its words but does not declare it"
        )
    if claims and family not in _FORMAT_FAMILIES:
        raise TemplateError(
            f"template {template_id!r}: only format sentences declare claims; {family} claims by its rule"
        )


def compatible(claims: Iterable[str], strategy: str, k: int) -> bool:
    """Whether a format sentence with these claims may stand in a mosaic of ``strategy`` with k items.

    >>> compatible(("all",), "maskout", 3), compatible(("all",), "permute", 3), compatible(("plural",), "format", 1)
    (False, True, False)
    >>> compatible(("all",), "primary", 1), compatible((), "primary", 1)
    (False, True)
    """
    claimed = set(claims)
    if strategy == "maskout" and "all" in claimed:
        return False
    if strategy == "permute" and "given_order" in claimed:
        return False
    # One instruction is not "the instructions", nor "every instruction".
    return not (k == 1 and claimed & {"plural", "all"})


def fits_place(place: str, before: bool) -> bool:
    return place == "either" or (place == "before") == before


def disagreement(sentence: str) -> str | None:
    """A count that disagrees with its noun ("1 instructions", "the 1 longest", "3 instruction"), if any.

    >>> disagreement("Skip the 1 longest instructions."), disagreement("Skip the 2 longest instructions.")
    ('the 1 longest', None)
    """
    found = _BAD_COUNT.search(sentence)
    return found.group() if found else None
