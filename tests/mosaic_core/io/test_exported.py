"""Reading our own exports back: rows, plans and manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.export import RECORD_FORMATS, RowShape, mosaic_row, write_rows
from mosaic_core.io.exported import iter_export_rows, manifest_path, plan_of, prompt_and_answer, read_manifest
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.table import SourceTable


@pytest.fixture
def mosaics(tiny_records: list[SourceRecord]) -> list[Mosaic]:
    return list(MosaicRun(SourceTable.build(tiny_records, "cl100k_base"), MosaicConfig(epochs=1)).mosaics())


class TestRows:
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    def test_prompt_and_answer_in_every_format(self, mosaics: list[Mosaic], record_format: str) -> None:
        """Every record format gives back the mosaic's prompt and answer."""
        for mosaic in mosaics:
            assert prompt_and_answer(mosaic_row(mosaic, RowShape(record_format, False))) == (
                mosaic.prompt,
                mosaic.answer,
            )

    def test_unknown_row_shape(self) -> None:
        """A row of none of our shapes names its keys."""
        with pytest.raises(DatasetError, match="keys: a, b"):
            prompt_and_answer({"b": 1, "a": 2})

    def test_plan_of(self, mosaics: list[Mosaic]) -> None:
        """The plan is read from an object, or from JSON text (columnar files); anything else has none."""
        plan = mosaics[0].plan.to_dict()
        assert plan_of({"mosaic": plan}) == plan
        assert plan_of({"mosaic": json.dumps(plan)}) == plan
        assert plan_of({"mosaic": "{broken"}) is None
        assert plan_of({"mosaic": [1]}) is None
        assert plan_of(["not", "a", "row"]) is None

    def test_file_and_folder_of_shards(self, mosaics: list[Mosaic], tmp_path: Path) -> None:
        """A single file and a folder of shards are numbered as one run of rows."""
        rows = [mosaic_row(m, RowShape("alpaca", True)) for m in mosaics]
        write_rows(tmp_path / "one.jsonl", iter(rows), "jsonl")
        assert [n for n, _ in iter_export_rows(tmp_path / "one.jsonl")] == list(range(1, len(rows) + 1))
        shards = tmp_path / "shards"
        shards.mkdir()
        write_rows(shards / "part-0.jsonl", iter(rows[:3]), "jsonl")
        write_rows(shards / "part-1.parquet", iter(rows[3:]), "parquet")
        (shards / "notes.txt").write_text("not a shard")
        found = list(iter_export_rows(shards))
        assert [n for n, _ in found] == list(range(1, len(rows) + 1))
        assert [prompt_and_answer(r) for _, r in found] == [(m.prompt, m.answer) for m in mosaics]

    def test_folder_without_shards(self, tmp_path: Path) -> None:
        """A folder with no export shard in it is an error."""
        with pytest.raises(DatasetError, match="without export shards"):
            list(iter_export_rows(tmp_path))


class TestManifest:
    def test_path_beside_the_export(self, tmp_path: Path) -> None:
        """The manifest of OUT is OUT.manifest.json."""
        assert manifest_path(tmp_path / "m.parquet") == tmp_path / "m.parquet.manifest.json"

    def test_read(self, tmp_path: Path) -> None:
        """A manifest is read as a dictionary; a missing one is {} unless required."""
        output = tmp_path / "m.jsonl"
        assert read_manifest(output, required=False) == {}
        with pytest.raises(DatasetError, match="no manifest"):
            read_manifest(output)
        manifest_path(output).write_text('{"seed": 1}')
        assert read_manifest(output) == {"seed": 1}

    @pytest.mark.parametrize(
        ("text", "message"), [("{nope", "not valid JSON"), ("[1]", "not a Mosaic Studio manifest")]
    )
    def test_bad_manifest(self, tmp_path: Path, text: str, message: str) -> None:
        """A manifest that is not a JSON object is refused."""
        output = tmp_path / "m.jsonl"
        manifest_path(output).write_text(text)
        with pytest.raises(DatasetError, match=message):
            read_manifest(output)
