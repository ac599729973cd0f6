"""What a meta-instruction sentence claims, and where it may stand: the rules that keep a prompt to one reading.

Every template declares its ``place`` (before the instructions, after them, or
either) and, for format sentences, its ``claims``:

* ``all``: every instruction is to be answered; never beside a mask sentence;
* ``given_order``: answer in the order given; never beside an order sentence;
* ``plural``: it speaks of several instructions; never on a one-instruction mosaic (nor is ``all``);
* ``answers``: it speaks of several answers ("your answers", "keep them apart"); never where one answer is
  asked for: a one-instruction mosaic, or a mask that leaves one instruction to answer;
* ``each``: it speaks of each answer in turn ("begin each answer with"); where one answer is asked for, its
  ``one`` form stands instead ("begin your answer with"), which claims nothing, or, without one, it does not.

A mask sentence may declare two claims, by its words too:

* ``rest``: it speaks of the instructions left to answer as several ("respond to the others", "the
  remaining ones", "die übrigen"); never where the mask leaves one instruction to answer;
* ``classes``: an odd or even mask sentence that speaks of every one of a class, or of it as a series
  ("skip every odd-numbered instruction", "toutes celles à numéro pair", "starting with instruction 1"):
  only where both classes have two or more, so in four instructions or more ("répondre à toutes celles
  à numéro pair" where only instruction 2 is even reads as several). The odd and even rules apply only
  there anyway (``rules.base.CLASSES_FROM``), so the claim is a declaration the words are held to.

The words of a sentence are checked against its declaration when the library
loads (``check_declared``), through the cues of its language's pack
(``text/pack.py``), so a sentence saying "below" cannot be declared to
stand after the instructions. The engine composes only compatible sentences
(``compatible``) and places each where its words fit; the verifier checks both
again on every mosaic, and that counts agree (``disagreement``). A sentence
that names instruction numbers as examples ("2, 4, 6 and so on") stands only
in a mosaic that has them (``highest_named``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mosaic_core.errors import TemplateError
from mosaic_core.rules.base import CLASSES_FROM
from mosaic_core.rules.registry import RULES, masks

if TYPE_CHECKING:
    from mosaic_core.text.pack import Pack

__all__ = [
    "CLAIMS",
    "FORMAT_FAMILIES",
    "PLACES",
    "SEVERAL",
    "check_declared",
    "claims_said",
    "compatible",
    "disagreement",
    "fits_place",
    "highest_named",
    "inferred_claims",
    "inferred_place",
]

PLACES = ("before", "after", "either")


def highest_named(family: str, forms: Iterable[str]) -> int:
    """The highest instruction number a sentence's words name (0 if none): a mosaic needs that many instructions.

    >>> highest_named("maskout.even", ["Skip instructions 2, 4, 6 and so on."])
    6
    >>> highest_named("permute.fix", ["Answer in the order {order}."])
    0
    """
    rule = RULES.get(family)
    if rule is None or not rule.positional:
        return 0
    words = re.sub(r"\{[a-z_]+\}", "", " ".join(forms))
    return max(map(int, re.findall(r"[0-9]+", words)), default=0)


CLAIMS = ("all", "given_order", "plural", "answers", "each", "rest", "classes")
MASK_CLAIMS = ("rest", "classes")
"""The claims a mask sentence may make; a format sentence may make the others."""

_NOUNS = "instruction|task|item|question|request|prompt"
_BAD_COUNT = re.compile(
    rf"\b1 (?:[a-z]+ )?(?:{_NOUNS})s\b|\bthe 1 [a-z]+\b|\b(?:[02-9]|\d{{2,}}) (?:[a-z]+ )?(?:{_NOUNS})\b(?!s)"
)
FORMAT_FAMILIES = ("format.wrapper", "format.plain")
SEVERAL = 2
"""A count of answers that stands for any above one: ``compatible`` reads every such count alike."""


def inferred_place(text: str, pack: Pack) -> str:
    """Where a sentence's own words put it, read by its pack's cues.

    >>> from mosaic_core.text.templates import builtin_library
    >>> en = builtin_library().pack("en")
    >>> inferred_place("Answer the instructions below.", en), inferred_place("Reverse the order of the answers.", en)
    ('before', 'either')
    """
    before, after = pack.cue("before", text), pack.cue("after", text)
    if before and after:
        raise TemplateError(f"template {text!r} points both below and above; it can stand in neither place")
    return "before" if before else "after" if after else "either"


def inferred_claims(family: str, text: str, pack: Pack) -> tuple[str, ...]:
    """The claims a sentence's words make: a format sentence's, and a mask sentence's ``rest`` (other families
    claim by their rule).

    >>> from mosaic_core.text.templates import builtin_library
    >>> en = builtin_library().pack("en")
    >>> inferred_claims("format.plain", "Answer every one of the instructions that follow.", en)
    ('all', 'plural', 'each')
    >>> inferred_claims("maskout.fix", "Skip instruction {positions} and answer the remaining ones.", en)
    ('rest',)
    >>> inferred_claims("maskout.odd", "Skip every odd-numbered instruction.", en)
    ('classes',)
    """
    if family in FORMAT_FAMILIES:
        return tuple(claim for claim in CLAIMS if claim not in MASK_CLAIMS and pack.cue(claim, text))
    if not masks(family):
        return ()
    said = ("rest",) if pack.cue("rest", text) else ()
    return (*said, "classes") if RULES[family].classes and pack.cue("classes", text) else said


def claims_said(family: str, forms: Iterable[str], pack: Pack) -> tuple[str, ...]:
    """The claims a sentence makes by its words: its main form's (the first), and a mask sentence's by any form
    too (its count does not change what it says of the rest).

    >>> from mosaic_core.text.templates import builtin_library
    >>> en = builtin_library().pack("en")
    >>> claims_said("maskout.longest_words", ["Skip the {m} longest.", "Skip the longest; answer the others."], en)
    ('rest',)
    """
    texts = [form for form in forms if form]
    read = texts if masks(family) else texts[:1]
    return tuple(sorted({claim for text in read for claim in inferred_claims(family, text, pack)}))


def check_declared(template_id: str, family: str, text: str, place: str, claims: Iterable[str], pack: Pack) -> None:
    """Raise TemplateError when a declaration does not match the sentence's words."""
    if place not in PLACES:
        raise TemplateError(f"template {template_id!r}: place must be one of {', '.join(PLACES)}, not {place!r}")
    unknown = set(claims) - set(CLAIMS)
    if unknown:
        raise TemplateError(f"template {template_id!r}: unknown claims {sorted(unknown)}; known: {', '.join(CLAIMS)}")
    words = inferred_place(text, pack)
    if words not in ("either", place):
        raise TemplateError(
            f"template {template_id!r} is declared to stand {place!r} the instructions, but its words "
            f"({'below/following' if words == 'before' else 'above/preceding'}) put it {words} them"
        )
    missing = set(inferred_claims(family, text, pack)) - set(claims)
    if missing:
        raise TemplateError(
            f"template {template_id!r} says {', '.join(sorted(missing))} by its words but does not declare it"
        )
    if masks(family) and set(claims) - set(MASK_CLAIMS):
        raise TemplateError(
            f"template {template_id!r}: a mask sentence declares no claim but {', '.join(MASK_CLAIMS)}; "
            f"{family} claims the rest by its rule"
        )
    if "classes" in claims and not (family in RULES and RULES[family].classes):
        raise TemplateError(f"template {template_id!r}: only odd and even mask sentences speak of classes")
    if family in FORMAT_FAMILIES and set(claims) & set(MASK_CLAIMS):
        raise TemplateError(f"template {template_id!r}: {', '.join(MASK_CLAIMS)} is a mask sentence's claim")
    if claims and family not in FORMAT_FAMILIES and not masks(family):
        raise TemplateError(
            f"template {template_id!r}: only format and mask sentences declare claims; {family} claims by its rule"
        )


