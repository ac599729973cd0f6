"""The dataset card written next to an export, from its manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mosaic_core.cli import main
from mosaic_core.config import MosaicConfig
from mosaic_core.io.card import dataset_card, write_dataset_card
from mosaic_core.io.guard import CARD_MARK
from mosaic_core.io.load import load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics, file_sha256
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A small real export of the demo file, with its manifest and card."""
    output = tmp_path_factory.mktemp("card") / "demo-mix.jsonl"
    config = MosaicConfig(epochs=1, seed=4, max_k=4)
    summary = export_mosaics(
        load_dataset(DEMO), config, output, ExportOptions(card=True), input_sha256=file_sha256(DEMO)
    )
    return output, summary.manifest_data


def recipe_block(card: str) -> dict[str, Any]:
    found = re.search(r"```json\n(.*?)\n```", card, re.DOTALL)
    assert found is not None, card
    return json.loads(found.group(1))


class TestDatasetCard:
    def test_title_is_the_export_file(self, export: tuple[Path, dict[str, Any]]) -> None:
        """After the YAML metadata, our mark and the export's file name as the title."""
        output, manifest = export
        lines = dataset_card(manifest).splitlines()
        end = lines.index("---", 1)
        assert lines[0] == "---" and lines[end + 1 : end + 3] == [CARD_MARK, f"# {output.name}"]

    def test_metadata_parses_with_huggingface_hub(self, export: tuple[Path, dict[str, Any]]) -> None:
        """huggingface_hub reads the metadata: license (unknown unless given), task, tags, size, the data file."""
        output, manifest = export
        from huggingface_hub import DatasetCard

        data = DatasetCard(dataset_card(manifest)).data
        assert data.license == "unknown" and data.task_categories == ["text-generation"]
        assert data.size_categories == ["n<1K"] and data.language == sorted(manifest["counts"]["mosaics_per_language"])
        assert data.configs == [{"config_name": "default", "data_files": [{"split": "train", "path": output.name}]}]
        assert DatasetCard(dataset_card(manifest, "cc-by-sa-3.0")).data.license == "cc-by-sa-3.0"

    def test_every_count_is_listed(self, export: tuple[Path, dict[str, Any]]) -> None:
        """Each count of the manifest appears as a line with its value."""
        _, manifest = export
        card = dataset_card(manifest)
        assert manifest["counts"]["mosaics"] > 0
        for key, value in manifest["counts"].items():
            assert f"- {key.replace('_', ' ')}: {value}" in card.splitlines()

    def test_source_line_names_the_input(self, export: tuple[Path, dict[str, Any]]) -> None:
        """The source line gives the input's file name (never its folder on this machine), sha256 and schema."""
        _, manifest = export
        card = dataset_card(manifest)
        line = next(x for x in card.splitlines() if x.startswith("- input:"))
        assert (
            f"`{DEMO.name}`" in line and file_sha256(DEMO) in line and f"schema `{manifest['input']['schema']}`" in line
        )
        assert str(DEMO.parent) not in card

    def test_export_line(self, export: tuple[Path, dict[str, Any]]) -> None:
        """The export line gives record format, file type, row count and provenance."""
        _, manifest = export
        card = dataset_card(manifest)
        rows, mosaics = manifest["export"]["rows"], manifest["counts"]["mosaics"]
        assert f"- record format `alpaca`, file type `jsonl`, {rows} rows ({mosaics} mosaics), provenance on" in card
        assert "are not mosaics" not in card
        manifest_off = {**manifest, "export": {**manifest["export"], "provenance": False}}
        assert "provenance off" in dataset_card(manifest_off)

    def test_rows_that_are_not_mosaics_are_said(self, tmp_path: Path) -> None:
        """Originals and whole conversations are rows the budget does not bound: the card counts them."""
        chats = [
            {"id": f"c_{i}", "conversations": [{"from": f, "value": f"{f} {i}"} for f in ("human", "gpt") * 2]}
            for i in range(2)
        ]
        chats += [
            {"conversations": [{"from": "human", "value": f"Say {i}."}, {"from": "gpt", "value": f"{i}"}]}
            for i in range(9)
        ]
        source = tmp_path / "chats.json"
        source.write_text(json.dumps(chats), encoding="utf-8")
        output = tmp_path / "out.jsonl"
        options = ExportOptions("messages", originals=1.0, card=True, license="cc-by-4.0")
        summary = export_mosaics(load_dataset(source, multi_turn="keep"), MosaicConfig(epochs=1), output, options)
        card = output.with_name("README.md").read_text(encoding="utf-8")
        others = summary.rows - summary.report.mosaics
        assert f"- {others} rows are not mosaics: source records as they are (a share of 1.0 was asked for); " in card
        assert "2 conversations kept whole, 1 of them a later part of a split chat" in card
        assert others == 9 + 2

    def test_recipe_block_is_the_manifest_recipe(self, export: tuple[Path, dict[str, Any]]) -> None:
        """The JSON block of the card reads back to exactly the manifest's recipe."""
        _, manifest = export
        assert recipe_block(dataset_card(manifest)) == manifest["recipe"]

    def test_recipe_from_the_card_replays_the_export(self, export: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
        """Replaying the card's recipe with the CLI gives the same bytes."""
        output, _ = export
        recipe = tmp_path / "recipe.json"
        recipe.write_text(json.dumps(recipe_block((output.with_name("README.md")).read_text(encoding="utf-8"))))
        again = tmp_path / "again.jsonl"
        assert main(["generate", str(DEMO), "-o", str(again), "--recipe", str(recipe), "--workers", "1"]) == 0
        assert again.read_bytes() == output.read_bytes()

    def test_missing_sections_do_not_fail(self) -> None:
        """A manifest without counts, export or input still gives a card."""
        card = dataset_card({})
        assert CARD_MARK + "\n# Mosaic export\n" in card and recipe_block(card) == {}


class TestWriteDatasetCard:
    def test_export_writes_the_card_of_its_manifest(self, export: tuple[Path, dict[str, Any]]) -> None:
        """export_mosaics(card=True) leaves README.md beside the export, the card of its manifest."""
        output, manifest = export
        written = output.with_name("README.md").read_text(encoding="utf-8")
        assert written == dataset_card(manifest)
        # The manifest file has sorted keys, so only the order of the count lines may differ.
        on_disk = json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))
        assert sorted(written.splitlines()) == sorted(dataset_card(on_disk).splitlines())

    def test_writes_readme_beside_the_output(self, export: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
        """write_dataset_card replaces a card of ours beside the output and leaves no temporary file."""
        _, manifest = export
        output = tmp_path / "other.jsonl"
        (tmp_path / "README.md").write_text(CARD_MARK + "\n# an older card\n", encoding="utf-8")
        target = write_dataset_card(output, manifest)
        assert target == tmp_path / "README.md"
        assert target.read_text(encoding="utf-8") == dataset_card(manifest)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]

    def test_leaves_someone_elses_readme_alone(self, export: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
        """A README.md that is not our card is never replaced: nothing is written, and the caller is told."""
        _, manifest = export
        (tmp_path / "README.md").write_text("# My project\n", encoding="utf-8")
        assert write_dataset_card(tmp_path / "other.jsonl", manifest) is None
        assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# My project\n"
