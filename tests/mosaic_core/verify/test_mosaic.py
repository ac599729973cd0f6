"""The verifier accepts what the generator makes and rejects corrupted answers."""

from __future__ import annotations

import dataclasses

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Mosaic
from mosaic_core.table import SourceTable
from mosaic_core.verify.mosaic import verify_mosaic
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def run_and_mosaics() -> tuple[MosaicRun, list[Mosaic]]:
    records = load_dataset(DEMO).records
    run = MosaicRun(SourceTable.build(records, "cl100k_base"), MosaicConfig(epochs=3))
    return run, list(run.mosaics())


def corrupted(mosaic: Mosaic) -> list[tuple[str, Mosaic]]:
    """Ways to spoil an answer while keeping the plan."""
    plan = mosaic.plan
    answer = mosaic.answer
    changes = [
        ("dropped last character", dataclasses.replace(mosaic, answer=answer[:-1])),
        ("extra text", dataclasses.replace(mosaic, answer=answer + "\n\nAlso this.")),
        ("prompt edited", dataclasses.replace(mosaic, prompt=mosaic.prompt.replace(" ", "  ", 1))),
    ]
    if len(plan.order) >= 2:
        swapped = (plan.order[1], plan.order[0], *plan.order[2:])
        changes.append(
            ("order swapped in plan", dataclasses.replace(mosaic, plan=dataclasses.replace(plan, order=swapped)))
        )
    if plan.masked:
        unmasked = tuple(sorted(plan.order + plan.masked[:1]))
        changes.append(
            (
                "masked answer kept",
                dataclasses.replace(mosaic, plan=dataclasses.replace(plan, order=unmasked, masked=plan.masked[1:])),
            )
        )
    changes.append(
        (
            "token count wrong",
            dataclasses.replace(mosaic, plan=dataclasses.replace(plan, answer_tokens=plan.answer_tokens + 1)),
        )
    )
    return changes


class TestVerifier:
    def test_accepts_generated(self, run_and_mosaics: tuple[MosaicRun, list[Mosaic]]) -> None:
        """Every generated mosaic passes, tokens included."""
        run, mosaics = run_and_mosaics
        assert all(verify_mosaic(m, run.library, run.counter, 2000).ok for m in mosaics)

    def test_rejects_corruptions(self, run_and_mosaics: tuple[MosaicRun, list[Mosaic]]) -> None:
        """Each corruption of each rule's mosaics is caught."""
        run, mosaics = run_and_mosaics
        seen = set()
        for mosaic in mosaics:
            for label, bad in corrupted(mosaic):
                verdict = verify_mosaic(bad, run.library, run.counter, 2000)
                assert not verdict.ok, (label, mosaic.plan.rule)
                seen.add(mosaic.plan.rule)
        assert len(seen) >= 12

    def test_rejects_reordered_answer(self, run_and_mosaics: tuple[MosaicRun, list[Mosaic]]) -> None:
        """Answering a reverse-order mosaic in the given order fails."""
        run, mosaics = run_and_mosaics
        mosaic = next(m for m in mosaics if m.plan.rule == "permute.reverse")
        plan = mosaic.plan
        straight = dataclasses.replace(plan, order=tuple(range(plan.k)))
        layout_answer = Mosaic(mosaic.prompt, mosaic.answer, straight)
        assert not verify_mosaic(layout_answer, run.library).ok

    def test_over_budget(self, run_and_mosaics: tuple[MosaicRun, list[Mosaic]]) -> None:
        """A mosaic over a smaller budget is reported as such."""
        run, mosaics = run_and_mosaics
        biggest = max(mosaics, key=lambda m: m.plan.tokens)
        verdict = verify_mosaic(biggest, run.library, run.counter, biggest.plan.tokens - 1)
        assert not verdict.ok and "over the budget" in verdict.problems[-1]
