"""The manifest written beside every export: one builder, one set of keys."""

from __future__ import annotations

import json
from pathlib import Path

from mosaic_core import __version__
from mosaic_core.config import MosaicConfig
from mosaic_core.generate.report import RunReport, Unusable
from mosaic_core.io.load import LoadReport, load_dataset
from mosaic_core.io.manifest import MANIFEST_KEYS, build_manifest, write_manifest
from mosaic_core.pipeline import ExportOptions, export_mosaics
from tests.conftest import DEMO


def report() -> RunReport:
    return RunReport(
        sources=5,
        usable=4,
        mosaics=3,
        plain_samples=1,
        item_slots=7,
        unusable=[Unusable.over_budget("big", 900, 500), Unusable.undecorated_only("edge", 499, 1)],
        mosaics_per_epoch={1: 1, 0: 2},
        conversation_items=0,
    )


class TestBuildManifest:
    def test_keys_and_values(self) -> None:
        """Every key is there; recipe, seed, counts and unusable items come from the config and report."""
        config = MosaicConfig(seed=12, epochs=2)
        manifest = build_manifest(config, LoadReport("d.json"), "abc", report(), {"rows": 4}, {"name": "local"})
        assert tuple(sorted(manifest)) == MANIFEST_KEYS
        assert manifest["tool"] == "mosaic-studio" and manifest["version"] == __version__
        assert manifest["recipe"] == config.to_recipe() and manifest["seed"] == 12
        assert manifest["input"]["name"] == "d.json" and manifest["input"]["sha256"] == "abc"
        assert manifest["counts"] == {
            "sources": 5,
            "usable_sources": 4,
            "mosaics": 3,
            "item_slots": 7,
            "mean_k": 2.3333,
            "mosaics_per_epoch": {"0": 2, "1": 1},
            "mosaics_per_language": {},
            "sources_per_language": {},
            "plain_samples": 1,
            "unusable": 2,
            "conversation_items": 0,
        }
        assert manifest["unusable"][1] == {
            "id": "edge",
            "tokens": 499,
            "reason": report().unusable[1].reason,
            "epoch": 1,
        }
        assert manifest["export"] == {"rows": 4} and manifest["engine"] == {"name": "local"}

    def test_recipe_replays_the_config(self) -> None:
        """The manifest's recipe reads back to the same config."""
        config = MosaicConfig(seed=3, k_mode="pareto", max_k=6)
        manifest = build_manifest(config, LoadReport("d"), None, RunReport(), {}, {})
        assert MosaicConfig.from_recipe(manifest["recipe"]) == config


class TestWriteManifest:
    def test_written_beside_the_export_with_sorted_keys(self, tmp_path: Path) -> None:
        """The file is OUT.manifest.json, indented JSON with sorted keys, ending in a newline."""
        manifest = build_manifest(MosaicConfig(), LoadReport("d"), None, report(), {"rows": 1}, {"name": "local"})
        target = write_manifest(tmp_path / "m.jsonl", manifest)
        assert target == tmp_path / "m.jsonl.manifest.json"
        text = target.read_text(encoding="utf-8")
        assert text.endswith("}\n") and json.loads(text) == json.loads(json.dumps(manifest))
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def test_export_writes_the_built_manifest(self, tmp_path: Path) -> None:
        """An export's manifest file holds what it returned, with every key."""
        output = tmp_path / "m.jsonl"
        summary = export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1), output, ExportOptions())
        on_disk = json.loads(summary.manifest.read_text(encoding="utf-8"))
        assert tuple(sorted(on_disk)) == MANIFEST_KEYS and on_disk == json.loads(json.dumps(summary.manifest_data))
        assert on_disk["counts"]["mosaics"] == summary.report.mosaics and on_disk["export"]["rows"] == summary.rows
