"""Whole epochs in forked processes: the same bytes and counts as a serial run."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.parallel import EpochPart, append_part, default_workers, generate_epochs_in_parallel
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.export import RowShape, jsonl_line, mosaic_row
from mosaic_core.io.load import load_dataset
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from tests.conftest import DEMO, REPO


def generate(output: Path, workers: int) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mosaic_core",
            "generate",
            str(DEMO),
            "-o",
            str(output),
            "--workers",
            str(workers),
            "--epochs",
            "3",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def demo_records() -> list[SourceRecord]:
    return load_dataset(DEMO).records


def run_of(records: list[SourceRecord], **settings: object) -> MosaicRun:
    config = MosaicConfig(**settings)  # type: ignore[arg-type]
    return MosaicRun(SourceTable.build(records, config.tokenizer), config)


# A tight budget and keep_unusable, so that parts also carry unusable items and plain samples.
TIGHT = {"epochs": 4, "seed": 11, "max_tokens": 400, "keep_unusable": True}


class TestCommandLine:
    def test_any_worker_count_gives_the_same_files(self, tmp_path: Path) -> None:
        """generate --workers 1, 2 and 3 write byte-identical exports and byte-identical manifests."""
        exports, manifests = [], []
        for workers in (1, 2, 3):
            output = tmp_path / f"workers-{workers}" / "mosaics.jsonl"
            output.parent.mkdir()
            generate(output, workers)
            exports.append(output.read_bytes())
            manifests.append(output.with_name("mosaics.jsonl.manifest.json").read_bytes())
            assert sorted(p.name for p in output.parent.iterdir()) == ["mosaics.jsonl", "mosaics.jsonl.manifest.json"]
        assert exports[0] and exports[0].count(b"\n") > 30
        assert exports[1] == exports[0] and exports[2] == exports[0]
        assert manifests[1] == manifests[0] and manifests[2] == manifests[0]


class TestGenerateEpochsInParallel:
    def test_parts_come_back_in_epoch_order(self, demo_records: list[SourceRecord], tmp_path: Path) -> None:
        """Parts are returned, and handed to the sink, in epoch order whatever finishes first."""
        run = run_of(demo_records, epochs=5, seed=2)
        sunk: list[int] = []
        parts = generate_epochs_in_parallel(
            run, tmp_path, RowShape("alpaca", True), 3, sink=lambda p: sunk.append(p.epoch)
        )
        assert [p.epoch for p in parts] == sunk == [0, 1, 2, 3, 4]
        assert [p.path.name for p in parts] == [f"epoch-{e:05d}.jsonl" for e in range(5)]

    def test_parts_hold_the_serial_rows(self, demo_records: list[SourceRecord], tmp_path: Path) -> None:
        """Each part file holds exactly the rows a serial walk of its epoch gives, in order."""
        run = run_of(demo_records, **TIGHT)
        parts = generate_epochs_in_parallel(run, tmp_path, RowShape("sharegpt", True), 2)
        serial = run_of(demo_records, **TIGHT)
        for part in parts:
            expected = b"".join(jsonl_line(mosaic_row(m, RowShape("sharegpt", True))) for m in serial.walk(part.epoch))
            assert part.path.read_bytes() == expected
            assert part.report.mosaics + part.report.plain_samples == expected.count(b"\n")

    def test_counts_folded_into_the_report_equal_a_serial_run(
        self, demo_records: list[SourceRecord], tmp_path: Path
    ) -> None:
        """Mosaics, item slots, plain samples, per-epoch counts and unusable items equal a serial run's report."""
        run = run_of(demo_records, **TIGHT)
        generate_epochs_in_parallel(run, tmp_path, RowShape("alpaca", False), 3)
        list(run.leftovers())  # the pipeline writes these after the parts, as the serial run does last
        serial = run_of(demo_records, **TIGHT)
        list(serial.mosaics())
        assert serial.report.unusable and serial.report.plain_samples  # the case is not trivial
        assert run.report == serial.report

    def test_progress_ends_at_the_total(self, demo_records: list[SourceRecord], tmp_path: Path) -> None:
        """The last progress call reports every usable item of every epoch as done."""
        run = run_of(demo_records, epochs=2)
        calls: list[tuple[int, int]] = []
        generate_epochs_in_parallel(
            run, tmp_path, RowShape("alpaca", True), 2, progress=lambda d, t: calls.append((d, t))
        )
        total = len(run.usable) * 2
        assert calls[-1] == (total, total)
        assert all(done <= all_ for done, all_ in calls)

    def test_more_workers_than_epochs(self, demo_records: list[SourceRecord], tmp_path: Path) -> None:
        """Asking for more workers than epochs still gives one part per epoch."""
        run = run_of(demo_records, epochs=1)
        assert [p.epoch for p in generate_epochs_in_parallel(run, tmp_path, RowShape("alpaca", True), 8)] == [0]

    def test_default_workers_is_positive(self) -> None:
        """At least one worker is always available."""
        assert default_workers() >= 1


class TestAppendPart:
    def test_appends_after_buffered_bytes_and_deletes_the_part(self, tmp_path: Path) -> None:
        """Bytes written before (still buffered) and after stay in place around the part; the part is removed."""
        part_path = tmp_path / "epoch-00000.jsonl"
        part_path.write_bytes(b'{"a":1}\n{"b":2}\n')
        target = tmp_path / "out.jsonl"
        with target.open("wb") as stream:
            stream.write(b"head\n")
            append_part(EpochPart(0, part_path), stream)
            stream.write(b"tail\n")
        assert target.read_bytes() == b'head\n{"a":1}\n{"b":2}\ntail\n'
        assert not part_path.exists()

    def test_stream_without_a_file_descriptor(self, tmp_path: Path) -> None:
        """A stream with no file behind it gets the bytes by an ordinary copy."""
        part_path = tmp_path / "part.jsonl"
        part_path.write_bytes(b"x" * 3_000_000)
        stream = io.BytesIO(b"start")
        stream.seek(0, io.SEEK_END)
        append_part(EpochPart(3, part_path), stream)
        assert stream.getvalue() == b"start" + b"x" * 3_000_000 and not part_path.exists()

    def test_several_parts_in_turn(self, tmp_path: Path) -> None:
        """Parts appended one after another come out in that order."""
        target = tmp_path / "out.jsonl"
        with target.open("wb") as stream:
            for epoch in range(3):
                path = tmp_path / f"p{epoch}"
                path.write_bytes(f"{epoch}\n".encode() * (epoch + 1))
                append_part(EpochPart(epoch, path), stream)
        assert target.read_bytes() == b"0\n1\n1\n2\n2\n2\n"

    def test_empty_part(self, tmp_path: Path) -> None:
        """An epoch without rows appends nothing."""
        path = tmp_path / "empty"
        path.write_bytes(b"")
        target = tmp_path / "out"
        with target.open("wb") as stream:
            stream.write(b"a")
            append_part(EpochPart(0, path), stream)
        assert target.read_bytes() == b"a" and not path.exists()
