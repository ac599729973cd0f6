"""What a template's words must be: its placeholders, one well-formed sentence, and forms that fit their counts.

A sentence of a count-naming family (``SINGULAR_FAMILIES``) carries a singular
form for one hidden instruction, and in some languages plural forms by CLDR
category. A format sentence may carry a ``one`` form for where exactly one
answer is asked for ("begin your answer with …" for "begin each answer with …");
a sentence that speaks of each answer and has none does not stand there
(``text/meaning.py``).
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from mosaic_core.errors import TemplateError, UnknownNameError
from mosaic_core.rules.registry import RULES
from mosaic_core.text.meaning import FORMAT_FAMILIES, disagreement, inferred_claims, inferred_place
from mosaic_core.text.pack import plural_category

if TYPE_CHECKING:
    from mosaic_core.text.pack import Pack
    from mosaic_core.text.templates import Template

__all__ = ["OPTIONAL_PLACEHOLDERS", "PLACEHOLDERS", "SINGULAR_FAMILIES", "check_forms", "check_text", "placeholders"]

PLACEHOLDERS: dict[str, frozenset[str]] = {
    "format.wrapper": frozenset({"open", "close"}),
    "format.plain": frozenset(),
    **{name: frozenset(rule.placeholders) for name, rule in RULES.items()},
}
"""The placeholders each family's sentences fill: the format families', then each rule's own."""
OPTIONAL_PLACEHOLDERS = frozenset({"noun"})
"""Placeholders a sentence may leave out (a language that writes the noun into each sentence)."""
SINGULAR_FAMILIES = tuple(name for name, rule in RULES.items() if "m" in rule.placeholders)
"""Families whose sentences name a count m, and so carry a singular sentence for m = 1."""


def placeholders(text: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"template {text!r} has unbalanced braces: {exc}") from exc
    for _, field, spec, conversion in parsed:
        if field is not None and (spec or conversion):
            raise TemplateError(f"template {text!r}: a placeholder takes no format spec or conversion")
    return [field for _, field, _, _ in parsed if field is not None]


def check_text(family: str, text: str, pack: Pack, needed: frozenset[str] | None = None) -> None:
    """Raise TemplateError unless ``text`` is a well-formed sentence for ``family`` in the pack's language."""
    if family not in PLACEHOLDERS:
        raise UnknownNameError("template family", family, PLACEHOLDERS)
    problem = pack.sentence_problem(text)
    if problem is not None:
        raise TemplateError(f"template {text!r} {problem}")
    expected = PLACEHOLDERS[family] if needed is None else needed
    fields = placeholders(text)
    required = expected - OPTIONAL_PLACEHOLDERS
    if len(fields) != len(set(fields)) or not required <= set(fields) or not set(fields) <= expected:
        want = ", ".join("{" + name + "}" for name in sorted(expected)) or "none"
        raise TemplateError(f"template {text!r} for {family} must use each placeholder once: {want}")


def check_forms(template: Template, pack: Pack) -> None:
    """Raise TemplateError unless a template's singular and plural forms are sound: count-naming families
    carry the forms their counts need; a format sentence's ``one`` form (one answer asked for) claims nothing
    and stands where the sentence stands."""
    family, expected = template.family, PLACEHOLDERS[template.family]
    counted = family in SINGULAR_FAMILIES or family == "maskout.fix"
    if family in FORMAT_FAMILIES and template.one is not None and not template.plural:
        _check_one_answer(template, pack)
        return
    if (template.one is not None or template.plural) and not counted:
        raise TemplateError(
            f"template {template.id!r}: only count-naming families have plural forms, and only they and format "
            "sentences a singular one"
        )
    if family in SINGULAR_FAMILIES and template.one is None:
        raise TemplateError(f"template {template.id!r}: {family} needs its singular sentence ('one') for m = 1")
    noun_free = counted and "noun" not in placeholders(template.text)
    differs = plural_category(pack.language, 1) != plural_category(pack.language, 2)
    if family == "maskout.fix" and noun_free and differs and template.one is None:
        raise TemplateError(
            f"template {template.id!r}: without {{noun}}, a maskout.fix sentence needs its 'one' form for one position"
        )
    if template.one is not None:
        needed = expected - {"m"} if family in SINGULAR_FAMILIES else expected
        check_text(family, template.one, pack, frozenset(needed) if family != "maskout.fix" else None)
        if inferred_place(template.one, pack) not in ("either", template.place):
            raise TemplateError(f"template {template.id!r}: its singular sentence stands elsewhere than its plural one")
    for category, text in template.plural:
        if category not in ("zero", "one", "two", "few", "many", "other"):
            raise TemplateError(f"template {template.id!r}: {category!r} is not a CLDR plural category")
        check_text(family, text, pack)
    if family in SINGULAR_FAMILIES:
        default = "many" if pack.language == "ru" else "other"
        given = {name for name, _ in template.plural} | {default}
        needed_forms = {plural_category(pack.language, m) for m in range(2, 120)} - given
        if needed_forms:
            raise TemplateError(
                f"template {template.id!r}: {pack.name} needs plural forms {sorted(needed_forms)} "
                "for counts of two or more"
            )
        for m in (1, 2):
            if disagreement(template.render(m=str(m), noun=pack.noun(m)), pack.language):
                raise TemplateError(f"template {template.id!r}: its count and noun disagree")


def _check_one_answer(template: Template, pack: Pack) -> None:
    one = str(template.one)
    check_text(template.family, one, pack)
    claims = inferred_claims(template.family, one, pack)
    if claims:
        raise TemplateError(
            f"template {template.id!r}: its one-answer sentence must speak of one answer only, but its words say "
            f"{', '.join(claims)}"
        )
    if inferred_place(one, pack) not in ("either", template.place):
        raise TemplateError(f"template {template.id!r}: its one-answer sentence stands elsewhere than the sentence")