def compatible(claims: Iterable[str], strategy: str, k: int, answers: int | None = None) -> bool:
    """Whether a sentence with these claims may stand in a mosaic of ``strategy`` with k items, of which
    ``answers`` are to be answered (all k if not given).

    >>> compatible(("all",), "maskout", 3), compatible(("all",), "permute", 3), compatible(("plural",), "format", 1)
    (False, True, False)
    >>> compatible(("all",), "primary", 1), compatible((), "primary", 1)
    (False, True)
    >>> compatible(("plural",), "maskout", 3, 1), compatible(("answers",), "maskout", 3, 1)
    (True, False)
    >>> compatible(("each",), "format", 1), compatible(("each",), "maskout", 3, 2)
    (False, True)
    >>> compatible(("rest",), "maskout", 3, 1), compatible(("rest",), "maskout", 4, 2)
    (False, True)
    >>> compatible(("classes",), "maskout", 3, 2), compatible(("classes",), "maskout", 4, 2)
    (False, True)
    """
    claimed = set(claims)
    if strategy == "maskout" and "all" in claimed:
        return False
    if strategy == "permute" and "given_order" in claimed:
        return False
    if claimed & {"answers", "each", "rest"} and (k if answers is None else answers) < 2:
        return False
    if "classes" in claimed and k < CLASSES_FROM:
        return False
    # One instruction is not "the instructions", nor "every instruction".
    return not (k == 1 and claimed & {"plural", "all"})


def fits_place(place: str, before: bool) -> bool:
    return place == "either" or (place == "before") == before


def disagreement(sentence: str, language: str = "en") -> str | None:
    """A count that disagrees with its noun ("1 instructions", "the 1 longest", "3 instruction"), if any.

    Only English is read this way; other packs give a form per plural category instead (``text/pack.py``).

    >>> disagreement("Skip the 1 longest instructions."), disagreement("Skip the 2 longest instructions.")
    ('the 1 longest', None)
    """
    if language != "en":
        return None
    found = _BAD_COUNT.search(sentence)
    return found.group() if found else None
