"""What decoration costs in tokens, worked out once per run and kept.

``Shape`` holds what one kind of decoration adds around every source text;
``Costs`` caches the counts of numbering tags, format sentences and the growth
bound of order and mask sentences. The tally in ``draft.py`` reads both.
"""

from __future__ import annotations

from dataclasses import dataclass

from mosaic_core.records import Decoration
from mosaic_core.rules.registry import RULES, masks
from mosaic_core.table import SourceTable
from mosaic_core.text.decoration import number_tag
from mosaic_core.text.meaning import SEVERAL, compatible, highest_named
from mosaic_core.text.pack import Pack
from mosaic_core.text.templates import TemplateLibrary

__all__ = ["Costs", "Shape"]


@dataclass(frozen=True, slots=True)
class Shape:
    """What a decoration adds around each source text, in tokens, and the per-text counts it reads.

    The costs mirror ``text/compose.py``'s segments: an instruction is ``lead + text + inst_sep``
    after its tag; a response is ``body_lead + text + mid_trail`` (``end_trail`` for the last one)
    after its tag, inside the wrapper's begin tag (``wrapper_open``) and end tag (``close_mid``/``close_end``)
    if any.
    """

    lead: str
    """Before each text: a space after a tag on the same line, or nothing after a newline."""
    wrapper_open: int
    close_mid: int
    close_end: int
    body_lead: str
    mid_trail: str
    end_trail: str
    inst_costs: list[int]
    mid_costs: list[int]
    end_costs: list[int]

    @classmethod
    def of(cls, table: SourceTable, deco: Decoration) -> Shape:
        counter = table.counter
        literal = counter.count_literal
        lead = "" if deco.tag_newline else " "
        wrapper = deco.wrapper
        # Tags cost the same in the prompt and the answer. With a wrapper, the begin tag and its newline
        # come before the number tag and after the blank line that ends the previous response, a pre-token
        # boundary on both sides, so it is counted apart; the text follows its tag as in the prompt.
        if wrapper is None:
            opening = close_mid = close_end = 0
            body_lead, mid_trail, end_trail = lead, "\n\n", ""
        else:
            opening, close_mid, close_end = (
                literal(wrapper[0] + "\n"),
                literal(wrapper[1] + "\n\n"),
                literal(wrapper[1]),
            )
            body_lead, mid_trail, end_trail = lead, "\n", "\n"
        inst: list[int] = []
        mid: list[int] = []
        end: list[int] = []
        if counter.additive:
            sources = table.sources
            inst = sources.totals(lead, deco.inst_sep)
            mid, end = sources.totals(body_lead, mid_trail), sources.totals(body_lead, end_trail)
        return cls(lead, opening, close_mid, close_end, body_lead, mid_trail, end_trail, inst, mid, end)


