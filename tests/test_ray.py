# These tests start a local Ray and take about 100 s. They carry the `ray` marker and run by default:
# `make test` runs them (as CI does); locally, `pytest -m "not ray"` leaves them out.
"""The Ray Data engine on a local two-CPU Ray."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mosaic_core import MosaicConfig, MosaicRun, SourceTable, load_dataset
from mosaic_core.verify.export import verify_export
from tests.conftest import DEMO, REPO

pytestmark = pytest.mark.ray
ray = pytest.importorskip("ray", reason="Ray is optional: pip install -r requirements-ray.txt")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield
    ray.shutdown()


@pytest.fixture
def demo_jsonl(tmp_path: Path) -> Path:
    target = tmp_path / "demo.jsonl"
    shutil.copy(DEMO, target)
    return target


class TestRayEngine:
    def test_two_epochs_verify(self, local_ray: None, demo_jsonl: Path, tmp_path: Path) -> None:
        """Two epochs on Ray: every mosaic verifies and every item is used once per epoch."""
        from mosaic_core.generate.on_ray import generate_on_ray

        result = generate_on_ray(load_dataset(demo_jsonl), tmp_path / "out", MosaicConfig(epochs=2), blocks=3)
        check = verify_export(result.output)
        assert check.ok and check.mosaics == result.report.mosaics > 0
        assert result.report.item_slots == 2 * len(load_dataset(DEMO).records)
        local = MosaicRun(SourceTable.build(load_dataset(DEMO).records, "cl100k_base"), MosaicConfig(epochs=2))
        local_mosaics = sum(1 for _ in local.mosaics())
        assert abs(result.report.mosaics - local_mosaics) / local_mosaics < 0.15

    def test_reproducible_for_fixed_blocks(self, local_ray: None, demo_jsonl: Path, tmp_path: Path) -> None:
        """Same seed and block layout: the same mosaics."""
        from mosaic_core.generate.on_ray import generate_on_ray
        from mosaic_core.io.exported import iter_export_rows

        runs = []
        for name in ("a", "b"):
            result = generate_on_ray(
                load_dataset(demo_jsonl), tmp_path / name, MosaicConfig(epochs=1, seed=4), blocks=2
            )
            runs.append(sorted(str(row) for _, row in iter_export_rows(result.output)))
        assert runs[0] == runs[1]

    def test_parquet_shards(self, local_ray: None, demo_jsonl: Path, tmp_path: Path) -> None:
        """Parquet output verifies too, and the manifest names the engine."""
        from mosaic_core.generate.on_ray import generate_on_ray

        result = generate_on_ray(load_dataset(demo_jsonl), tmp_path / "pq", MosaicConfig(epochs=1), file_type="parquet")
        assert verify_export(result.output).ok
        assert result.manifest_data["engine"]["name"] == "ray"

    def test_conversation_items_stay_out_as_locally(self, local_ray: None, tmp_path: Path) -> None:
        """Items that speak to the whole conversation stay out on Ray too, listed and counted as the local
        engine lists them; the others are each used once."""
        from mosaic_core.generate.on_ray import generate_on_ray
        from mosaic_core.io.exported import iter_export_rows

        source = tmp_path / "talk.jsonl"
        shutil.copy(REPO / "tests/fixtures/conversation/talk.jsonl", source)
        config = MosaicConfig(epochs=1, max_k=4)
        result = generate_on_ray(load_dataset(source), tmp_path / "out", config, blocks=2)
        local = MosaicRun(SourceTable.build(load_dataset(source).records, "cl100k_base"), config)
        assert [u.to_dict() for u in result.report.unusable] == [u.to_dict() for u in local.report.unusable]
        assert result.manifest_data["counts"]["conversation_items"] == local.report.conversation_items == 4
        assert result.report.item_slots == result.report.usable == 8
        text = "".join(str(row) for _, row in iter_export_rows(result.output))
        assert "pirate" not in text and "plain-1" in text

    def test_an_interrupted_run_leaves_nothing(
        self, local_ray: None, demo_jsonl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl-C while shards are written leaves no output folder and no staging folder; what a killed run left
        beside the output (a ``.NAME.XXXXXXXX`` staging folder) goes at the next run's start."""
        from mosaic_core.generate import on_ray

        def interrupted(usable: object, folder: Path, *args: object) -> None:
            (folder / "shard_0.json").write_text("{}\n", encoding="utf-8")
            raise KeyboardInterrupt

        killed = tmp_path / ".out.k1ll3d00"
        killed.mkdir()
        (killed / "data").mkdir()
        monkeypatch.setattr(on_ray, "_write_epochs", interrupted)
        with pytest.raises(KeyboardInterrupt):
            on_ray.generate_on_ray(load_dataset(demo_jsonl), tmp_path / "out", MosaicConfig(epochs=1))
        assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.jsonl"]
