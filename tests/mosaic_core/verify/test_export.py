"""Verifying a whole export, reading its manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError
from mosaic_core.io.digest import file_sha256
from mosaic_core.io.exported import manifest_path
from mosaic_core.io.load import load_dataset
from mosaic_core.io.schemas import ColumnMapping
from mosaic_core.pipeline import ExportOptions, export_mosaics
from mosaic_core.verify.export import ExportCheck, verify_export
from tests.conftest import DEMO


def export(tmp_path: Path, name: str = "m.jsonl", **options: object) -> Path:
    output = tmp_path / name
    export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1, seed=6), output, ExportOptions(**options))  # type: ignore[arg-type]
    return output


def edit_rows(output: Path, change: dict[int, str], reseal: bool = True) -> None:
    """Edit rows; ``reseal`` records the new sha256 in the manifest, so only the rows' own checks can tell."""
    lines = output.read_text(encoding="utf-8").splitlines()
    for index, line in change.items():
        lines[index] = line
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if reseal:
        manifest_file = output.with_name(output.name + ".manifest.json")
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        manifest["export"]["sha256"] = file_sha256(output)
        manifest_file.write_text(json.dumps(manifest), encoding="utf-8")


class TestSealed:
    def test_an_edit_that_every_row_survives_is_still_caught(self, tmp_path: Path) -> None:
        """A changed file whose rows all pass: the manifest's sha256 tells (exit 2, one line)."""
        output = export(tmp_path)
        lines = output.read_text(encoding="utf-8").splitlines()
        edit_rows(output, {0: lines[1], 1: lines[0]}, reseal=False)  # two rows swapped: each still verifies
        with pytest.raises(DatasetError, match="not the data its manifest describes"):
            verify_export(output)

    def test_an_edit_that_fails_rows_names_them_and_the_seal(self, tmp_path: Path) -> None:
        output = export(tmp_path)
        row = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
        row["output"] += " (edited)"
        edit_rows(output, {0: json.dumps(row, ensure_ascii=False)}, reseal=False)
        check = verify_export(output)
        assert not check.ok and "sha256 differs" in check.failures[0] and check.failures[1].startswith("row 1")