class Costs:
    """Token costs of a run's decoration pieces, each worked out on first use."""

    def __init__(
        self,
        table: SourceTable,
        library: TemplateLibrary,
        templates: dict[tuple[str, str], list[str]],
        rules: dict[str, list[str]],
        languages: list[str],
    ) -> None:
        self.table = table
        self.library = library
        self.templates = templates
        """Enabled template ids by (language, family)."""
        self.rules = rules
        self.languages = languages
        """Every language a mosaic of this run may be written in (the bounds cover them all)."""
        self.literal = table.counter.count_literal
        self._tag_costs: dict[tuple[int, str, bool], list[int]] = {}
        self._outer_bounds: dict[tuple[str, int, bool], int] = {}
        self._format_bounds: dict[str, int] = {}
        self._format_parts: dict[tuple[str, tuple[str, str] | None, bool], tuple[str, int]] = {}
        self._shapes: dict[tuple[bool, str, tuple[str, str] | None], Shape] = {}
        self._format_lists: dict[tuple[str, str, bool, str, bool, bool], list[str]] = {}
        self._sentence_lists: dict[tuple[str, str, int, bool], list[str]] = {}

    def sentences(self, language: str, rule: str, k: int, one_left: bool = False) -> list[str]:
        """A rule's enabled sentences in a language that name no instruction past ``k`` (all, if every one does),
        and whose claims fit k and, where a mask leaves one instruction to answer (``one_left``), one answer: no
        remaining ones, no class of one (the recipe keeps one such sentence on: ``config.py``)."""
        key = (language, rule, k, one_left)
        found = self._sentence_lists.get(key)
        if found is None:
            every = self.templates[language, rule]
            get = self.library.get
            fitting = [t for t in every if highest_named(rule, get(t).forms) <= k] or every
            if masks(rule):
                left = 1 if one_left else SEVERAL
                fitting = [t for t in fitting if compatible(get(t).claims, "maskout", k, left)] or fitting
            found = self._sentence_lists[key] = fitting
        return found

    def format_choice(
        self,
        family: str | None,
        strategy: str,
        single: bool,
        draw: float,
        language: str = "en",
        one_answer: bool = False,
        before: bool = False,
    ) -> str | None:
        """The format sentence a draw picks among those that agree with the strategy, with one item (``single``)
        and with a mask that leaves one instruction to answer (``one_answer``); with ``before``, among those
        whose words let them stand before the instructions (all of them, if none may)."""
        if family is None:
            return None
        key = (family, strategy, single, language, one_answer, before)
        choices = self._format_lists.get(key)
        if choices is None:
            get = self.library.get
            k, kind = (1, "format") if single else (2, strategy)
            answers = 1 if single or one_answer else 2
            choices = [
                t for t in self.templates[language, family] if compatible(get(t).claims_for(answers), kind, k, answers)
            ]
            if before:
                choices = [t for t in choices if get(t).place != "after"] or choices
            self._format_lists[key] = choices
        return choices[int(draw * len(choices))] if choices else None

    def reserves(
        self, family: str | None, strategy: str, draw: float, wrapper: tuple[str, str] | None, wide: bool = False
    ) -> tuple[int, int]:
        """The growth bound's share for a drawn format sentence, for several items and for one: in the run's main
        language, or (``wide``) in any language of the run. A mask may leave one instruction to answer, and the
        sentence drawn again for it (``one_answer``) is covered too."""
        if family is None:
            return 0, 0
        several = one = 0
        masks = strategy == "maskout"
        for language in self.languages if wide else self.languages[:1]:
            for before in (False, True):  # a last instruction of several paragraphs moves the sentence before
                chosen = self.format_choice(family, strategy, False, draw, language, before=before)
                several = max(several, self.format_parts(chosen, wrapper)[1])
                if masks:
                    alone = self.format_choice(family, strategy, False, draw, language, True, before)
                    several = max(several, self.format_parts(alone, wrapper, True)[1])
                single = self.format_choice(family, strategy, True, draw, language, before=before)
                one = max(one, self.format_parts(single, wrapper, True)[1])
        return several, one

    def after(self, template_id: str | None) -> bool:
        """Whether a sentence's words let it stand only after the instructions ("the instructions above")."""
        return template_id is not None and self.library.get(template_id).place == "after"

    def placed(self, template_id: str | None, drawn_before: bool) -> bool:
        """Whether a sentence stands before the instructions: where its words say, else where it was drawn."""
        if template_id is None:
            return drawn_before
        place = self.library.get(template_id).place
        return drawn_before if place == "either" else place == "before"

    def tag_costs(self, deco: Decoration) -> list[int]:
        """Tokens of a numbering tag (with its newline, if the decoration has one), by number (0 unused)."""
        return self._tag_costs.setdefault((deco.tag_style, deco.tag_punct, deco.tag_newline), [0])

    def extend_costs(self, series: list[int], deco: Decoration) -> None:
        """Append the next number's cost to a series from ``tag_costs``."""
        tag = number_tag(deco.tag_style, deco.tag_punct, len(series))
        series.append(self.literal(tag + "\n" if deco.tag_newline else tag))

    def shape(self, deco: Decoration) -> Shape:
        """The token costs a decoration puts around every source text (one per decoration kind)."""
        key = (deco.tag_newline, deco.inst_sep, deco.wrapper)
        found = self._shapes.get(key)
        if found is None:
            found = self._shapes[key] = Shape.of(self.table, deco)
        return found

    def format_parts(
        self, template_id: str | None, wrapper: tuple[str, str] | None, one: bool = False
    ) -> tuple[str | None, int]:
        """A format meta-instruction with the wrapper's tags filled in, in its form for one answer asked for if
        ``one``, and its share of the growth bound (either form's)."""
        if template_id is None:
            return None, 0
        key = (template_id, wrapper, one)
        found = self._format_parts.get(key)
        if found is None:
            template = self.library.get(template_id)
            count = 1 if one else None
            text = template.render(count, open=wrapper[0], close=wrapper[1]) if wrapper else template.render(count)
            found = self._format_parts[key] = (text, self.format_bound(template_id, wrapper))
        return found

    def format_bound(self, template_id: str, wrapper: tuple[str, str] | None) -> int:
        """At least the tokens of a format meta-instruction and its newlines (for the growth bound)."""
        base = self._format_bounds.get(template_id)
        if base is None:
            forms = [form for form in self.library.get(template_id).forms if form]
            base = max(self.literal(form.replace("{open}", "").replace("{close}", "")) for form in forms) + 2
            self._format_bounds[template_id] = base
        if wrapper is None:
            return base
        # Each tag may merge with at most one neighbour on each side; 2 tokens of room per tag cover it.
        return base + self.literal(wrapper[0]) + self.literal(wrapper[1]) + 4

    def outer_bound(self, strategy: str, n: int, wide: bool = False) -> int:
        """Most tokens an order or mask sentence (with its newlines) can take for n items, in the run's main
        language or (``wide``) in any of its languages."""
        if n < 2 or strategy not in self.rules:
            return 0
        key = (strategy, n, wide)
        found = self._outer_bounds.get(key)
        if found is None:
            found = 2 + max(
                (
                    self.literal(form.format(**widest))
                    for language in (self.languages if wide else self.languages[:1])
                    for rule in self.rules[strategy]
                    for widest in [_widest(self.library.pack(language), rule, n)]
                    for t in map(self.library.get, self.templates.get((language, rule), ()))
                    for form in t.forms
                ),
                default=0,
            )
            self._outer_bounds[key] = found
        return found


def _widest(pack: Pack, rule: str, n: int) -> dict[str, str]:
    """Values that make a rule's sentences in this language as long as they get for n items."""
    number = 10 ** len(str(n)) - 1
    every = [number] * n
    noun = max(pack.noun_one, pack.noun_other, key=len)
    known = {"order": pack.order(every), "positions": pack.join(every), "m": str(number), "noun": noun}
    return {name: known[name] for name in RULES[rule].placeholders}
