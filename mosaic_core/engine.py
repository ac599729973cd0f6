"""The mosaic walk of the specification: epochs, k draws, the exact token budget.

Each epoch shuffles the usable sources and walks through them once. For every
mosaic a ``Draft`` draws its decoration, strategy and rule preferences once
from its own generator, seeded by (seed, epoch, index); items are then added
one by one while the finished mosaic would stay within the budget. The token
count of each candidate is tallied from per-item counts (``tokenizers.py``
explains why that is exact), so nothing is re-tokenized while growing.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from mosaic_core.compose import Layout, Segment, answer_segments, answer_text, count, prompt_segments, prompt_text
from mosaic_core.config import STRATEGIES, MosaicConfig
from mosaic_core.decoration import (
    BRACKETS,
    SEPARATORS,
    TAG_PUNCTUATION,
    TAG_STYLES,
    WRAPPER_WORDS,
    number_tag,
    wrapper_tags,
)
from mosaic_core.errors import ConfigError
from mosaic_core.kdraw import draw_k
from mosaic_core.records import Decoration, Mosaic, Plan
from mosaic_core.rules import RULES, Outcome, RuleInput
from mosaic_core.sources import SourceTable
from mosaic_core.templates import TemplateLibrary

__all__ = ["MosaicRun", "RunReport", "Unusable"]

T = TypeVar("T")
BOUND_SLACK = 4
PLAIN = Decoration(0, "", False, "\n", None, None, True, "\n", True, "\n")


@dataclass(frozen=True, slots=True)
class Unusable:
    """A source item that could not be placed in any mosaic, and why."""

    id: str
    tokens: int
    reason: str
    epoch: int | None = None


@dataclass
class RunReport:
    """Counts of a run, filled in as mosaics are generated."""

    sources: int = 0
    usable: int = 0
    mosaics: int = 0
    plain_samples: int = 0
    item_slots: int = 0
    unusable: list[Unusable] = field(default_factory=list)
    mosaics_per_epoch: dict[int, int] = field(default_factory=dict)

    @property
    def mean_k(self) -> float:
        return self.item_slots / self.mosaics if self.mosaics else 0.0


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    # random() scaled is several times cheaper than choice or randrange, and its bias (2**-53) is nil here.
    return items[int(rng.random() * len(items))]


class Draft:
    """One mosaic in the making: its draws, and the running token tally."""

    __slots__ = (
        "answer_sum",
        "decoration",
        "epoch",
        "exact_only",
        "format_meta",
        "index",
        "items",
        "k_target",
        "keys",
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
        "strategy",
        "tag_costs",
        "template_draw",
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
        format_template = None
        if wrapped:
            wrapper = wrapper_tags(int(draw() * len(WRAPPER_WORDS)), int(draw() * len(BRACKETS)), draw() < 0.5)
            format_template = _pick(rng, run.templates["format.wrapper"])
        elif draw() < 0.5:
            format_template = _pick(rng, run.templates["format.plain"])
        self.decoration = deco = Decoration(
            tag_style=int(draw() * len(TAG_STYLES)),
            tag_punct=_pick(rng, TAG_PUNCTUATION),
            tag_newline=draw() < 0.5,
            inst_sep=_pick(rng, SEPARATORS),
            wrapper=wrapper,
            format_template=format_template,
            format_before=draw() < 0.5,
            format_sep=_pick(rng, SEPARATORS),
            outer_before=draw() < 0.5,
            outer_sep=_pick(rng, SEPARATORS),
        )
        self.format_meta, self.meta_reserve = run.format_parts(format_template, wrapper)
        # The mosaic's rule is drawn; if it has no single answer here, the next ones in turn are tried.
        self.rules: list[str] = []
        if ordered:
            enabled = run.rules[strategy]
            first = int(draw() * len(enabled))
            self.rules = enabled[first:] + enabled[:first]
        self.template_draw = draw()
        self.mask_ratio = rng.uniform(0.1, 0.5)
        self.k_target = draw_k(config.k_mode, rng, config.max_k, config.k_weights)
        self.rng = rng
        self.tag_costs = run.tag_costs(deco)
        self.shape = run.shape(deco)
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
        self.keys.append(self.rng.random())
        number = len(items)
        tag_costs = self.tag_costs
        while len(tag_costs) <= number:
            self.run.extend_costs(tag_costs, self.decoration)
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
        if inst < 0 or body_mid < 0 or body_end < 0:  # a piece the lists leave to a real encode
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

    def drop_last(self) -> None:
        """Undo the last ``add`` (it did not fit)."""
        self.items.pop()
        self.keys.pop()
        self.prompt_sum -= self.prompt_mid.pop()
        self.answer_sum -= self.resp_mid.pop()
        self.resp_end.pop()

    def bound(self) -> int:
        """An upper bound of the finished mosaic's tokens, cheap enough to take at every step."""
        if self.exact_only:
            return 1 << 62
        return (
            self.prompt_sum
            + self.answer_sum
            + self.meta_reserve
            + self.run.outer_bound(self.strategy, len(self.items))
            + BOUND_SLACK
        )

    # -- finishing -------------------------------------------------------------------------

    def outcome(self) -> tuple[str | None, Outcome]:
        """The rule that applies to the current items (first in this mosaic's preference)."""
        n = len(self.items)
        if self.rules and n >= 2:
            table = self.run.table
            data = RuleInput(
                words=list(map(table.words.__getitem__, self.items)),
                chars=list(map(table.lengths.__getitem__, self.items)),
                letters=list(map(table.letters.__getitem__, self.items)),
                keys=self.keys,
                mask_ratio=self.mask_ratio,
            )
            for name in self.rules:
                result = RULES[name].apply(data)
                if result is not None:
                    return name, result
        return None, Outcome(tuple(range(n)))

    def layout(self, rule: str | None, outcome: Outcome) -> tuple[Layout, str | None]:
        if rule is None:
            return Layout(self.decoration, self.format_meta, None), None
        choices = self.run.templates[rule]
        template_id = choices[int(self.template_draw * len(choices))]
        meta = self.run.library.get(template_id).render(**outcome.values)
        return Layout(self.decoration, self.format_meta, meta), template_id

    def segments(self, layout: Layout, outcome: Outcome) -> tuple[list[Segment], list[Segment]]:
        n = self.run.table.size
        prompt = prompt_segments(layout, self.items)
        answer = answer_segments(layout, [(p + 1, n + self.items[p]) for p in outcome.order])
        return prompt, answer

    def tally(self) -> State:
        """Exact tokens of the mosaic as it would be finished now."""
        rule, outcome = self.outcome()
        layout, template_id = self.layout(rule, outcome)
        sources = self.run.table.sources
        last_inst = None
        if not self.exact_only:
            last, trail = self.items[-1], layout.last_trail()
            last_inst = sources.totals(self.shape.lead, trail)[last]
            if last_inst < 0:
                last_inst = sources.count(last, self.shape.lead, trail)
        if last_inst is None:
            self.exact_only = True
            prompt_segs, answer_segs = self.segments(layout, outcome)
            prompt = count(prompt_segs, sources)
            answer = sizing = count(answer_segs, sources)
            if outcome.masked:
                full = Outcome(tuple(range(len(self.items))))
                sizing = count(self.segments(layout, full)[1], sources)
            return State(prompt, answer, prompt + sizing, rule, outcome, layout, template_id)
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
        return State(prompt, answer, prompt + sizing, rule, outcome, layout, template_id)


