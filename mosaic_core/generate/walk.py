"""The epoch walk of the specification: shuffle, grow each mosaic under the budget, finish it.

Each epoch shuffles the usable sources and walks through them once. For every
mosaic a ``Draft`` (``draft.py``) takes its draws once; items are then added
while the finished mosaic would stay within the budget, and ``finish`` composes
the text (``text/compose.py``) and the plan.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from mosaic_core.config import STRATEGIES, MosaicConfig
from mosaic_core.errors import ConfigError
from mosaic_core.generate.costs import Costs
from mosaic_core.generate.draft import Draft
from mosaic_core.generate.languages import Languages
from mosaic_core.generate.report import RunReport, Unusable
from mosaic_core.generate.sources import record_contexts, sort_sources
from mosaic_core.generate.state import State
from mosaic_core.records import Decoration, Mosaic, Plan
from mosaic_core.rules.registry import ORDERED_STRATEGIES
from mosaic_core.table import SourceTable
from mosaic_core.text.compose import answer_text, prompt_text
from mosaic_core.text.templates import PLACEHOLDERS, TemplateLibrary

__all__ = ["MosaicRun"]

PLAIN = Decoration(0, "", False, "\n", None, None, True, "\n", True, "\n")


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
        self.rules = {s: config.enabled_rules(s) for s in ORDERED_STRATEGIES}
        self.languages = Languages.of(table, config, self.library)
        self.templates = {
            (language, family): config.enabled_templates(family, self.library, language)
            for language in self.languages.in_play
            for family in PLACEHOLDERS
        }
        self.costs = Costs(table, self.library, self.templates, self.rules, self.languages.in_play)
        n = table.size
        sources = sort_sources(table, config, self.languages, self.library)
        self.usable, self.left_out_indices = sources.usable, sources.left_out
        self.left_out: list[Unusable] = sources.unusable
        """Items over the budget on their own, or speaking to the whole conversation (``sources.py``)."""
        self.conversation = sources.conversation
        self.context_tokens = sources.context  # the budget counts a mosaic's system prompt and tools
        self.report = self._new_report()
        self.response_chars = table.lengths[n:]
        self.contexts, self.context_values = record_contexts(table)
        self.clashes = table.clashes  # per record, the numbering its lines rule out (``Draft.restyle``)
        self.paragraphs = table.paragraphs  # per record, whether a sentence may follow it (``sentences.py``)
        self.group = self._groups()
        """Per record: the group it must share a mosaic with (None: any items may share one)."""

    def _new_report(self) -> RunReport:
        report = RunReport(
            self.table.size, len(self.usable), unusable=list(self.left_out), conversation_items=self.conversation
        )
        if not self.languages.fixed:
            report.source_languages = dict(Counter(self.table.languages))
        return report

    def fresh(self) -> MosaicRun:
        """This run with a report of its own (a worker's epoch): what it works out as it goes (``costs``) is kept."""
        twin = copy.copy(self)
        twin.report = self._new_report()
        return twin

    def _groups(self) -> list[int] | None:
        """Languages kept apart (``mixed_languages: separate``) and contexts kept apart (the default)."""
        apart = len(self.context_values) > 1 and self.config.mixed_contexts == "separate"
        if not apart:
            return list(self.languages.group) if self.languages.separate else None
        if not self.languages.separate:
            return self.contexts
        width = len(self.context_values)
        return [lang * width + ctx for lang, ctx in zip(self.languages.group, self.contexts, strict=True)]

    def context(self, items: Sequence[int]) -> tuple[str, str]:
        """The system prompt and tools of a mosaic of these items ("" for both where they differ)."""
        values = self.context_values
        if len(values) == 1 and values[0] == ("", ""):
            return "", ""
        contexts = self.contexts
        first = contexts[items[0]]
        report = self.report
        if any(contexts[item] != first for item in items):
            report.contexts_dropped += 1
            return "", ""
        system, tools = values[first]
        report.with_system += bool(system)
        report.with_tools += bool(tools)
        return system, tools

    def epoch_order(self, epoch: int) -> list[int]:
        generator = np.random.default_rng([self.config.seed, epoch])
        order: list[int] = generator.permutation(np.asarray(self.usable, dtype=np.int64)).tolist()
        if self.group is not None:
            order.sort(key=self.group.__getitem__)  # stable: each group keeps its shuffle
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
                self.report.unusable.append(Unusable.undecorated_only(item.id, tokens, epoch))
                if self.config.keep_unusable:
                    yield self.plain(source, epoch, index)
                    index += 1
                continue
            position += len(draft.items)
            yield self.finish(draft, state)
            index += 1

    def grow(self, draft: Draft, order: list[int], position: int) -> State | None:
        """Add items from ``order[position:]`` while the mosaic stays within the budget."""
        budget = self.budget(order[position])
        limit = len(order) - position
        if draft.k_target is not None:
            limit = min(limit, draft.k_target)
        if self.group is not None:
            limit = _same_group(self.group, order, position, limit)
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

    def budget(self, first: int) -> int:
        """The tokens a mosaic opening with item ``first`` may spend on its prompt and answer."""
        context = self.context_tokens
        return self.config.max_tokens - (context[first] if context is not None else 0)

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
            decoration=layout.decoration,
            instruction_chars=tuple(map(chars.__getitem__, items)),
            response_chars=tuple(map(self.response_chars.__getitem__, items)),
            prompt_tokens=state.prompt_tokens,
            answer_tokens=state.answer_tokens,
            language=state.language,
        )
        report = self.report
        report.mosaics += 1
        report.item_slots += plan.k
        report.count(strategy, rule, state.language)
        report.mosaics_per_epoch[draft.epoch] = report.mosaics_per_epoch.get(draft.epoch, 0) + 1
        prompt = prompt_text(layout, items, texts)
        answer = answer_text(layout, [(p + 1, n + items[p]) for p in outcome.order], texts)
        return Mosaic(prompt, answer, plan, *self.context(items))

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
            language=self.languages.of_items([source]),
        )
        self.report.plain_samples += 1
        return Mosaic(prompt, answer, plan, *self.context([source]))

    def mosaics(
        self,
        progress: Callable[[int, int], None] | None = None,
        on_epoch: Callable[[int], None] | None = None,
    ) -> Iterator[Mosaic]:
        """Every mosaic of every epoch, then (with ``keep_unusable``) the items left out of them, as they are.

        ``progress(done, total)`` counts source items walked. ``on_epoch(epoch)`` is called once an epoch's
        last mosaic has been taken, before the next epoch starts (the app draws the first epoch's statistics).
        """
        total = len(self.usable) * self.config.epochs
        done = 0
        for epoch in range(self.config.epochs):
            for mosaic in self.walk(epoch):
                done += mosaic.plan.k
                if progress is not None:
                    progress(done, total)
                yield mosaic
            if on_epoch is not None:
                on_epoch(epoch)
        yield from self.leftovers()

    def leftovers(self) -> Iterator[Mosaic]:
        """With ``keep_unusable``: the items left out of every epoch, as plain samples."""
        if self.config.keep_unusable:
            for index, source in enumerate(self.left_out_indices):
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


def _same_group(group: Sequence[int], order: Sequence[int], position: int, limit: int) -> int:
    """How many of ``order[position:]``, up to ``limit``, share the first one's group."""
    first = group[order[position]]
    for offset in range(1, limit):
        if group[order[position + offset]] != first:
            return offset
    return limit
