"""Exports: round trips through every record format and file type, encoding, atomicity."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mosaic_core import MosaicConfig, MosaicRun, SourceRecord, SourceTable, load_dataset
from mosaic_core.io.export import FILE_TYPES, RECORD_FORMATS, RowShape, mosaic_row, write_rows
from tests.conftest import REPO

NAMES = {"jsonl": "out.jsonl", "json": "out.json", "parquet": "out.parquet", "hf": "out_folder"}


@pytest.fixture(scope="module")
def mosaics() -> list:
    records = [
        SourceRecord("a", "Say hi in French.", "", "Bonjour 👋"),
        SourceRecord("b", "Split this line", "one\u2028two\u2029three", "one / two / three"),
        SourceRecord("c", "Translate to Arabic: peace", "", "سلام"),
        SourceRecord("d", "Name a CJK character", "", "日本"),
        SourceRecord("e", "Quote this", "", '"quoted" and \\ backslash'),
    ]
    run = MosaicRun(SourceTable.build(records, "cl100k_base"), MosaicConfig(epochs=2, max_k=3))
    return list(run.mosaics())


class TestRoundTrip:
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    @pytest.mark.parametrize("file_type", FILE_TYPES)
    def test_export_then_load(self, tmp_path: Path, mosaics: list, record_format: str, file_type: str) -> None:
        """Loading an export gives back every mosaic's prompt and answer, in order."""
        target = tmp_path / NAMES[file_type]
        written = write_rows(target, (mosaic_row(m, RowShape(record_format, True)) for m in mosaics), file_type)
        loaded = load_dataset(target).records
        assert written == len(loaded) == len(mosaics)
        assert [(r.prompt_text, r.response_text) for r in loaded] == [(m.prompt, m.answer) for m in mosaics]


class TestEncoding:
    def test_utf8_no_bom_and_line_separators_escaped(self, tmp_path: Path, mosaics: list) -> None:
        """JSONL is UTF-8 without BOM, non-ASCII as itself, U+2028/2029 escaped, one record per line."""
        target = tmp_path / "out.jsonl"
        write_rows(target, (mosaic_row(m, RowShape("alpaca", False)) for m in mosaics), "jsonl")
        raw = target.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert "👋".encode() in raw and "سلام".encode() in raw
        assert "\u2028".encode() not in raw and b"\\u2028" in raw
        assert len(raw.decode("utf-8").split("\n")) == len(mosaics) + 1


class TestAtomicity:
    def test_killed_export_leaves_nothing(self, tmp_path: Path) -> None:
        """A generate process killed midway leaves neither a partial export nor temporary files."""
        source = tmp_path / "big.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for i in range(60_000):
                out.write(json.dumps({"instruction": f"Repeat the number {i} twice.", "output": f"{i} {i}"}) + "\n")
        target = tmp_path / "out" / "mosaics.jsonl"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mosaic_core",
                "generate",
                str(source),
                "-o",
                str(target),
                "--epochs",
                "50",
                "--workers",
                "1",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any((tmp_path / "out").glob(".mosaics.jsonl.*")):
            time.sleep(0.05)
        assert any((tmp_path / "out").glob(".mosaics.jsonl.*")), "the export never started writing"
        time.sleep(0.5)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert not target.exists()
        assert not (tmp_path / "out" / "mosaics.jsonl.manifest.json").exists()

    def test_interrupted_writer_keeps_previous_file(self, tmp_path: Path) -> None:
        """An exception while writing leaves the previous export untouched and no temporary file."""
        target = tmp_path / "out.jsonl"
        target.write_text("previous\n", encoding="utf-8")

        def rows():  # type: ignore[no-untyped-def]
            yield {"instruction": "a", "input": "", "output": "b"}
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            write_rows(target, rows(), "jsonl")
        assert target.read_text(encoding="utf-8") == "previous\n"
        assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_export_is_readable_like_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export and its manifest get mode 0666 less the umask, as any new file does, without the umask being
    set and restored (other threads of the app would see it change)."""
    import os

    from mosaic_core import MosaicConfig, load_dataset
    from mosaic_core.pipeline import ExportOptions, export_mosaics
    from tests.conftest import DEMO

    current = os.umask(0o022)
    umask_calls: list[int] = []
    real_umask = os.umask
    monkeypatch.setattr(os, "umask", lambda mask: umask_calls.append(mask) or real_umask(mask))
    try:
        out = tmp_path / "m.jsonl"
        export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1), out, ExportOptions())
    finally:
        monkeypatch.undo()
        os.umask(current)
    assert umask_calls == []
    assert out.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "m.jsonl.manifest.json").stat().st_mode & 0o777 == 0o644