class TestVerifyExport:
    @pytest.mark.parametrize("record_format", ["alpaca", "messages"])
    def test_fresh_export_passes(self, tmp_path: Path, record_format: str) -> None:
        """Every mosaic of a fresh export passes, checked against the source too."""
        output = export(tmp_path, record_format=record_format)
        check = verify_export(output, DEMO)
        rows = len(output.read_text(encoding="utf-8").splitlines())
        assert check.ok and check.rows == check.mosaics == check.passed == rows and not check.failures

    def test_originals_are_counted_not_checked(self, tmp_path: Path) -> None:
        """Original samples mixed in are counted apart and do not fail."""
        check = verify_export(export(tmp_path, originals=1.0), DEMO)
        assert check.ok and check.originals == len(load_dataset(DEMO).records)
        assert "original samples not checked" in check.summary()

    def test_edited_and_unreadable_rows_fail(self, tmp_path: Path) -> None:
        """An edited answer and a broken line are failures, each named by its row."""
        output = export(tmp_path)
        first = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
        first["output"] += " (edited)"
        edit_rows(output, {0: json.dumps(first, ensure_ascii=False), 2: "{broken"})
        check = verify_export(output)
        assert not check.ok and check.passed == check.mosaics - 2
        assert [f.split(":")[0] for f in check.failures] == ["row 1", "row 3"]
        assert "row 3: unreadable" in check.failures
        assert sum(check.reasons.values()) == 1

    def test_source_texts_are_checked(self, tmp_path: Path) -> None:
        """With the source given, a mosaic whose instruction is not its source's text fails."""
        output = export(tmp_path)
        rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        plans = [json.loads(row["mosaic"]) for row in rows[:2]]
        plans[0]["source_ids"][0] = plans[1]["source_ids"][0]  # another item of the same epoch
        rows[0]["mosaic"] = json.dumps(plans[0])
        edit_rows(output, {0: json.dumps(rows[0], ensure_ascii=False)})
        assert verify_export(output).ok
        check = verify_export(output, DEMO)
        assert not check.ok and "is not the text of source" in check.failures[0]

    def test_a_source_read_through_a_mapping_is_read_as_the_export_read_it(self, tmp_path: Path) -> None:
        """An export made with a column mapping is checked against its source read through the same mapping (the
        manifest records it): it passes, and a response changed in the source then fails."""
        rows = [{"q": f"Spell the number {i} in words.", "a": f"It is {i}.", "key": f"k{i}"} for i in range(30)]
        source = tmp_path / "mapped.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        loaded = load_dataset(source, ColumnMapping(instruction="q", output="a", id="key"))
        output = tmp_path / "out.jsonl"
        export_mosaics(loaded, MosaicConfig(epochs=1), output, ExportOptions(workers=1), file_sha256(source))
        check = verify_export(output, source)
        assert check.ok and check.mosaics > 0
        rows[0]["a"] = "It is none."
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        check = verify_export(output, source)
        assert not check.ok and "is not the response of source 'k0'" in " ".join(check.failures)

    def test_an_answer_changed_to_another_of_its_length_fails_against_the_source(self, tmp_path: Path) -> None:
        """Same length, same tokens: the mosaic reads well, but with the source given the answer is not its
        source's response."""
        output = export(tmp_path)
        row = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
        plan = json.loads(row["mosaic"])
        source = {r.id: r for r in load_dataset(DEMO).records}[plan["source_ids"][plan["order"][0]]]
        word = next(w for w in source.response_text.split() if w.isalpha() and len(w) > 3)
        row["output"] = row["output"].replace(word, word[::-1] if word[::-1] != word else word.upper(), 1)
        edit_rows(output, {0: json.dumps(row, ensure_ascii=False)})
        check = verify_export(output, DEMO)
        assert not check.ok and "is not the response of source" in check.failures[0]

    @pytest.mark.parametrize("broken", ['"x"', "null"])
    def test_a_row_whose_provenance_is_broken_fails(self, tmp_path: Path, broken: str) -> None:
        """In an export with provenance every row carries its plan: one without is a failure, not skipped."""
        output = export(tmp_path)
        row = json.loads(output.read_text(encoding="utf-8").splitlines()[1])
        row["mosaic"] = json.loads(broken)
        edit_rows(output, {1: json.dumps(row, ensure_ascii=False)})
        check = verify_export(output)
        assert not check.ok and check.mosaics == check.rows and check.passed == check.mosaics - 1
        assert check.failures == ["row 2: its provenance (the mosaic field) is missing or not an object"]

    def test_without_provenance_nothing_is_checked(self, tmp_path: Path) -> None:
        """An export without provenance has no mosaic to check, which is not ok, and the summary says why."""
        check = verify_export(export(tmp_path, provenance=False))
        assert not check.ok and check.mosaics == 0 and "--no-provenance" in check.summary()

    def test_manifest_without_recipe(self, tmp_path: Path) -> None:
        """A manifest that is not ours is refused."""
        output = export(tmp_path)
        manifest_path(output).write_text('{"tool": "other"}', encoding="utf-8")
        with pytest.raises(DatasetError, match="no recipe"):
            verify_export(output)


class TestExportCheck:
    def test_summary_lists_at_most_ten_failures(self) -> None:
        """The summary counts passes and failures and shows the first ten failures."""
        check = ExportCheck(rows=20, mosaics=20, passed=8, failures=[f"row {i}: bad" for i in range(12)])
        lines = check.summary().splitlines()
        assert lines[0] == "verified 20 mosaics: 8 passed, 12 failed" and lines[1].startswith("checks: layout")
        assert len(lines) == 12
        assert not check.ok and ExportCheck(mosaics=2, passed=2).ok