@dataclass(slots=True)  # made once per mosaic; frozen would cost a call per field
class State:
    """A finished-mosaic candidate: its real counts, and the count that sizes it.

    The budget decides how many items a mosaic holds on its unmasked form (every
    response present), so the strategy does not change k; masking then only
    shortens the answer. This also matches the reference's statistics.
    """

    prompt_tokens: int
    answer_tokens: int
    sizing_tokens: int
    rule: str | None
    outcome: Outcome
    layout: Layout
    template_id: str | None


@dataclass(frozen=True, slots=True)
class Shape:
    """What a decoration adds around each source text, in tokens, and the per-text counts it reads."""

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
    def of(cls, run: MosaicRun, deco: Decoration) -> Shape:
        literal = run.counter.count_literal
        lead = "" if deco.tag_newline else " "
        wrapper = deco.wrapper
        # Tags cost the same in the prompt and the answer. With a wrapper, the begin tag follows the
        # number tag after its newline or a space (a pre-token boundary either way), so it is counted apart.
        if wrapper is None:
            opening = close_mid = close_end = 0
            body_lead, mid_trail, end_trail = lead, "\n\n", ""
        else:
            opening, close_mid, close_end = (
                literal(lead + wrapper[0] + "\n"),
                literal(wrapper[1] + "\n\n"),
                literal(wrapper[1]),
            )
            body_lead, mid_trail, end_trail = "", "\n", "\n"
        inst: list[int] = []
        mid: list[int] = []
        end: list[int] = []
        if run.counter.additive:
            sources = run.table.sources
            inst = sources.totals(lead, deco.inst_sep)
            mid, end = sources.totals(body_lead, mid_trail), sources.totals(body_lead, end_trail)
        return cls(lead, opening, close_mid, close_end, body_lead, mid_trail, end_trail, inst, mid, end)


