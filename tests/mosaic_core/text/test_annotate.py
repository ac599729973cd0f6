"""Reading a mosaic's text back into labelled pieces, guided by its plan."""

from __future__ import annotations

import dataclasses

import pytest

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.text.annotate import LayoutMismatch, annotate, plan_layout, read_answer, read_prompt
from mosaic_core.text.templates import TemplateLibrary
from tests.conftest import DEMO

KINDS = {"meta", "number", "wrapper", "source", "space"}


@pytest.fixture(scope="module")
def records() -> dict[str, SourceRecord]:
    return {r.id: r for r in load_dataset(DEMO).records}


@pytest.fixture(scope="module")
def runs(records: dict[str, SourceRecord]) -> list[tuple[MosaicRun, list[Mosaic]]]:
    """Every preset on the demo data, two epochs each."""
    table = SourceTable.build(list(records.values()), "cl100k_base")
    found = []
    for preset in sorted(PRESETS):
        run = MosaicRun(table, MosaicConfig(mix=PRESETS[preset], epochs=2, seed=5))
        found.append((run, list(run.mosaics())))
    return found


@pytest.fixture(scope="module")
def plain(records: dict[str, SourceRecord]) -> tuple[MosaicRun, list[Mosaic]]:
    """The plain samples kept under a small budget with keep_unusable."""
    run = MosaicRun(
        SourceTable.build(list(records.values()), "cl100k_base"),
        MosaicConfig(epochs=1, max_tokens=300, keep_unusable=True),
    )
    return run, [m for m in run.mosaics() if m.plan.strategy == "plain"]


def mosaics_of(runs: list[tuple[MosaicRun, list[Mosaic]]]) -> list[tuple[TemplateLibrary, Mosaic]]:
    return [(run.library, mosaic) for run, mosaics in runs for mosaic in mosaics]


