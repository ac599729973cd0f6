"""Integration on the real public datasets in ../shared/data (read, never copied)."""

from __future__ import annotations

import pytest

from mosaic_core import MosaicConfig, MosaicRun, SourceTable, load_dataset, verify_mosaic
from mosaic_core.config import PRESETS
from mosaic_core.generate.kdraw import K_MODES
from tests.conftest import shared_file

pytestmark = pytest.mark.shared_data
DATASETS = {
    "alpaca_cleaned_52k.json": (51941, 51902, "alpaca"),  # 39 answers are a placeholder such as <nooutput>
    "code_alpaca_2k.json": (2017, 2015, "alpaca"),
    "dolly_15k.jsonl": (15015, 15015, "dolly"),
    "sharegpt_v3_sample_4k.json": (4000, 3986, "sharegpt"),  # 14 replies are one zero-width space
    "sharegpt_v3_messages_1k.jsonl": (1000, 994, "openai"),  # 6 messages show nothing
}
SAMPLE = 1500
MODES = [m for m in K_MODES if m != "custom"]


@pytest.fixture(scope="module", params=sorted(DATASETS))
def dataset(request: pytest.FixtureRequest) -> tuple[str, list]:
    name = request.param
    loaded = load_dataset(shared_file(name))
    rows, records, schema = DATASETS[name]
    assert (loaded.report.rows, loaded.report.loaded, loaded.report.schema) == (rows, records, schema)
    return name, loaded.records[:SAMPLE]


class TestSharedData:
    def test_every_mode_and_preset_verifies(self, dataset: tuple[str, list]) -> None:
        """A sample of each dataset: every k mode and every preset gives mosaics that all verify."""
        name, records = dataset
        table = SourceTable.build(records, "cl100k_base")
        by_id = {r.id: r for r in records}
        settings = [{"k_mode": mode} for mode in MODES] + [{"mix": PRESETS[p]} for p in PRESETS]
        checked = 0
        for extra in settings:
            run = MosaicRun(table, MosaicConfig(epochs=1, **extra))  # type: ignore[arg-type]
            for mosaic in run.mosaics():
                verdict = verify_mosaic(mosaic, run.library, run.counter, 2000, by_id)
                assert verdict.ok, (name, extra, verdict.problems)
                checked += 1
            assert run.report.usable + len([u for u in run.report.unusable if u.epoch is None]) == len(records)
        assert checked > 0