class MosaicRun:
    """Generate the mosaics of a dataset under a config, reproducibly.

    >>> from mosaic_core.records import SourceRecord
    >>> records = [SourceRecord(str(i), f"Say {i}.", "", f"{i}") for i in range(6)]
    >>> run = MosaicRun(SourceTable.build(records, "cl100k_base"), MosaicConfig(epochs=1, max_k=3))
    >>> sum(m.plan.k for m in run.mosaics())
    6
    """

    def __init__(self, table: SourceTable, config: MosaicConfig) -> None:
        if table.counter.name != config.tokenizer and not config.tokenizer.startswith("hf:"):
            raise ConfigError(f"the table was tokenized with {table.counter.name}, the recipe wants {config.tokenizer}")
        self.table = table
        self.config = config
        self.counter = table.counter
        self.library: TemplateLibrary = config.library()
        self.mix_cumulative = list(itertools.accumulate(config.mix[s] for s in STRATEGIES))
        self.rules = {s: config.enabled_rules(s) for s in ("permute", "maskout")}
        families = ["format.wrapper", "format.plain", *RULES]
        self.templates = {f: config.enabled_templates(f, self.library) for f in families}
        budget = config.max_tokens
        n = table.size
        self.usable: list[int] = []
        self.too_long_indices: list[int] = []
        for i in range(n):
            (self.too_long_indices if table.counts[i] + table.counts[n + i] > budget else self.usable).append(i)
        self.too_long: list[Unusable] = []
        for i in self.too_long_indices:
            bare = table.counts[i] + table.counts[n + i]
            self.too_long.append(Unusable(table.ids[i], bare, f"{bare} tokens on its own, over the budget of {budget}"))
        self.report = RunReport(sources=n, usable=len(self.usable), unusable=list(self.too_long))
        self._tag_costs: dict[tuple[int, str, bool], list[int]] = {}
        self._outer_bounds: dict[tuple[str, int], int] = {}
        self._format_bounds: dict[str, int] = {}
        self._format_parts: dict[tuple[str, tuple[str, str] | None], tuple[str, int]] = {}
        self.response_chars = table.lengths[n:]
        self._shapes: dict[tuple[bool, str, tuple[str, str] | None], Shape] = {}

    def tag_costs(self, deco: Decoration) -> list[int]:
        """Tokens of a numbering tag (with its newline, if the decoration has one), by number (0 unused)."""
        return self._tag_costs.setdefault((deco.tag_style, deco.tag_punct, deco.tag_newline), [0])

    def extend_costs(self, series: list[int], deco: Decoration) -> None:
        """Append the next number's cost to a series from ``tag_costs``."""
        tag = number_tag(deco.tag_style, deco.tag_punct, len(series))
        series.append(self.counter.count_literal(tag + "\n" if deco.tag_newline else tag))

    def format_parts(self, template_id: str | None, wrapper: tuple[str, str] | None) -> tuple[str | None, int]:
        """A format meta-instruction with the wrapper's tags filled in, and its share of the growth bound."""
        if template_id is None:
            return None, 0
        key = (template_id, wrapper)
        found = self._format_parts.get(key)
        if found is None:
            template = self.library.get(template_id)
            text = template.render(open=wrapper[0], close=wrapper[1]) if wrapper else template.render()
            found = self._format_parts[key] = (text, self.format_bound(template_id, wrapper))
        return found

    def shape(self, deco: Decoration) -> Shape:
        """The token costs a decoration puts around every source text (one per decoration kind)."""
        key = (deco.tag_newline, deco.inst_sep, deco.wrapper)
        found = self._shapes.get(key)
        if found is None:
            found = self._shapes[key] = Shape.of(self, deco)
        return found

    def format_bound(self, template_id: str, wrapper: tuple[str, str] | None) -> int:
        """At least the tokens of a format meta-instruction and its newlines (for the growth bound)."""
        literal = self.counter.count_literal
        base = self._format_bounds.get(template_id)
        if base is None:
            text = self.library.get(template_id).text
            base = literal(text.replace("{open}", "").replace("{close}", "")) + 2
            self._format_bounds[template_id] = base
        if wrapper is None:
            return base
        # Each tag may merge with at most one neighbour on each side; 2 tokens of room per tag cover it.
        return base + literal(wrapper[0]) + literal(wrapper[1]) + 4

    def outer_bound(self, strategy: str, n: int) -> int:
        """Most tokens an order or mask sentence (with its newlines) can take for n items."""
        if n < 2 or strategy not in ("permute", "maskout"):
            return 0
        key = (strategy, n)
        found = self._outer_bounds.get(key)
        if found is None:
            widest = str(10 ** len(str(n)) - 1)
            values = {
                "order": ", ".join([widest] * n),
                "positions": ", ".join([widest] * n),
                "m": widest,
                "noun": "instructions",
            }
            literal = self.counter.count_literal
            templates = [self.library.get(t) for rule in self.rules[strategy] for t in self.templates[rule]]
            found = 2 + max(
                literal(t.render(**{k: v for k, v in values.items() if "{" + k + "}" in t.text})) for t in templates
            )
            self._outer_bounds[key] = found
        return found

    def epoch_order(self, epoch: int) -> list[int]:
        generator = np.random.default_rng([self.config.seed, epoch])
        order: list[int] = generator.permutation(np.asarray(self.usable, dtype=np.int64)).tolist()
        return order

    def walk(self, epoch: int, order: list[int] | None = None) -> Iterator[Mosaic]:
        """The mosaics of one epoch, in order; ``order`` replaces the epoch's own shuffle (Ray blocks)."""
        order = self.epoch_order(epoch) if order is None else order
        total = len(order)
        position = 0
        index = 0
        while position < total:
            draft = Draft(self, epoch, index)
            state = self.grow(draft, order, position)
            if state is None:
                source = order[position]
                position += 1
                item = self.table.records[source]
                tokens = self.table.counts[source] + self.table.counts[self.table.size + source]
                self.report.unusable.append(
                    Unusable(item.id, tokens, "fits the budget only without any decoration", epoch)
                )
                if self.config.keep_unusable:
                    yield self.plain(source, epoch, index)
                    index += 1
                continue
            position += len(draft.items)
            yield self.finish(draft, state)
            index += 1

    def grow(self, draft: Draft, order: list[int], position: int) -> State | None:
        """Add items from ``order[position:]`` while the mosaic stays within the budget."""
        budget = self.config.max_tokens
        limit = len(order) - position
        if draft.k_target is not None:
            limit = min(limit, draft.k_target)
        items, add, bound = draft.items, draft.add, draft.bound
        state: State | None = None  # the tally of the current items, when one was taken
        while len(items) < limit:
            add(order[position + len(items)])
            state = None
            if bound() <= budget:
                continue
            tallied = draft.tally()
            if tallied.sizing_tokens > budget:
                draft.drop_last()
                break
            state = tallied
        if not draft.items:
            return None
        if state is None:
            state = draft.tally()
        # The bound is only a bound; the exact tally has the last word.
        while state.sizing_tokens > budget and len(draft.items) > 1:
            draft.drop_last()
            state = draft.tally()
        return state if state.sizing_tokens <= budget else None

    def finish(self, draft: Draft, state: State) -> Mosaic:
        rule, outcome, layout = state.rule, state.outcome, state.layout
        texts = self.table.texts
        n = self.table.size
        items = draft.items
        ids, chars = self.table.ids, self.table.lengths
        strategy = draft.strategy if rule else ("format" if draft.decoration.wrapper else "primary")
        plan = Plan(
            seed=self.config.seed,
            epoch=draft.epoch,
            index=draft.index,
            source_ids=tuple(map(ids.__getitem__, items)),
            k_target=draft.k_target,
            strategy=strategy,
            rule=rule,
            outer_template=state.template_id,
            order=outcome.order,
            masked=outcome.masked,
            values=tuple(sorted(outcome.values.items())),
            decoration=draft.decoration,
            instruction_chars=tuple(map(chars.__getitem__, items)),
            response_chars=tuple(map(self.response_chars.__getitem__, items)),
            prompt_tokens=state.prompt_tokens,
            answer_tokens=state.answer_tokens,
        )
        report = self.report
        report.mosaics += 1
        report.item_slots += plan.k
        report.mosaics_per_epoch[draft.epoch] = report.mosaics_per_epoch.get(draft.epoch, 0) + 1
        prompt = prompt_text(layout, items, texts)
        answer = answer_text(layout, [(p + 1, n + items[p]) for p in outcome.order], texts)
        return Mosaic(prompt, answer, plan)

    def plain(self, source: int, epoch: int, index: int) -> Mosaic:
        """An item kept as it is, outside any mosaic (``keep_unusable``)."""
        texts, n = self.table.texts, self.table.size
        prompt, answer = texts[source], texts[n + source]
        plan = Plan(
            seed=self.config.seed,
            epoch=epoch,
            index=index,
            source_ids=(self.table.ids[source],),
            k_target=1,
            strategy="plain",
            rule=None,
            outer_template=None,
            order=(0,),
            masked=(),
            values=(),
            decoration=PLAIN,
            instruction_chars=(len(prompt),),
            response_chars=(len(answer),),
            prompt_tokens=self.table.counts[source],
            answer_tokens=self.table.counts[n + source],
        )
        self.report.plain_samples += 1
        return Mosaic(prompt, answer, plan)

    def mosaics(self, progress: Callable[[int, int], None] | None = None) -> Iterator[Mosaic]:
        """Every mosaic of every epoch, then (with ``keep_unusable``) the over-long items as they are.

        ``progress(done, total)`` counts source items walked.
        """
        total = len(self.usable) * self.config.epochs
        done = 0
        for epoch in range(self.config.epochs):
            for mosaic in self.walk(epoch):
                done += mosaic.plan.k
                if progress is not None:
                    progress(done, total)
                yield mosaic
        yield from self.leftovers()

    def leftovers(self) -> Iterator[Mosaic]:
        """With ``keep_unusable``: the items too long for any mosaic, as plain samples."""
        if self.config.keep_unusable:
            for index, source in enumerate(self.too_long_indices):
                yield self.plain(source, -1, index)

    def preview(self, start: int = 0, count: int = 10) -> list[Mosaic]:
        """Mosaics ``start .. start+count-1`` of the run, identical to the export's."""
        found: list[Mosaic] = []
        for position, mosaic in enumerate(self.mosaics()):
            if position >= start:
                found.append(mosaic)
                if len(found) == count:
                    break
        return found
