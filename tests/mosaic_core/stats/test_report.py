"""The statistics document, the stats command and its stable JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mosaic_core.cli import main
from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import SourceRecord
from mosaic_core.stats import report
from mosaic_core.stats.report import StatsOptions, core_stats, self_bleu_stats, stats_command
from mosaic_core.stats.sets import SampleSet
from mosaic_core.table import SourceTable
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "stats"
ALPACA_20 = FIXTURES / "alpaca_20.json"
GOLDEN = FIXTURES / "alpaca_20.stats.json"
DYNAMIC = {"counts", "uses", "languages"}
"""Keys under these hold data values (a k, a template id), not field names."""


def keys_of(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            if key not in DYNAMIC:
                yield from keys_of(inner)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture turned into mosaics, with a fifth of the originals mixed in."""
    out = tmp_path_factory.mktemp("export") / "mosaics.jsonl"
    argv = ["generate", str(ALPACA_20), "-o", str(out), "--epochs", "3", "--include-originals", "0.2", "--seed", "1"]
    assert main(argv) == 0
    return out


class TestGolden:
    def test_json_matches_golden(self) -> None:
        """stats --json on the 20-record fixture is byte-for-byte the golden file."""
        text = stats_command(ALPACA_20, None, None, as_json=True)
        if os.environ.get("MOSAIC_UPDATE_GOLDEN") == "1":
            GOLDEN.write_text(text + "\n", encoding="utf-8")
        assert text + "\n" == GOLDEN.read_text(encoding="utf-8")

    def test_every_field_documented(self) -> None:
        """Each field name of the document appears in report.py's documented field list."""
        document = json.loads(GOLDEN.read_text(encoding="utf-8"))
        missing = {key for key in keys_of(document) if key not in (report.__doc__ or "")}
        assert not missing

    def test_keys_sorted(self) -> None:
        """Keys are written in sorted order at every level."""
        text = GOLDEN.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class TestCommandLine:
    def test_json_subprocess(self) -> None:
        """python -m mosaic_core stats PATH --json exits 0 and prints valid JSON."""
        done = subprocess.run(
            [sys.executable, "-m", "mosaic_core", "stats", str(ALPACA_20), "--json"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["schema_version"] == 1

    def test_text_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --json the report is readable text with its explanations."""
        assert main(["stats", str(ALPACA_20), "--max-tokens", "40"]) == 0
        out = capsys.readouterr().out
        assert "== original: 20 samples ==" in out and "Self-BLEU" in out and "Zhu et al. 2018" in out
        assert "budget 40 tokens" in out and "mosaic epochs" in out

    def test_missing_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing path is one error line and exit code 2."""
        assert main(["stats", str(FIXTURES / "nothing.json")]) == 2
        assert "no such file" in capsys.readouterr().err

    def test_other_tokenizer(self) -> None:
        """--tokenizer on sources counts with that tokenizer."""
        found = json.loads(stats_command(ALPACA_20, "o200k_base", 500, as_json=True))
        assert found["input"]["tokenizer"] == "o200k_base" and found["input"]["max_tokens"] == 500


class TestExport:
    def test_export_document(self, export: Path) -> None:
        """An export is read with its plans and manifest; originals mixed in are left out."""
        found = json.loads(stats_command(export, None, None, as_json=True))
        assert found["input"] == {
            "file": "mosaics.jsonl",
            "kind": "export",
            "max_tokens": 2000,
            "skipped_rows": 4,
            "load_summary": "",
            "counted_by": "plans",
            "tokenizer": "cl100k_base",
        }
        mosaic = found["sets"]["mosaic"]
        assert mosaic["structure"]["source_usage"] == {
            "uses": {"3": 20},
            "mean": 3.0,
            "min": 3,
            "max": 3,
            "unused": 0,
        }
        assert mosaic["tokens"]["near_budget_share"] is not None and mosaic["cost"]["epochs"] == 1

    def test_plan_counts_used(self, export: Path) -> None:
        """Token totals are the plans' own counts."""
        rows = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
        plans = [json.loads(r["mosaic"]) for r in rows]
        plans = [plan for plan in plans if plan["strategy"] != "original"]
        found = json.loads(stats_command(export, None, None, as_json=True))
        assert found["sets"]["mosaic"]["tokens"]["total"]["max"] == max(
            p["prompt_tokens"] + p["answer_tokens"] for p in plans
        )

    def test_recount_with_other_tokenizer(self, export: Path) -> None:
        """Another tokenizer than the recipe's means encoding the texts, and says so."""
        found = json.loads(stats_command(export, "o200k_base", None, as_json=True))
        assert found["input"]["counted_by"] == "encoded" and found["input"]["tokenizer"] == "o200k_base"


class TestComparison:
    def test_two_sets(self, tiny_records: list[SourceRecord]) -> None:
        """Original and mosaics: lexical at equal word counts, a cost ratio, structure for mosaics only."""
        table = SourceTable.build(tiny_records, "cl100k_base")
        mosaics = list(MosaicRun(table, MosaicConfig(epochs=4, max_k=4)).mosaics())
        sets = [SampleSet.from_table(table, 2000), SampleSet.from_mosaics(mosaics, table)]
        found = core_stats(sets, 2000, StatsOptions())
        original, mosaic = found["sets"]["original"], found["sets"]["mosaic"]
        for side in ("prompt", "answer"):
            assert original["lexical"][side]["words"] == mosaic["lexical"][side]["words"]
        assert original["structure"] is None and mosaic["structure"]["mosaics"] == len(mosaics)
        assert found["cost_ratio"]["sequences"] == pytest.approx(len(mosaics) / (3 * len(tiny_records)))
        assert "instructions" in mosaic["tokens"]
        bleu = self_bleu_stats(sets, StatsOptions(bleu_window=8))
        assert set(bleu) == {"original", "mosaic"} and bleu["mosaic"]["answer"]["windows"] is not None


class TestReuse:
    """A set's entry worked out once (the app keeps the original set's) stands in for working it out again."""

    @staticmethod
    def sets(budget: int, mosaics_kept: int = 1_000) -> tuple[list[SampleSet], StatsOptions]:
        from mosaic_core.io.load import load_dataset
        from tests.conftest import DEMO

        table = SourceTable.build(load_dataset(DEMO).records, "cl100k_base")
        run = MosaicRun(table, MosaicConfig(epochs=2))
        mosaics = list(run.mosaics())[:mosaics_kept]
        options = StatsOptions(word_budget=budget)
        return [SampleSet.from_table(table, 2000), SampleSet.from_mosaics(mosaics, table, config=run.config)], options

    def test_a_reused_entry_gives_the_joint_result(self) -> None:
        sets, options = self.sets(budget=1_000)  # both sets reach 1,000 words
        joint = core_stats(sets, 2000, options)
        alone = core_stats(sets[:1], 2000, options)["sets"]
        reused = core_stats(sets, 2000, options, reuse=alone)
        assert reused == joint
        assert joint["sets"]["original"]["lexical"]["prompt"]["words"] == 1_000

    def test_without_lexical_the_rest_is_the_same(self) -> None:
        """``lexical=False`` leaves the mosaics' lexical figures out and changes nothing else."""
        sets, options = self.sets(budget=1_000)
        alone = core_stats(sets[:1], 2000, options)["sets"]
        whole = core_stats(sets, 2000, options, reuse=alone)
        quick = core_stats(sets, 2000, options, reuse=alone, lexical=False)
        assert quick["sets"]["mosaic"]["lexical"] is None
        assert quick["sets"]["original"] == whole["sets"]["original"]  # the reused entry keeps its figures
        assert {**quick["sets"]["mosaic"], "lexical": "-"} == {**whole["sets"]["mosaic"], "lexical": "-"}
        assert quick["cost_ratio"] == whole["cost_ratio"]

    def test_sets_cut_to_different_sizes_are_matched_again(self) -> None:
        sets, options = self.sets(budget=10_000_000, mosaics_kept=3)  # three mosaics hold fewer words
        joint = core_stats(sets, 2000, options)
        alone = core_stats(sets[:1], 2000, options)["sets"]
        words = alone["original"]["lexical"]["prompt"]["words"]
        assert words > joint["sets"]["original"]["lexical"]["prompt"]["words"]
        assert core_stats(sets, 2000, options, reuse=alone) == joint


class TestSkippedRecords:
    def test_records_that_could_not_be_read_are_counted_and_said(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Three of five lines are not samples: the statistics are of two, and the report says why."""
        lines = ['{"instruction": "Name a colour.", "output": "Red."}', "{broken", '{"instruction": ""}']
        lines += ['{"instruction": "Name a fruit.", "output": "Apple."}', "[1]"]
        path = tmp_path / "weird.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        found = json.loads(stats_command(path, None, None, as_json=True))["input"]
        assert found["skipped_rows"] == 3 and found["load_summary"].startswith("2 of 5 records loaded; skipped:")
        assert main(["stats", str(path)]) == 0
        assert "3 records were left out (2 of 5 records loaded; skipped: " in capsys.readouterr().out
