"""One mosaic in the making: its draws, taken once, and the exact running tally of its tokens.

A ``Draft`` draws decoration, strategy, rule preference, template and k from
the mosaic's own generator, seeded by (seed, epoch, index), in a fixed order;
items are then added one at a time. The tally is kept from per-item counts
(``Shape``), mirroring the segments of ``text/compose.py`` piece for piece;
``reference.py`` keeps the plain walk that composes and counts at every step,
which a property test holds byte-identical to this one. Running sums, per
position p: ``prompt_mid`` (tag + instruction + separator), ``resp_mid``
(opening + response + middle trail), ``resp_end`` (the same, given last).
The last instruction ends in the layout's trail instead of the separator and
the last response without the middle trail, so ``tally`` swaps those pieces.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from mosaic_core.config import STRATEGIES
from mosaic_core.generate.choose import first_outcome
from mosaic_core.generate.composed import composed_tally
from mosaic_core.generate.kdraw import draw_k
from mosaic_core.generate.sentences import lay_out
from mosaic_core.generate.state import State
from mosaic_core.records import Decoration
from mosaic_core.rules.base import Outcome
from mosaic_core.text.compose import Layout
from mosaic_core.text.decoration import (
    DRAWN_STYLES,
    LANGUAGE_STYLES,
    SEPARATORS,
    TAG_PUNCTUATION,
    tag_newline_for,
    tag_style_for,
)
from mosaic_core.text.wrappers import BRACKETS, WRAPPER_WORDS, wrapper_tags
from mosaic_core.tokenize.counter import UNKNOWN

if TYPE_CHECKING:
    from mosaic_core.generate.walk import MosaicRun

__all__ = ["Draft"]

T = TypeVar("T")
BOUND_SLACK = 4


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    # random() scaled is several times cheaper than choice or randrange, and its bias (2**-53) is nil here.
    return items[int(rng.random() * len(items))]


class Draft:
    """One mosaic in the making: its draws, and the running token tally."""

    __slots__ = (
        "answer_sum",
        "clashing",
        "decoration",
        "drawn_newline",
        "drawn_style",
        "epoch",
        "exact_only",
        "format_draw",
        "format_family",
        "format_meta",
        "index",
        "items",
        "k_target",
        "keys",
        "language",
        "mask_ratio",
        "meta_reserve",
        "prompt_mid",
        "prompt_sum",
        "resp_end",
        "resp_mid",
        "rng",
        "rules",
        "run",
        "shape",
        "single_reserve",
        "strategy",
        "tag_costs",
        "template_draw",
        "wide",
    )

    def __init__(self, run: MosaicRun, epoch: int, index: int) -> None:
        config = run.config
        rng = random.Random((config.seed << 64) + (epoch << 40) + index)
        draw = rng.random
        self.run, self.epoch, self.index = run, epoch, index
        self.strategy = strategy = STRATEGIES[bisect.bisect_right(run.mix_cumulative, draw() * run.mix_cumulative[-1])]
        ordered = strategy in ("permute", "maskout")
        wrapped = strategy == "format" or (ordered and draw() < config.wrapper_rate)
        wrapper = None
        family = None
        if wrapped:
            wrapper = wrapper_tags(int(draw() * len(WRAPPER_WORDS)), int(draw() * len(BRACKETS)), draw() < 0.5)
            family = "format.wrapper"
        elif draw() < 0.5:
            family = "format.plain"
        self.format_family, self.format_draw = family, draw()
        costs = run.costs
        # The language is the items' (``languages.py``); drafted in the run's main one, redrawn if they differ.
        self.language = language = run.languages.main
        # The format sentence must agree with the order or mask sentence, and on one item read in the singular.
        format_template = costs.format_choice(family, strategy, False, self.format_draw, language)
        drawn = int(draw() * DRAWN_STYLES)
        # The drawn numbering may not suit the items or their language; ``restyle`` follows them (``tag_style_for``).
        self.drawn_style, self.clashing = drawn, 0
        style, punct, self.drawn_newline = tag_style_for(drawn, language, 0), _pick(rng, TAG_PUNCTUATION), draw() < 0.5
        self.decoration = deco = Decoration(
            tag_style=style,
            tag_punct=punct,
            tag_newline=tag_newline_for(style, self.drawn_newline, 0),
            inst_sep=_pick(rng, SEPARATORS),
            wrapper=wrapper,
            format_template=format_template,
            format_before=draw() < 0.5,
            format_sep=_pick(rng, SEPARATORS),
            outer_before=draw() < 0.5,
            outer_sep=_pick(rng, SEPARATORS),
        )
        self.format_meta = costs.format_parts(format_template, wrapper)[0]
        # One item may take another sentence (``layout``); its bound is kept apart so the others stay tight.
        self.meta_reserve, self.single_reserve = costs.reserves(family, strategy, self.format_draw, wrapper)
        # Until an item of another language joins, the mosaic can only be in the main one (``languages.py``).
        self.wide = False
        # The rules in an order of this mosaic's own: the first with one answer here is used. Any rule
        # that has one is then first among those that have with equal chance, whichever others fail.
        self.rules: list[str] = []
        if ordered:
            self.rules = list(run.rules[strategy])
            rng.shuffle(self.rules)
        self.template_draw = draw()
        self.mask_ratio = rng.uniform(0.1, 0.5)
        self.k_target = draw_k(config.k_mode, rng, config.max_k, config.k_weights)
        self.rng = rng
        self.tag_costs, self.shape = costs.tag_costs(deco), costs.shape(deco)
        # A tokenizer whose pieces do not add up (any but the tiktoken family) is counted by encoding.
        self.exact_only = not run.counter.additive
        # per position
        self.items: list[int] = []
        self.keys: list[float] = []
        self.prompt_mid: list[int] = []
        self.resp_mid: list[int] = []
        self.resp_end: list[int] = []
        self.prompt_sum = 0
        self.answer_sum = 0

    # -- growing ---------------------------------------------------------------------------

    def add(self, source: int) -> None:
        """Append a source item and update the running tally."""
        items = self.items
        items.append(source)
        if not self.wide and self.run.languages.foreign[source]:
            self.widen()
        self.keys.append(self.rng.random())
        clashes = self.run.clashes[source]
        if clashes & ~self.clashing or self.drawn_style in LANGUAGE_STYLES:
            self.clashing |= clashes
            if self.restyle():
                return  # every item's costs were taken again, this one's with them
        self.count_item(source, len(items))

    def count_item(self, source: int, number: int) -> None:
        """Add the costs of the item at ``number`` (1-based) to the running sums."""
        tag_costs = self.tag_costs
        while len(tag_costs) <= number:
            self.run.costs.extend_costs(tag_costs, self.decoration)
        if self.exact_only:  # tally() encodes the whole text; the running sums are not used
            self.prompt_mid.append(0)
            self.resp_mid.append(0)
            self.resp_end.append(0)
            return
        shape = self.shape
        response = self.run.table.size + source
        inst = shape.inst_costs[source]
        body_mid = shape.mid_costs[response]
        body_end = shape.end_costs[response]
        if inst < 0 or body_mid < 0 or body_end < 0:  # UNKNOWN (-1): the lists leave it to a real encode
            count = self.run.table.sources.count
            found = (
                count(source, shape.lead, self.decoration.inst_sep),
                count(response, shape.body_lead, shape.mid_trail),
                count(response, shape.body_lead, shape.end_trail),
            )
            if None in found:
                self.exact_only = True
                self.prompt_mid.append(0)
                self.resp_mid.append(0)
                self.resp_end.append(0)
                return
            inst, body_mid, body_end = found  # type: ignore[assignment]
        tag = tag_costs[number]
        opening = tag + shape.wrapper_open
        prompt_mid = tag + inst
        resp_mid = opening + body_mid + shape.close_mid
        self.prompt_mid.append(prompt_mid)
        self.resp_mid.append(resp_mid)
        self.resp_end.append(opening + body_end + shape.close_end)
        self.prompt_sum += prompt_mid
        self.answer_sum += resp_mid

    def widen(self) -> None:
        """Let the bound cover every language of the run: an item that may pull the mosaic elsewhere joined."""
        self.wide = True
        deco = self.decoration
        reserves = self.run.costs.reserves(self.format_family, self.strategy, self.format_draw, deco.wrapper, True)
        self.meta_reserve, self.single_reserve = reserves

    def drop_last(self) -> None:
        """Undo the last ``add`` (it did not fit)."""
        self.items.pop()
        self.keys.pop()
        self.prompt_sum -= self.prompt_mid.pop()
        self.answer_sum -= self.resp_mid.pop()
        self.resp_end.pop()
        if self.clashing or self.drawn_style in LANGUAGE_STYLES:
            self.clashing = 0
            for item in self.items:
                self.clashing |= self.run.clashes[item]
            self.restyle()

    def restyle(self) -> bool:
        """Number the items as they call for (``tag_style_for``, ``tag_newline_for``); True if that changed."""
        style = tag_style_for(self.drawn_style, self.run.languages.of_items(self.items), self.clashing)
        newline = tag_newline_for(style, self.drawn_newline, self.clashing)
        if style == self.decoration.tag_style and newline == self.decoration.tag_newline:
            return False
        self.decoration = deco = replace(self.decoration, tag_style=style, tag_newline=newline)
        self.tag_costs, self.shape = self.run.costs.tag_costs(deco), self.run.costs.shape(deco)
        for column in (self.prompt_mid, self.resp_mid, self.resp_end):
            column.clear()
        self.prompt_sum = self.answer_sum = 0
        for number, source in enumerate(self.items, start=1):
            self.count_item(source, number)
        return True

    def bound(self) -> float:
        """An upper bound of the finished mosaic's tokens, cheap enough to take at every step."""
        if self.exact_only:
            return math.inf
        n = len(self.items)
        return (
            self.prompt_sum
            + self.answer_sum
            + (self.meta_reserve if n > 1 else self.single_reserve)
            + self.run.costs.outer_bound(self.strategy, n, self.wide)
            + BOUND_SLACK
        )

    # -- finishing -------------------------------------------------------------------------

    def outcome(self, language: str | None = None) -> tuple[str | None, Outcome]:
        """The first rule in this mosaic's order with one answer for the items (``choose.py``)."""
        return first_outcome(self.run, self, language or self.run.languages.of_items(self.items))

    def layout(self, rule: str | None, outcome: Outcome, language: str | None = None) -> tuple[Layout, str | None]:
        """The sentences of the mosaic as it stands, each placed where its words let it stand (``sentences.py``)."""
        return lay_out(self, rule, outcome, language or self.run.languages.of_items(self.items))

    def tally(self) -> State:
        """Exact tokens of the mosaic as it would be finished now."""
        language = self.run.languages.of_items(self.items)
        rule, outcome = self.outcome(language)
        layout, template_id = self.layout(rule, outcome, language)
        sources = self.run.table.sources
        last_inst = None
        if not self.exact_only:
            last, trail = self.items[-1], layout.last_trail()
            last_inst = sources.totals(self.shape.lead, trail)[last]
            if last_inst == UNKNOWN:
                last_inst = sources.count(last, self.shape.lead, trail)
        if last_inst is None:
            self.exact_only = True
            return composed_tally(self, rule, outcome, layout, template_id, language)
        literal = self.run.counter.count_literal
        prompt = self.prompt_sum - self.prompt_mid[-1] + self.tag_costs[len(self.items)] + last_inst
        for piece in layout.meta_pieces():
            prompt += literal(piece)
        answer = self.answer_sum
        for p in outcome.masked:
            answer -= self.resp_mid[p]
        final = outcome.order[-1]
        answer += self.resp_end[final] - self.resp_mid[final]
        sizing = answer
        if outcome.masked:
            sizing = self.answer_sum + self.resp_end[-1] - self.resp_mid[-1]
        return State(prompt, answer, prompt + sizing, rule, outcome, layout, template_id, language)
