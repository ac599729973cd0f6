"""What decoration costs in tokens: tags, shapes, format and order sentences."""

from __future__ import annotations

import pytest

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.costs import Costs, Shape
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import Decoration, SourceRecord
from mosaic_core.rules.registry import RULES
from mosaic_core.table import SourceTable
from mosaic_core.text.decoration import SEPARATORS, TAG_PUNCTUATION, TAG_STYLES, number_tag
from mosaic_core.text.wrappers import wrapper_tags
from tests.conftest import TOKENIZERS


def run_of(records: list[SourceRecord], tokenizer: str = "cl100k_base") -> MosaicRun:
    config = MosaicConfig(tokenizer=tokenizer, mix=PRESETS["both"])
    return MosaicRun(SourceTable.build(records, tokenizer), config)


def decoration(tag_newline: bool, inst_sep: str = "\n", wrapper: tuple[str, str] | None = None) -> Decoration:
    return Decoration(1, ".", tag_newline, inst_sep, wrapper, None, True, "\n", True, "\n\n")


class TestTagCosts:
    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    @pytest.mark.parametrize("newline", [False, True])
    def test_each_number_costs_its_literal(
        self, tiny_records: list[SourceRecord], tokenizer: str, newline: bool
    ) -> None:
        """Entry n of the series is the tag of number n (with its newline, if any), counted as a literal."""
        costs = run_of(tiny_records, tokenizer).costs
        counter = costs.table.counter
        for style in range(len(TAG_STYLES)):
            for punct in TAG_PUNCTUATION:
                deco = Decoration(style, punct, newline, "\n", None, None, True, "\n", True, "\n")
                series = costs.tag_costs(deco)
                while len(series) <= 12:
                    costs.extend_costs(series, deco)
                assert series[0] == 0
                for number in range(1, 13):
                    tag = number_tag(style, punct, number) + ("\n" if newline else "")
                    assert series[number] == counter.count(tag)

    def test_series_is_shared_per_tag_kind(self, tiny_records: list[SourceRecord]) -> None:
        """Decorations with the same tag style, punctuation and newline share one series."""
        costs = run_of(tiny_records).costs
        assert costs.tag_costs(decoration(True, "\n")) is costs.tag_costs(decoration(True, "\n\n"))
        assert costs.tag_costs(decoration(True)) is not costs.tag_costs(decoration(False))


class TestShape:
    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    @pytest.mark.parametrize("wrapper", [None, wrapper_tags(0, 0, False), wrapper_tags(4, 2, True)])
    @pytest.mark.parametrize("newline", [False, True])
    def test_per_text_costs_are_real_counts(
        self, tiny_records: list[SourceRecord], tokenizer: str, wrapper: tuple[str, str] | None, newline: bool
    ) -> None:
        """Each known per-text cost equals a real encode of lead + text + trail; -1 only where left to encode."""
        costs = run_of(tiny_records, tokenizer).costs
        table, counter = costs.table, costs.table.counter
        for sep in SEPARATORS:
            shape = costs.shape(decoration(newline, sep, wrapper))
            assert shape.lead == ("" if newline else " ")
            n = table.size
            for i in range(n):
                inst, mid, end = shape.inst_costs[i], shape.mid_costs[n + i], shape.end_costs[n + i]
                assert inst in (-1, counter.count(shape.lead + table.texts[i] + sep))
                assert mid in (-1, counter.count(shape.body_lead + table.texts[n + i] + shape.mid_trail))
                assert end in (-1, counter.count(shape.body_lead + table.texts[n + i] + shape.end_trail))

    def test_wrapper_literals(self, tiny_records: list[SourceRecord]) -> None:
        """With a wrapper the opening and both closings are counted; without one they cost nothing."""
        costs = run_of(tiny_records).costs
        literal = costs.table.counter.count
        wrapper = wrapper_tags(0, 0, False)
        wrapped = costs.shape(decoration(False, "\n", wrapper))
        assert wrapped.wrapper_open == literal(wrapper[0] + "\n")
        assert (wrapped.close_mid, wrapped.close_end) == (literal(wrapper[1] + "\n\n"), literal(wrapper[1]))
        # The text follows its number tag inside the wrapper, as in the prompt: after a space on the tag's line.
        assert (wrapped.body_lead, wrapped.mid_trail, wrapped.end_trail) == (" ", "\n", "\n")
        on_its_line = costs.shape(decoration(True, "\n", wrapper))
        assert on_its_line.body_lead == ""
        bare = costs.shape(decoration(False))
        assert (bare.wrapper_open, bare.close_mid, bare.close_end) == (0, 0, 0)
        assert (bare.body_lead, bare.mid_trail, bare.end_trail) == (" ", "\n\n", "")

    def test_one_shape_per_kind(self, tiny_records: list[SourceRecord]) -> None:
        """Decorations that differ only in what does not shape the texts share one Shape."""
        costs = run_of(tiny_records).costs
        first = costs.shape(Decoration(0, "", True, "\n", None, None, True, "\n", True, "\n"))
        second = costs.shape(Decoration(5, ":", True, "\n", None, "format.plain.01", False, "\n\n", False, "\n\n"))
        assert first is second and isinstance(first, Shape)


class TestSentenceBounds:
    def test_no_format_sentence(self, tiny_records: list[SourceRecord]) -> None:
        """Without a format template there is no sentence and nothing to reserve."""
        assert run_of(tiny_records).costs.format_parts(None, None) == (None, 0)

    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    def test_format_sentence_and_its_bound(self, tiny_records: list[SourceRecord], tokenizer: str) -> None:
        """The format sentence has the wrapper's tags filled in; its bound covers it with either separator."""
        run = run_of(tiny_records, tokenizer)
        costs, counter = run.costs, run.counter
        for family, wrappers in (
            ("format.plain", [None]),
            ("format.wrapper", [(w, b) for w in range(19) for b in (0, 6, 24)]),
        ):
            for template in run.library.family(family):
                for choice in wrappers:
                    wrapper = None if choice is None else wrapper_tags(choice[0], choice[1], False)
                    text, bound = costs.format_parts(template.id, wrapper)
                    expected = template.render(open=wrapper[0], close=wrapper[1]) if wrapper else template.render()
                    assert text == expected
                    assert all(bound >= counter.count(text + sep) for sep in SEPARATORS), (template.id, wrapper)

    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    @pytest.mark.parametrize("strategy", ["permute", "maskout"])
    def test_outer_bound_covers_every_sentence(
        self, tiny_records: list[SourceRecord], tokenizer: str, strategy: str
    ) -> None:
        """For 2 to 120 items, every rule sentence of the strategy with its newlines fits the bound."""
        run = run_of(tiny_records, tokenizer)
        costs, counter = run.costs, run.counter
        for n in [*range(2, 13), 99, 100, 120]:
            bound = costs.outer_bound(strategy, n)
            for rule in run.rules[strategy]:
                for template_id in run.templates["en", rule]:
                    sentence = run.library.get(template_id).render(**RULES[rule].example(n))
                    assert bound >= counter.count(sentence + "\n\n"), (rule, template_id, n)

    def test_no_sentence_below_two_items(self, tiny_records: list[SourceRecord]) -> None:
        """One item gets no order or mask sentence, and format-only mosaics none at all."""
        costs = run_of(tiny_records).costs
        assert costs.outer_bound("permute", 1) == 0 and costs.outer_bound("format", 5) == 0
        assert isinstance(costs, Costs)
