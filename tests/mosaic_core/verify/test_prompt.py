"""The verifier reads the prompt: generated mosaics pass every check, corrupted ones fail the named one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.kdraw import K_MODES
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.text.annotate import plan_layout, read_prompt
from mosaic_core.text.compose import prompt_text
from mosaic_core.text.templates import builtin_library
from mosaic_core.verify.mosaic import verify_mosaic
from mosaic_core.verify.prompt import CHECKS
from tests.strategies import records


def _mosaics(sources: list[SourceRecord], **config: object) -> tuple[MosaicRun, list[Mosaic]]:
    run = MosaicRun(SourceTable.build(sources, "cl100k_base"), MosaicConfig(**config))  # type: ignore[arg-type]
    return run, list(run.mosaics())


def _rerendered(mosaic: Mosaic, **changes: object) -> Mosaic:
    """The mosaic with its plan changed and its prompt composed again from the changed plan."""
    decoration = replace(mosaic.plan.decoration, **{k: v for k, v in changes.items() if k != "values"})
    plan = replace(mosaic.plan, decoration=decoration)
    if "values" in changes:
        plan = replace(plan, values=changes["values"])  # type: ignore[arg-type]
    library = builtin_library()
    layout = plan_layout(plan, library)
    original = plan_layout(mosaic.plan, library)
    texts = [p.text for p in read_prompt(mosaic.prompt, mosaic.plan, original) if p.kind == "source"]
    return Mosaic(prompt_text(layout, list(range(plan.k)), texts), mosaic.answer, plan)


def _failed(mosaic: Mosaic) -> set[str]:
    return set(verify_mosaic(mosaic, builtin_library()).failed)


class TestGeneratedMosaicsReadOneWay:
    @settings(max_examples=40, deadline=None)
    @given(
        sources=records(min_size=2, max_size=14),
        preset=st.sampled_from(["both", "mask", "order", "format"]),
        k_mode=st.sampled_from([m for m in K_MODES if m != "custom"]),
        seed=st.integers(0, 2**32),
    )
    def test_every_check_passes(self, sources: list[SourceRecord], preset: str, k_mode: str, seed: int) -> None:
        """Whatever the records and recipe, every mosaic passes every named check, prompt checks included."""
        run, mosaics = _mosaics(sources, mix=PRESETS[preset], k_mode=k_mode, seed=seed, epochs=2, max_tokens=600)
        by_id = {r.id: r for r in sources}
        for mosaic in mosaics:
            verdict = verify_mosaic(mosaic, run.library, run.counter, 600, by_id)
            assert verdict.ok, (verdict.failed, verdict.problems, mosaic.prompt)

    def test_checks_are_named(self) -> None:
        """The named checks include the prompt's own."""
        assert {"clash", "placement", "agreement", "one_reading"} <= set(CHECKS)


class TestMutations:
    @pytest.fixture
    def mosaics(self, tiny_records: list[SourceRecord]) -> list[Mosaic]:
        found: list[Mosaic] = []
        for seed in range(30):
            found += _mosaics(tiny_records, seed=seed, epochs=1, max_k=6)[1]
        return found

    def test_moved_sentence_fails_placement(self, mosaics: list[Mosaic]) -> None:
        """A sentence that says "below" moved after the instructions fails the placement check only."""
        library = builtin_library()
        moved = 0
        for mosaic in mosaics:
            deco = mosaic.plan.decoration
            if deco.format_template and library.get(deco.format_template).place != "either":
                broken = _rerendered(mosaic, format_before=not deco.format_before)
                assert _failed(broken) == {"placement"}
                moved += 1
        assert moved >= 3

    def test_answer_all_beside_a_mask_fails_clash(self, mosaics: list[Mosaic]) -> None:
        """A plain "answer every instruction" sentence put beside a mask sentence fails the clash check."""
        library = builtin_library()
        answer_all = next(t for t in library.family("format.plain") if "all" in t.claims and t.place == "either")
        masks = [m for m in mosaics if m.plan.strategy == "maskout" and m.plan.decoration.wrapper is None]
        assert masks
        for mosaic in masks:
            broken = _rerendered(mosaic, format_template=answer_all.id)
            assert "clash" in _failed(broken)

    def test_wrong_noun_fails_agreement(self, mosaics: list[Mosaic]) -> None:
        """One instruction hidden but named in the plural ("instructions 3") fails the agreement check."""
        single = [m for m in mosaics if m.plan.rule == "maskout.fix" and len(m.plan.masked) == 1]
        assert single
        for mosaic in single:
            values = tuple((k, "instructions" if k == "noun" else v) for k, v in mosaic.plan.values)
            assert "agreement" in _failed(_rerendered(mosaic, values=values))

    def test_unmutated_mosaics_pass(self, mosaics: list[Mosaic]) -> None:
        """The same mosaics, composed again unchanged, pass (the mutations above are what fails)."""
        for mosaic in mosaics[:20]:
            assert _failed(_rerendered(mosaic)) == set()
