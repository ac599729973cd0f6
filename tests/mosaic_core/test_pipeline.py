"""From loaded records to an export with its manifest: the one pipeline of the CLI and the app."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from mosaic_core.arguments import parse_originals
from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError, DatasetError
from mosaic_core.io.load import load_dataset
from mosaic_core.io.source import Source
from mosaic_core.pipeline import ExportOptions, Job, export_mosaics, file_sha256, run_job
from tests.conftest import DEMO


def rows_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class TestOptions:
    @pytest.mark.parametrize(
        ("values", "message"), [({"record_format": "yaml"}, "record format"), ({"file_type": "xml"}, "file type")]
    )
    def test_unknown_format_or_type(self, values: dict[str, str], message: str) -> None:
        """Unknown record formats and file types are refused on construction."""
        with pytest.raises(ConfigError, match=message):
            ExportOptions(**values)  # type: ignore[arg-type]

    @pytest.mark.parametrize("text", ["most", "1.5", "-0.1"])
    def test_bad_originals(self, text: str) -> None:
        """Anything but none, all or a fraction in [0, 1] is refused."""
        with pytest.raises(ConfigError, match="originals"):
            parse_originals(text)

    def test_file_sha256(self, tmp_path: Path) -> None:
        """The digest of a file is its sha256."""
        path = tmp_path / "f"
        path.write_bytes(b"x" * 3_000_000)
        assert file_sha256(path) == hashlib.sha256(b"x" * 3_000_000).hexdigest()


class TestExportMosaics:
    def test_rows_and_summary(self, tmp_path: Path) -> None:
        """The summary's rows are the file's rows; every mosaic row carries its plan."""
        output = tmp_path / "m.jsonl"
        summary = export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=2), output, ExportOptions())
        rows = rows_of(output)
        assert summary.rows == len(rows) == summary.report.mosaics > 0
        assert summary.manifest == tmp_path / "m.jsonl.manifest.json" and summary.output == output
        assert all("mosaic" in row for row in rows)

    def test_curation_keeps_the_accepted_positions(self, tmp_path: Path) -> None:
        """With accepted positions, only those mosaics are written, in order, and the manifest says curated."""
        loaded, config = load_dataset(DEMO), MosaicConfig(epochs=1)
        everything = rows_of(export_mosaics(loaded, config, tmp_path / "all.jsonl", ExportOptions()).output)
        summary = export_mosaics(loaded, config, tmp_path / "some.jsonl", ExportOptions(accepted=[0, 3, 5]))
        assert rows_of(summary.output) == [everything[0], everything[3], everything[5]]
        assert summary.manifest_data["export"]["curated"] is True and summary.rows == 3

    def test_originals_follow_the_mosaics(self, tmp_path: Path) -> None:
        """A share of the sources is mixed in as originals, chosen by the seed, after the mosaics."""
        loaded = load_dataset(DEMO)
        summary = export_mosaics(loaded, MosaicConfig(epochs=1), tmp_path / "m.jsonl", ExportOptions(originals=0.1))
        rows = rows_of(summary.output)
        strategies = [json.loads(row["mosaic"])["strategy"] for row in rows]  # type: ignore[index]
        originals = strategies.count("original")
        assert originals == round(len(loaded.records) * 0.1) and strategies[-originals:] == ["original"] * originals

    def test_workers_give_the_serial_bytes(self, tmp_path: Path) -> None:
        """Generating epochs in worker processes writes the same file as one process."""
        loaded, config = load_dataset(DEMO), MosaicConfig(epochs=3, seed=8)
        one = export_mosaics(loaded, config, tmp_path / "one.jsonl", ExportOptions(workers=1, originals=0.2))
        three = export_mosaics(loaded, config, tmp_path / "three.jsonl", ExportOptions(workers=3, originals=0.2))
        assert one.output.read_bytes() == three.output.read_bytes() and one.rows == three.rows
        assert one.report == three.report

    def test_folder_output_refused(self, tmp_path: Path) -> None:
        """A folder is no place for a jsonl export."""
        with pytest.raises(ConfigError, match="is a folder"):
            export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1), tmp_path, ExportOptions())


class TestRunJob:
    def test_local_job(self, tmp_path: Path) -> None:
        """A job loads, exports, records the input's sha256 and says the load summary."""
        said: list[str] = []
        job = Job(Source.from_path(DEMO), tmp_path / "m.jsonl", MosaicConfig(epochs=1))
        loaded, summary = run_job(job, say=said.append)
        assert len(loaded.records) == summary.report.sources
        assert summary.manifest_data["input"]["sha256"] == file_sha256(DEMO)
        assert said == [loaded.report.summary()]

    def test_bytes_source_has_no_digest(self, tmp_path: Path) -> None:
        """An uploaded source has no file to hash."""
        job = Job(Source.from_bytes("demo.jsonl", DEMO.read_bytes()), tmp_path / "m.jsonl", MosaicConfig(epochs=1))
        assert run_job(job)[1].manifest_data["input"]["sha256"] is None

    def test_unknown_engine(self, tmp_path: Path) -> None:
        """An engine other than local or ray is refused before anything is loaded."""
        job = Job(Source.from_path(tmp_path / "missing.jsonl"), tmp_path / "m.jsonl", MosaicConfig(), engine="spark")
        with pytest.raises(ConfigError, match="unknown engine"):
            run_job(job)

    @pytest.mark.parametrize("file_type", ["json", "hf"])
    def test_ray_refuses_file_types_it_cannot_write(self, tmp_path: Path, file_type: str) -> None:
        """Asking Ray for a file type it does not write is an error, not a silent switch to JSONL."""
        job = Job(
            Source.from_path(DEMO),
            tmp_path / "shards",
            MosaicConfig(epochs=1),
            ExportOptions(file_type=file_type),
            engine="ray",
        )
        with pytest.raises(ConfigError, match="jsonl or parquet"):
            run_job(job)
        assert not (tmp_path / "shards").exists()


class TestCuration:
    def _export(self, tmp_path: Path, **options: object) -> tuple[dict[str, object], list[str]]:
        loaded = load_dataset(Source.from_bytes("t.jsonl", _SEVEN))
        summary = export_mosaics(
            loaded, MosaicConfig(epochs=1, max_k=1), tmp_path / "c.jsonl", ExportOptions(**options)
        )  # type: ignore[arg-type]
        export = json.loads(summary.manifest.read_text(encoding="utf-8"))["export"]
        return export, summary.notes

    def test_left_out_counts_the_mosaics_not_written(self, tmp_path: Path) -> None:
        """Seven one-item mosaics: rejecting 0..10 leaves out 7 (not 11), and four positions name none."""
        export, notes = self._export(tmp_path, accepted=[0, 2], rejected=[])
        assert export["rows"] == 2 and export["left_out"] == 5
        _, notes = self._export(tmp_path, accepted=[0, 999_999])
        assert "1 curated positions name no mosaic: this run made 7" in notes

    def test_an_export_left_empty_is_refused_and_nothing_is_written(self, tmp_path: Path) -> None:
        with pytest.raises(DatasetError, match="nothing to export: the curation kept no mosaic of this run"):
            self._export(tmp_path, rejected=list(range(11)))
        assert list(tmp_path.iterdir()) == []


_SEVEN = "".join(json.dumps({"instruction": f"Name colour {i}.", "output": f"Colour {i}."}) + "\n" for i in range(7))
_SEVEN = _SEVEN.encode()