class TestAnnotate:
    def test_pieces_join_back_to_the_text(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """Prompt pieces and answer pieces, joined, are the prompt and the answer, byte for byte."""
        for library, mosaic in mosaics_of(runs):
            found = annotate(mosaic, library)
            assert "".join(p.text for p in found.prompt) == mosaic.prompt
            assert "".join(p.text for p in found.answer) == mosaic.answer
            assert {p.kind for p in found.prompt + found.answer} <= KINDS

    def test_source_pieces_are_the_source_texts(
        self, runs: list[tuple[MosaicRun, list[Mosaic]]], records: dict[str, SourceRecord]
    ) -> None:
        """The prompt's source pieces are the instructions in order; the answer's are the responses given."""
        for library, mosaic in mosaics_of(runs):
            plan = mosaic.plan
            found = annotate(mosaic, library)
            assert found.instructions() == [records[i].prompt_text for i in plan.source_ids]
            answered = [(p.item, p.text) for p in found.answer if p.kind == "source"]
            assert answered == [(p, records[plan.source_ids[p]].response_text) for p in plan.order]

    def test_meta_pieces_are_the_rendered_sentences(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """Every rule mosaic shows its order or mask sentence as a meta piece; a mosaic without any shows none."""
        seen_rule = seen_without = False
        for library, mosaic in mosaics_of(runs):
            layout = plan_layout(mosaic.plan, library)
            metas = [p.text for p in annotate(mosaic, library).prompt if p.kind == "meta"]
            expected = [m for m in (layout.outer_meta, layout.format_meta) if m]
            assert sorted(metas) == sorted(expected)
            seen_rule |= mosaic.plan.rule is not None
            seen_without |= not expected
        assert seen_rule and seen_without

    def test_another_order_is_a_mismatch(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """Reading the answer with an order other than the one it was written in fails."""
        checked = 0
        for library, mosaic in mosaics_of(runs):
            order = mosaic.plan.order
            if len(order) >= 2:
                with pytest.raises(LayoutMismatch):
                    annotate(mosaic, library, order=(*order[1:], order[0]))
                checked += 1
        assert checked > 20

    @pytest.mark.parametrize(
        "spoil",
        [
            pytest.param(lambda m: dataclasses.replace(m, prompt=m.prompt + " "), id="prompt with extra text"),
            pytest.param(lambda m: dataclasses.replace(m, answer=m.answer[:-1]), id="answer cut short"),
            pytest.param(lambda m: dataclasses.replace(m, answer="x" + m.answer), id="answer with a prefix"),
            pytest.param(lambda m: dataclasses.replace(m, prompt=m.prompt[1:]), id="prompt missing its start"),
        ],
    )
    def test_corrupted_text_raises(self, runs: list[tuple[MosaicRun, list[Mosaic]]], spoil: object) -> None:
        """A text that no longer follows its plan raises LayoutMismatch, for every mosaic."""
        for library, mosaic in mosaics_of(runs)[:150]:
            if mosaic.plan.strategy == "plain":
                continue
            with pytest.raises(LayoutMismatch):
                annotate(spoil(mosaic), library)  # type: ignore[operator]

    def test_plan_lengths_must_match_its_sources(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """A plan whose character lengths do not cover its k sources is refused."""
        library, mosaic = mosaics_of(runs)[0]
        plan = dataclasses.replace(mosaic.plan, instruction_chars=mosaic.plan.instruction_chars[:-1])
        with pytest.raises(LayoutMismatch, match="lengths"):
            annotate(dataclasses.replace(mosaic, plan=plan), library)


class TestPlainSamples:
    def test_plain_sample_is_one_source_each_side(self, plain: tuple[MosaicRun, list[Mosaic]]) -> None:
        """A plain sample reads as a single source piece on each side."""
        run, mosaics = plain
        assert mosaics
        for mosaic in mosaics:
            found = annotate(mosaic, run.library)
            assert [(p.text, p.kind, p.item) for p in found.prompt] == [(mosaic.prompt, "source", 0)]
            assert [(p.text, p.kind, p.item) for p in found.answer] == [(mosaic.answer, "source", 0)]

    def test_edited_plain_sample_raises(self, plain: tuple[MosaicRun, list[Mosaic]]) -> None:
        """A plain sample whose text differs in length from its source is refused."""
        run, mosaics = plain
        with pytest.raises(LayoutMismatch, match="plain"):
            annotate(dataclasses.replace(mosaics[0], answer=mosaics[0].answer + "!"), run.library)


class TestPlanLayout:
    def test_rule_sentence_is_the_template_rendered_with_the_plan_values(
        self, runs: list[tuple[MosaicRun, list[Mosaic]]]
    ) -> None:
        """The outer sentence is the plan's template filled with its values; none without a rule."""
        for library, mosaic in mosaics_of(runs):
            plan = mosaic.plan
            layout = plan_layout(plan, library)
            if plan.rule is None:
                assert layout.outer_meta is None
            else:
                assert plan.outer_template is not None
                assert layout.outer_meta == library.get(plan.outer_template).render(**dict(plan.values))
            assert layout.decoration == plan.decoration

    def test_format_sentence_names_the_wrapper_tags(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """With a wrapper, the format sentence names both of its tags."""
        wrapped = [(lib, m) for lib, m in mosaics_of(runs) if m.plan.decoration.wrapper is not None]
        assert wrapped
        for library, mosaic in wrapped:
            wrapper = mosaic.plan.decoration.wrapper
            assert wrapper is not None
            meta = plan_layout(mosaic.plan, library).format_meta
            assert meta is not None and wrapper[0] in meta and wrapper[1] in meta

    def test_rule_without_template_raises(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """A plan with a rule but no template cannot be laid out."""
        library, mosaic = next((lib, m) for lib, m in mosaics_of(runs) if m.plan.rule is not None)
        with pytest.raises(LayoutMismatch, match="without a template"):
            plan_layout(dataclasses.replace(mosaic.plan, outer_template=None), library)

    def test_template_of_another_rule_raises(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """A template from another rule's family is refused."""
        library, mosaic = next((lib, m) for lib, m in mosaics_of(runs) if m.plan.rule == "permute.reverse")
        other = library.family("permute.odd_first")[0].id
        with pytest.raises(LayoutMismatch, match="belongs to"):
            plan_layout(dataclasses.replace(mosaic.plan, outer_template=other), library)

    def test_wrapper_with_a_plain_format_template_raises(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """A wrapper whose format sentence does not name tags is refused."""
        library, mosaic = next((lib, m) for lib, m in mosaics_of(runs) if m.plan.decoration.wrapper is not None)
        plain_id = library.family("format.plain")[0].id
        deco = dataclasses.replace(mosaic.plan.decoration, format_template=plain_id)
        with pytest.raises(LayoutMismatch, match="wrapper"):
            plan_layout(dataclasses.replace(mosaic.plan, decoration=deco), library)


class TestReaders:
    def test_read_prompt_numbers_every_instruction(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """read_prompt gives one number piece and one source piece per item, in item order."""
        for library, mosaic in mosaics_of(runs)[:200]:
            plan = mosaic.plan
            pieces = read_prompt(mosaic.prompt, plan, plan_layout(plan, library))
            assert [p.item for p in pieces if p.kind == "number"] == list(range(plan.k))
            assert [len(p.text) for p in pieces if p.kind == "source"] == list(plan.instruction_chars)

    def test_read_answer_follows_the_order_given(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """read_answer gives the responses at the plan's order, masked ones left out."""
        for library, mosaic in mosaics_of(runs)[:200]:
            plan = mosaic.plan
            pieces = read_answer(mosaic.answer, plan, plan_layout(plan, library), plan.order)
            assert [p.item for p in pieces if p.kind == "source"] == list(plan.order)
            assert not set(plan.masked) & {p.item for p in pieces if p.item is not None}

    def test_read_prompt_says_where_it_left_the_layout(self, runs: list[tuple[MosaicRun, list[Mosaic]]]) -> None:
        """The message of a mismatch names the prompt and what was expected."""
        library, mosaic = next((lib, m) for lib, m in mosaics_of(runs) if m.plan.k >= 2)
        plan = mosaic.plan
        with pytest.raises(LayoutMismatch, match=r"^prompt: "):
            read_prompt("?" + mosaic.prompt, plan, plan_layout(plan, library))
