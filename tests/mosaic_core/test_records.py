"""The two record types: a source pair, and a mosaic with the plan that made it."""

from __future__ import annotations

import dataclasses

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Decoration, Plan, SourceRecord
from mosaic_core.table import SourceTable
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    records = load_dataset(DEMO).records
    run = MosaicRun(SourceTable.build(records, "cl100k_base"), MosaicConfig(epochs=1))
    return [mosaic.plan for mosaic in list(run.mosaics())[:40]]


class TestSourceRecord:
    def test_prompt_and_response_text(self) -> None:
        """Instruction and input are stripped and joined by a newline; the response is stripped."""
        record = SourceRecord("1", "  Sum these ", " 2, 3 ", "\n5\n")
        assert (record.prompt_text, record.response_text) == ("Sum these\n2, 3", "5")
        assert SourceRecord("2", "Say hi", "  ", "Hi").prompt_text == "Say hi"

    def test_metadata_is_not_compared(self) -> None:
        """Two records differing only in metadata are equal."""
        assert SourceRecord("1", "a", "", "b", metadata={"x": 1}) == SourceRecord("1", "a", "", "b")


class TestPlanRecord:
    def test_to_dict_round_trip_covers_every_field(self, plans: list[Plan]) -> None:
        """The hand-written JSON form names every field and reads back to the same plan."""
        for plan in plans:
            data = plan.to_dict()
            assert set(data) == {f.name for f in dataclasses.fields(Plan)}
            assert set(data["decoration"]) == {f.name for f in dataclasses.fields(Decoration)}
            assert Plan.from_dict(data) == plan

    def test_k_and_tokens(self, plans: list[Plan]) -> None:
        """k counts the sources; tokens adds prompt and answer."""
        for plan in plans:
            assert plan.k == len(plan.source_ids) and plan.tokens == plan.prompt_tokens + plan.answer_tokens

    @pytest.mark.parametrize(
        "spoil",
        [
            pytest.param(lambda d: d.pop("seed"), id="missing field"),
            pytest.param(lambda d: d.update(order=["x"]), id="not a number"),
            pytest.param(lambda d: d["decoration"].update(colour="red"), id="unknown decoration field"),
            pytest.param(lambda d: d.update(values=[1, 2]), id="values not an object"),
        ],
    )
    def test_malformed_plan_is_a_dataset_error(self, plans: list[Plan], spoil: object) -> None:
        """A plan that is incomplete or malformed raises DatasetError, not a bare KeyError or TypeError."""
        data = plans[0].to_dict()
        spoil(data)  # type: ignore[operator]
        with pytest.raises(DatasetError, match="malformed"):
            Plan.from_dict(data)
