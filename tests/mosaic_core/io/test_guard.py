"""What an export may write over: an earlier export of ours as it was written, and nothing else without force."""

from __future__ import annotations

from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError
from mosaic_core.io.guard import check_output
from mosaic_core.io.load import load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics
from tests.conftest import DEMO


def _export(output: Path, file_type: str = "jsonl", force: bool = False) -> None:
    options = ExportOptions(file_type=file_type, force=force)
    export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1, seed=2), output, options)


class TestEarlierExports:
    def test_an_untouched_earlier_export_is_replaced(self, tmp_path: Path) -> None:
        _export(tmp_path / "m.jsonl")
        check_output(tmp_path / "m.jsonl", "jsonl")  # no error: ours, as written
        _export(tmp_path / "m.jsonl")

    def test_an_earlier_export_edited_by_hand_is_left_alone(self, tmp_path: Path) -> None:
        """Its manifest still names it, but replacing it would lose the edit: only --force does."""
        output = tmp_path / "m.jsonl"
        _export(output)
        edited = output.read_text(encoding="utf-8").replace("a", "A", 1)
        output.write_text(edited, encoding="utf-8")
        with pytest.raises(ConfigError, match=r"changed since .*--force"):
            _export(output)
        assert output.read_text(encoding="utf-8") == edited
        _export(output, force=True)
        assert output.read_text(encoding="utf-8") != edited

    def test_a_file_put_in_an_earlier_hf_export_folder_is_not_deleted(self, tmp_path: Path) -> None:
        output = tmp_path / "h"
        _export(output, "hf")
        (output / "notes.txt").write_text("mine", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"holds files an export does not write \(notes\.txt\)"):
            _export(output, "hf")
        assert (output / "notes.txt").read_text(encoding="utf-8") == "mine"
        (output / "notes.txt").unlink()
        _export(output, "hf")  # as the export wrote it: replaced

    def test_a_run_reads_an_earlier_export_once(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The CLI checks its output before it loads and again before it writes: the earlier export is hashed
        once, while an edit between two checks is still seen."""
        from mosaic_core import cli
        from mosaic_core.io import guard

        output = tmp_path / "m.jsonl"
        _export(output)
        calls: list[Path] = []
        real = guard.file_sha256
        monkeypatch.setattr(guard, "file_sha256", lambda path: calls.append(path) or real(path))
        assert cli.main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--seed", "2"]) == 0
        assert calls == [output]
        output.write_text(output.read_text(encoding="utf-8").replace("a", "A", 1), encoding="utf-8")
        with pytest.raises(ConfigError, match="changed since"):
            check_output(output, "jsonl")
