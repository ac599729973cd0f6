"""The template library: meta-instruction sentences, stored as data and validated.

Templates live in ``text/templates.json`` as ``{family: [{"id", "text"}, ...]}``.
A family is ``format.wrapper``, ``format.plain``, or ``<strategy>.<rule>``; each
family fixes the placeholders its sentences must use. Users may add their own
templates through the recipe; they pass the same checks.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mosaic_core.errors import TemplateError, UnknownNameError
from mosaic_core.rules.registry import RULES
from mosaic_core.text.meaning import check_declared, disagreement, inferred_claims, inferred_place

__all__ = [
    "PLACEHOLDERS",
    "SINGULAR_FAMILIES",
    "Template",
    "TemplateLibrary",
    "builtin_library",
    "template_from",
    "validate_template",
    "validate_text",
]

PLACEHOLDERS: dict[str, frozenset[str]] = {
    "format.wrapper": frozenset({"open", "close"}),
    "format.plain": frozenset(),
    **{name: frozenset(rule.placeholders) for name, rule in RULES.items()},
}
"""The placeholders each family's sentences must fill: the format families', then each rule's own."""
SINGULAR_FAMILIES = tuple(name for name, rule in RULES.items() if "m" in rule.placeholders)
"""Families whose sentences name a count m, and so carry a singular sentence for m = 1."""

_SENTENCE = re.compile(r"[A-Z][^.!?\n\t]*\.")


@dataclass(frozen=True, slots=True)
class Template:
    """One meta-instruction sentence of a family."""

    id: str
    family: str
    text: str
    builtin: bool = True
    place: str = "either"
    """Where its words let it stand: ``before`` the instructions, ``after`` them, or ``either``."""
    claims: tuple[str, ...] = ()
    """What a format sentence asserts (``text/meaning.py``): all, given_order, plural."""
    one: str | None = None
    """The singular sentence of a size-mask template, used when it hides one instruction."""

    def render(self, **values: object) -> str:
        """Fill the placeholders; a count of one takes the singular sentence.

        >>> Template("x.01", "permute.fix", "Answer in this order: {order}.").render(order="2, 1")
        'Answer in this order: 2, 1.'
        """
        if self.one is not None and values.get("m") == "1":
            return self.one
        return self.text.format(**values)


def _placeholders(text: str) -> list[str]:
    try:
        return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError as exc:
        raise TemplateError(f"template {text!r} has unbalanced braces: {exc}") from exc


def validate_text(family: str, text: str) -> None:
    """Raise TemplateError unless ``text`` is a well-formed sentence for ``family``.

    >>> validate_text("permute.reverse", "Answer them backwards.")
    """
    if family not in PLACEHOLDERS:
        raise UnknownNameError("template family", family, PLACEHOLDERS)
    _check_sentence(text, PLACEHOLDERS[family], family)


def _check_sentence(text: str, expected: frozenset[str], family: str) -> None:
    if text != text.strip() or "  " in text:
        raise TemplateError(f"template {text!r} has stray whitespace")
    if not text.isascii() or not text.isprintable():
        raise TemplateError(f"template {text!r} must be printable ASCII")
    if not _SENTENCE.fullmatch(text):
        raise TemplateError(f"template {text!r} must be one sentence: a capital letter first, one full stop at the end")
    fields = _placeholders(text)
    if sorted(fields) != sorted(expected):
        want = ", ".join("{" + name + "}" for name in sorted(expected)) or "none"
        raise TemplateError(f"template {text!r} for {family} must use each placeholder once: {want}")


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def validate_template(template: Template) -> None:
    """Raise TemplateError unless the sentence, its singular form and its declarations are sound."""
    validate_text(template.family, template.text)
    check_declared(template.id, template.family, template.text, template.place, template.claims)
    singular = template.family in SINGULAR_FAMILIES
    if singular and template.one is None:
        raise TemplateError(
            f"template {template.id!r}: {template.family} needs its singular sentence ('one') for m = 1"
        )
    if not singular and template.one is not None:
        raise TemplateError(f"template {template.id!r}: only {', '.join(SINGULAR_FAMILIES)} have a singular sentence")
    if template.one is not None:
        _check_sentence(template.one, frozenset(), f"{template.family} (singular, for m = 1)")
        if inferred_place(template.one) not in ("either", template.place):
            raise TemplateError(f"template {template.id!r}: its singular sentence stands elsewhere than its plural one")
        if disagreement(template.render(m="1", noun="instruction")) or disagreement(
            template.render(m="2", noun="instructions")
        ):
            raise TemplateError(f"template {template.id!r}: its count and noun disagree")


def template_from(data: Mapping[str, Any], family: str, builtin: bool) -> Template:
    """A template from its JSON form; place and claims default to what its words say."""
    text = str(data["text"])
    return Template(
        str(data["id"]),
        family,
        text,
        builtin,
        place=str(data.get("place") or inferred_place(text)),
        claims=tuple(sorted(data["claims"])) if "claims" in data else inferred_claims(family, text),
        one=None if data.get("one") is None else str(data["one"]),
    )


class TemplateLibrary:
    """All templates by family, with ids unique and sentences distinct."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self._by_id: dict[str, Template] = {}
        self._by_family: dict[str, list[Template]] = {family: [] for family in PLACEHOLDERS}
        seen: dict[str, str] = {}
        for template in templates:
            validate_template(template)
            if template.id in self._by_id:
                raise TemplateError(f"template id {template.id!r} is used twice")
            key = _normal(template.text)
            if key in seen:
                raise TemplateError(f"template {template.id!r} repeats {seen[key]!r}")
            seen[key] = template.id
            self._by_id[template.id] = template
            self._by_family[template.family].append(template)

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, template_id: str) -> Template:
        try:
            return self._by_id[template_id]
        except KeyError:
            raise UnknownNameError("template", template_id, self._by_id) from None

    def family(self, family: str) -> list[Template]:
        if family not in self._by_family:
            raise UnknownNameError("template family", family, self._by_family)
        return list(self._by_family[family])

    def families(self) -> Mapping[str, list[Template]]:
        return {name: list(items) for name, items in self._by_family.items()}

    def with_custom(self, custom: Iterable[Mapping[str, Any]]) -> TemplateLibrary:
        """A new library that also holds the user's templates (``{"id","family","text"}``, optionally
        ``place``, ``claims`` and ``one``)."""
        extra = [template_from(item, str(item["family"]), builtin=False) for item in custom]
        return TemplateLibrary([*self._by_id.values(), *extra])


@cache
def builtin_library() -> TemplateLibrary:
    """The hand-written templates shipped with mosaic_core.

    >>> len(builtin_library().family("permute.reverse")) >= 7
    True
    """
    raw = resources.files("mosaic_core.text").joinpath("templates.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return TemplateLibrary(
        template_from(item, family, builtin=True) for family, items in data.items() for item in items
    )
