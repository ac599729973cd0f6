"""The template library: meta-instruction sentences in every language, stored as data and validated.

Each language's sentences live in its pack, ``text/packs/<code>.json``
(``docs/template_packs.md``). A family is ``format.wrapper``, ``format.plain``,
or ``<strategy>.<rule>``; each family fixes the placeholders its sentences must
use. Users may add their own templates, in any pack's language, through the
recipe; they pass the same checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mosaic_core.errors import TemplateError, UnknownNameError
from mosaic_core.text.forms import (
    OPTIONAL_PLACEHOLDERS,
    PLACEHOLDERS,
    SINGULAR_FAMILIES,
    check_forms,
    check_text,
)
from mosaic_core.text.meaning import check_declared, claims_said, inferred_place
from mosaic_core.text.pack import Pack, plural_category

__all__ = [
    "BUILTIN_LANGUAGES",
    "OPTIONAL_PLACEHOLDERS",
    "PLACEHOLDERS",
    "SINGULAR_FAMILIES",
    "Template",
    "TemplateLibrary",
    "builtin_library",
    "template_from",
    "validate_template",
    "validate_text",
]

BUILTIN_LANGUAGES = ("en", "zh", "zh-Hant", "ja", "es", "fr", "de", "ru")
"""The packs shipped in ``text/packs/``, English first (the paper's language and the fallback)."""


@dataclass(frozen=True, slots=True)
class Template:
    """One meta-instruction sentence of a family, in one language."""

    id: str
    family: str
    text: str
    builtin: bool = True
    place: str = "either"
    """Where its words let it stand: ``before`` the instructions, ``after`` them, or ``either``."""
    claims: tuple[str, ...] = ()
    """What a format sentence asserts (``text/meaning.py``): all, given_order, plural, answers."""
    one: str | None = None
    """The sentence used when exactly one instruction is hidden (a count-naming family), or, for a format
    sentence, where exactly one answer is asked for; it claims nothing (``text/forms.py``)."""
    language: str = "en"
    plural: tuple[tuple[str, str], ...] = ()
    """Forms for counts of two or more, by CLDR plural category, where ``text`` does not fit (Russian)."""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every wording of the sentence: the main one, the singular and the plural forms ("" where absent)."""
        return (self.text, self.one or "", *(text for _, text in self.plural))

    def claims_for(self, answers: int) -> tuple[str, ...]:
        """What the sentence claims where ``answers`` answers are asked for: its ``one`` form's claims (none)
        for one answer, if it has one."""
        return () if answers == 1 and self.one is not None and self.family.startswith("format.") else self.claims

    def form(self, count: int | None) -> str:
        """The sentence for a count of hidden instructions (None: no count)."""
        if count == 1 and self.one is not None:
            return self.one
        if count is not None and count >= 2 and self.plural:
            category = plural_category(self.language, count)
            for name, text in self.plural:
                if name == category:
                    return text
        return self.text

    def render(self, count: int | None = None, /, **values: object) -> str:
        """Fill the placeholders; the count (``m`` if not given) picks the singular or plural form.

        >>> Template("x.01", "permute.fix", "Answer in this order: {order}.").render(order="2, 1")
        'Answer in this order: 2, 1.'
        """
        if count is None and "m" in values:
            count = int(str(values["m"]))
        return self.form(count).format(**values)


def validate_text(family: str, text: str, pack: Pack | None = None, needed: frozenset[str] | None = None) -> None:
    """Raise TemplateError unless ``text`` is a well-formed sentence for ``family`` in the pack's language
    (English if not given).

    >>> validate_text("permute.reverse", "Answer them backwards.")
    """
    check_text(family, text, pack or builtin_library().pack("en"), needed)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def validate_template(template: Template, pack: Pack | None = None) -> None:
    """Raise TemplateError unless the sentence, its other forms and its declarations are sound."""
    pack = pack or builtin_library().pack(template.language)
    if template.language != pack.language:
        raise TemplateError(f"template {template.id!r} is in {template.language!r}, not in pack {pack.language!r}")
    if not pack.uses_family(template.family):
        raise TemplateError(
            f"template {template.id!r}: {pack.name} has no {template.family} (its script has no alphabetical "
            "order, or its words are not separated by spaces)"
        )
    validate_text(template.family, template.text, pack)
    check_declared(template.id, template.family, template.text, template.place, template.claims, pack)
    missing = set(claims_said(template.family, template.forms, pack)) - set(template.claims)
    if missing:  # said by another form than the main one (``check_declared`` read that)
        raise TemplateError(
            f"template {template.id!r}: one of its forms says {', '.join(sorted(missing))} by its words "
            "but the template does not declare it"
        )
    check_forms(template, pack)


def template_from(data: Mapping[str, Any], family: str, builtin: bool, pack: Pack | None = None) -> Template:
    """A template from its JSON form; place and claims default to what its words say."""
    try:
        language = str(data.get("language") or (pack.language if pack else "en"))
        pack = pack or builtin_library().pack(language)
        text = str(data["text"])
        plural = data.get("plural") or {}
        if not isinstance(plural, Mapping):
            raise TemplateError(f"template {data.get('id')!r}: 'plural' maps plural categories to sentences")
        forms = [text, str(data.get("one") or ""), *(str(form) for form in plural.values())]
        return Template(
            str(data["id"]),
            family,
            text,
            builtin,
            place=str(data.get("place") or inferred_place(text, pack)),
            claims=tuple(sorted(data["claims"])) if "claims" in data else claims_said(family, forms, pack),
            one=None if data.get("one") is None else str(data["one"]),
            language=pack.language,
            plural=tuple(sorted((str(k), str(v)) for k, v in plural.items())),
        )
    except (KeyError, TypeError) as exc:
        raise TemplateError(f"template {data.get('id', '?')!r} is malformed: missing or wrong {exc}") from None


class TemplateLibrary:
    """All templates by language and family, with ids unique and sentences distinct."""

    def __init__(self, templates: Iterable[Template], packs: Mapping[str, Pack]) -> None:
        self.packs = dict(packs)
        self._by_id: dict[str, Template] = {}
        self._by_family: dict[tuple[str, str], list[Template]] = {
            (language, family): [] for language in self.packs for family in PLACEHOLDERS
        }
        seen: dict[str, str] = {}
        for template in templates:
            if template.language not in self.packs:
                raise UnknownNameError("template language", template.language, self.packs)
            validate_template(template, self.packs[template.language])
            if template.id in self._by_id:
                raise TemplateError(f"template id {template.id!r} is used twice")
            key = _normal(template.text)
            if key in seen:
                raise TemplateError(f"template {template.id!r} repeats {seen[key]!r}")
            seen[key] = template.id
            self._by_id[template.id] = template
            self._by_family[template.language, template.family].append(template)

    def __len__(self) -> int:
        return len(self._by_id)

    def languages(self) -> list[str]:
        return list(self.packs)

    def pack(self, language: str) -> Pack:
        try:
            return self.packs[language]
        except KeyError:
            raise UnknownNameError("template pack", language, self.packs) from None

    def get(self, template_id: str) -> Template:
        try:
            return self._by_id[template_id]
        except KeyError:
            raise UnknownNameError("template", template_id, self._by_id) from None

    def family(self, family: str, language: str = "en") -> list[Template]:
        if family not in PLACEHOLDERS:
            raise UnknownNameError("template family", family, PLACEHOLDERS)
        return list(self._by_family.get((language, family), []))

    def families(self, language: str = "en") -> Mapping[str, list[Template]]:
        return {family: self.family(family, language) for family in PLACEHOLDERS}

    def with_custom(self, custom: Iterable[Mapping[str, Any]]) -> TemplateLibrary:
        """A new library that also holds the user's templates (``{"id","family","text"}``, optionally
        ``language`` (default ``en``), ``place``, ``claims``, ``one`` and ``plural``)."""
        extra = []
        for item in custom:
            pack = self.pack(str(item.get("language") or "en"))
            extra.append(template_from(item, str(item["family"]), builtin=False, pack=pack))
        return TemplateLibrary([*self._by_id.values(), *extra], self.packs)


def read_pack(raw: str, compile_words: bool = True) -> tuple[Pack, list[Template]]:
    """A pack file's text, parsed: its conventions and its templates (each checked when the library loads);
    ``compile_words``: as ``Pack.from_json``'s."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"the template pack is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("templates"), dict):
        raise TemplateError("a template pack is a JSON object with a 'templates' object")
    pack = Pack.from_json(data, compile_words)
    templates = []
    for family, items in data["templates"].items():
        if family not in PLACEHOLDERS:
            raise UnknownNameError("template family", family, PLACEHOLDERS)
        templates += [template_from(item, family, builtin=True, pack=pack) for item in items]
    return pack, templates


@cache
def builtin_library() -> TemplateLibrary:
    """The hand-written packs shipped with mosaic_core.

    >>> len(builtin_library().family("permute.reverse")) >= 7, builtin_library().languages()[0]
    (True, 'en')
    """
    folder = resources.files("mosaic_core.text.packs")
    packs: dict[str, Pack] = {}
    templates: list[Template] = []
    for language in BUILTIN_LANGUAGES:
        entry = folder.joinpath(f"{language}.json")
        if not entry.is_file():
            continue
        pack, found = read_pack(entry.read_text(encoding="utf-8"), compile_words=False)
        packs[pack.language] = pack
        templates += found
    return TemplateLibrary(templates, packs)
