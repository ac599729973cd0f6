"""A whole recipe file: load, export and curation sections, read by the CLI; a manifest replays all three."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core import ConfigError, Curation, ExportSettings, LoadSettings, RecipeFile
from mosaic_core.cli import main
from tests.conftest import DEMO

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class TestRecipeFile:
    def test_round_trip(self) -> None:
        whole = RecipeFile(
            load=LoadSettings(multi_turn="keep", map={"instruction": "q", "output": "a"}, chat_leftovers="strip"),
            export=ExportSettings(to="messages", file_type="parquet", originals=0.25, card=True, license="cc0-1.0"),
            curation=Curation(accepted=(3, 1), rejected=(2,), only_accepted=True),
        )
        again = RecipeFile.from_mapping(json.loads(json.dumps(whole.to_recipe())))
        assert again.load == whole.load and again.export == whole.export
        assert again.curation.accepted == (1, 3) and again.curation.kept == {1, 3}
        assert again.config == whole.config

    def test_an_old_recipe_reads_with_defaults(self) -> None:
        old = {"seed": 4, "max_k": 6}
        read = RecipeFile.from_mapping(old)
        assert read.config.seed == 4 and read.load == LoadSettings() and read.export == ExportSettings()
        assert read.curation.left_out is None

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            ({"export": {"to": "yaml"}}, "export.to must be one of"),
            ({"export": {"colour": 1}}, "unknown keys in the recipe's export section: colour"),
            ({"export": {"originals": float("nan")}}, "export.originals"),
            ({"export": {"card": "yes"}}, "export.card must be true or false"),
            ({"load": {"multi_turn": "all"}}, "load.multi_turn must be one of"),
            ({"load": {"chat_leftovers": "clean"}}, "load.chat_leftovers must be one of"),
            ({"load": {"map": {"instruction": "q"}}}, "needs at least instruction and output"),
            ({"load": []}, "load section must be a JSON object"),
            ({"curation": {"rejected": [-1]}}, "curation.rejected"),
            ({"curation": {"accepted": [1], "rejected": [1]}}, "both accepted and rejected"),
        ],
    )
    def test_bad_sections_are_named(self, data: dict[str, object], words: str) -> None:
        with pytest.raises(ConfigError, match=words):
            RecipeFile.from_mapping(data)


class TestTheCommandLineReadsEverySection:
    def test_export_and_load_sections_apply_and_flags_win(self, tmp_path: Path) -> None:
        recipe = write(
            tmp_path / "r.json",
            {"epochs": 1, "load": {"multi_turn": "keep"}, "export": {"to": "messages", "provenance": False}},
        )
        source = FIXTURES / "trainers" / "chat_tools.jsonl"
        out = tmp_path / "m.jsonl"
        assert main(["generate", str(source), "-o", str(out), "--recipe", str(recipe)]) == 0
        manifest = json.loads((tmp_path / "m.jsonl.manifest.json").read_text())
        assert manifest["export"]["record_format"] == "messages" and not manifest["export"]["provenance"]
        assert manifest["input"]["load_report"]["multi_turn_policy"] == "keep"
        assert all("messages" in row and "mosaic" not in row for row in rows(out))
        flagged = tmp_path / "a.jsonl"
        assert main(["generate", str(source), "-o", str(flagged), "--recipe", str(recipe), "--to", "alpaca"]) == 0
        assert all("instruction" in row for row in rows(flagged))

    def test_curation_leaves_out_rejected_and_keeps_only_accepted(self, tmp_path: Path) -> None:
        whole = tmp_path / "all.jsonl"
        assert main(["generate", str(DEMO), "-o", str(whole), "--epochs", "1"]) == 0
        every = rows(whole)
        rejected = write(tmp_path / "r.json", {"epochs": 1, "curation": {"rejected": [0, 2]}})
        out = tmp_path / "r.jsonl"
        assert main(["generate", str(DEMO), "-o", str(out), "--recipe", str(rejected)]) == 0
        assert rows(out) == [row for i, row in enumerate(every) if i not in (0, 2)]
        accepted = write(tmp_path / "a.json", {"epochs": 1, "curation": {"accepted": [1, 4], "only_accepted": True}})
        only = tmp_path / "a.jsonl"
        assert main(["generate", str(DEMO), "-o", str(only), "--recipe", str(accepted)]) == 0
        assert rows(only) == [every[1], every[4]]
        manifest = json.loads((tmp_path / "a.jsonl.manifest.json").read_text())
        assert manifest["export"]["curation"] == {"accepted": [1, 4], "rejected": None}

    def test_a_manifest_replays_export_options_and_curation_byte_for_byte(self, tmp_path: Path) -> None:
        recipe = write(
            tmp_path / "r.json",
            {
                "epochs": 2,
                "seed": 9,
                "export": {"to": "sharegpt", "originals": 0.1, "card": True, "license": "cc0-1.0"},
                "curation": {"rejected": [1, 5, 8]},
            },
        )
        first = tmp_path / "one" / "m.jsonl"
        first.parent.mkdir()
        assert main(["generate", str(DEMO), "-o", str(first), "--recipe", str(recipe)]) == 0
        manifest = first.parent / "m.jsonl.manifest.json"
        second = tmp_path / "two" / "m.jsonl"
        second.parent.mkdir()
        assert main(["generate", str(DEMO), "-o", str(second), "--recipe", str(manifest)]) == 0
        assert first.read_bytes() == second.read_bytes()
        assert (second.parent / "README.md").read_text() == (first.parent / "README.md").read_text()
        assert json.loads(manifest.read_text())["export"]["left_out"] == 3

    def test_a_bad_section_is_one_line_and_exit_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        recipe = write(tmp_path / "r.json", {"export": {"to": 5}})
        out = tmp_path / "m.jsonl"
        assert main(["generate", str(DEMO), "-o", str(out), "--recipe", str(recipe)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: export.to must be one of")
        assert not out.exists()
