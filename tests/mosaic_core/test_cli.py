"""The command line, end to end on the demo dataset."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mosaic_core import cli as cli_module
from mosaic_core.cli import main
from tests.conftest import DEMO, REPO


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mosaic_core", *args], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )


class TestGenerate:
    def test_generate_then_verify(self, tmp_path: Path) -> None:
        """generate writes the export and manifest; verify passes on it."""
        out = tmp_path / "mosaics.jsonl"
        done = cli("generate", str(DEMO), "-o", str(out), "--epochs", "2", "--seed", "5")
        assert done.returncode == 0, done.stderr
        manifest = json.loads((tmp_path / "mosaics.jsonl.manifest.json").read_text())
        rows = out.read_text(encoding="utf-8").splitlines()
        assert manifest["counts"]["mosaics"] == len(rows) > 0
        assert manifest["input"]["sha256"] and manifest["recipe"]["seed"] == 5
        checked = cli("verify", str(out), "--source", str(DEMO))
        assert checked.returncode == 0 and f"{len(rows)} passed, 0 failed" in checked.stdout

    def test_conversation_items_apart_or_mixed(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """By default items that speak to the whole conversation stay out (said, counted); --conversation-items
        mix lets them in, and the manifest's recipe says which."""
        talk = REPO / "tests/fixtures/conversation/talk.jsonl"
        apart, mixed = tmp_path / "apart.jsonl", tmp_path / "mixed.jsonl"
        assert main(["generate", str(talk), "-o", str(apart), "--epochs", "1"]) == 0
        assert "4 items speak to the whole conversation" in capsys.readouterr().err
        assert main(["generate", str(talk), "-o", str(mixed), "--epochs", "1", "--conversation-items", "mix"]) == 0
        for path, kept, slots in ((apart, "apart", 8), (mixed, "mix", 12)):
            manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text(encoding="utf-8"))
            assert manifest["recipe"]["conversation_items"] == kept
            assert manifest["counts"]["item_slots"] == slots
        assert "pirate" in mixed.read_text(encoding="utf-8") and "pirate" not in apart.read_text(encoding="utf-8")

    def test_later_parts_of_split_chats_stay_out(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A chat record whose id ends _1, _2… starts a later part of a split conversation ("Make it rhyme."):
        kept out under apart, listed with its reason; mix lets it in. Ids like unit_07 or step_10x are not parts."""
        parts = REPO / "tests/fixtures/conversation/parts.json"
        apart, mixed = tmp_path / "apart.jsonl", tmp_path / "mixed.jsonl"
        assert main(["generate", str(parts), "-o", str(apart), "--epochs", "1"]) == 0
        assert "3 items speak to the whole conversation" in capsys.readouterr().err
        manifest = json.loads(apart.with_name("apart.jsonl.manifest.json").read_text(encoding="utf-8"))
        reasons = {u["id"]: u["reason"] for u in manifest["unusable"]}
        later = sorted(i for i, reason in reasons.items() if "later part of a split conversation" in reason)
        assert later == ["poem_4", "trip_1"] and manifest["counts"]["conversation_items"] == 3
        assert "which of those" in reasons["trip_2"]  # its own words ("Which of those places…") say it first
        assert "Make it rhyme." not in apart.read_text(encoding="utf-8")
        assert main(["generate", str(parts), "-o", str(mixed), "--epochs", "1", "--conversation-items", "mix"]) == 0
        assert "Make it rhyme." in mixed.read_text(encoding="utf-8")

    def test_recipe_replays_byte_identical(self, tmp_path: Path) -> None:
        """The manifest's recipe, replayed, gives the same bytes; flags override it."""
        first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
        assert main(["generate", str(DEMO), "-o", str(first), "--epochs", "1", "--mix", "order", "--seed", "2"]) == 0
        recipe = tmp_path / "recipe.json"
        recipe.write_text(json.dumps(json.loads((tmp_path / "a.jsonl.manifest.json").read_text())["recipe"]))
        assert main(["generate", str(DEMO), "-o", str(second), "--recipe", str(recipe)]) == 0
        assert first.read_bytes() == second.read_bytes()
        third = tmp_path / "c.jsonl"
        assert main(["generate", str(DEMO), "-o", str(third), "--recipe", str(recipe), "--seed", "3"]) == 0
        assert third.read_bytes() != first.read_bytes()

    @pytest.mark.parametrize("fmt", ["sharegpt", "messages", "prompt_completion"])
    def test_formats_verify(self, tmp_path: Path, fmt: str) -> None:
        """Every record format can be verified."""
        out = tmp_path / f"m.{fmt}.jsonl"
        assert (
            main(["generate", str(DEMO), "-o", str(out), "--epochs", "1", "--to", fmt, "--include-originals", "0.5"])
            == 0
        )
        assert main(["verify", str(out)]) == 0

    def test_verify_fails_on_tampering(self, tmp_path: Path) -> None:
        """verify exits 1 and says which rows failed."""
        out = tmp_path / "m.jsonl"
        assert main(["generate", str(DEMO), "-o", str(out), "--epochs", "1"]) == 0
        lines = out.read_text(encoding="utf-8").splitlines()
        row = json.loads(lines[0])
        row["output"] = row["output"] + " (edited)"
        lines[0] = json.dumps(row, ensure_ascii=False)
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        done = cli("verify", str(out))
        assert done.returncode == 1 and "1 failed" in done.stdout and "row 1" in done.stdout


class TestBadUsage:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["generate", "missing.json", "-o", "OUT"], "no such file"),
            (["generate", str(DEMO), "-o", "OUT", "--k-mode", "poisson"], "unknown k mode"),
            (["generate", str(DEMO), "-o", "OUT", "--mix", "shuffle=1"], "bad mix"),
            (["generate", str(DEMO), "-o", "OUT", "--tokenizer", "gpt-17"], "unknown tokenizer"),
            (["generate", str(DEMO), "-o", "OUT", "--max-k", "0"], "max_k"),
            (["generate", str(DEMO), "-o", "OUT", "--to", "yaml"], "record format"),
            (["generate", str(DEMO), "-o", "OUT", "--recipe", "nope.json"], "nope.json: no such file"),
            (["generate", "hf://someone/dataset", "-o", "OUT"], "offline"),
            (["verify", "nothing.jsonl"], "no manifest"),
            (["generate"], "required"),
            (["frobnicate"], "invalid choice"),
        ],
    )
    def test_one_line_exit_2(self, tmp_path: Path, args: list[str], message: str) -> None:
        """Bad usage or input: exit 2, one line on stderr, no traceback, no output file."""
        args = [str(tmp_path / "out.jsonl") if a == "OUT" else a for a in args]
        done = cli(*args)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], done.stderr
        assert not (tmp_path / "out.jsonl").exists()
        assert not (tmp_path / "out.jsonl.manifest.json").exists()


class TestExtras:
    def test_card_and_llama_factory(self, tmp_path: Path) -> None:
        """--card writes a README with the recipe and counts; --llama-factory a dataset_info.json entry."""
        out = tmp_path / "mix.jsonl"
        assert (
            main(
                [
                    "generate",
                    str(DEMO),
                    "-o",
                    str(out),
                    "--epochs",
                    "1",
                    "--to",
                    "sharegpt",
                    "--card",
                    "--llama-factory",
                ]
            )
            == 0
        )
        manifest = json.loads((tmp_path / "mix.jsonl.manifest.json").read_text())
        card = (tmp_path / "README.md").read_text(encoding="utf-8")
        assert f"mosaics: {manifest['counts']['mosaics']}" in card and '"k_mode": "uniform"' in card
        info = json.loads((tmp_path / "dataset_info.json").read_text())
        assert info["mix"]["file_name"] == "mix.jsonl" and info["mix"]["formatting"] == "sharegpt"
        assert info["mix"]["columns"] == {"messages": "conversations"}


class TestWarnings:
    def test_self_defeating_settings_are_warned(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """k = 1 with order and mask weights, and a 100,000-token budget, each get a warning line."""
        out = tmp_path / "m.jsonl"
        args = ["generate", str(DEMO), "-o", str(out), "--max-k", "1", "--max-tokens", "100000", "--epochs", "1"]
        assert main(args) == 0
        err = capsys.readouterr().err
        assert "warning: With at most 1 item per mosaic, the order and mask rules never apply" in err
        assert "warning: A budget of 100,000 tokens per mosaic is beyond common training context lengths" in err


def test_a_license_the_hub_does_not_know_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["generate", str(DEMO), "-o", str(out), "--card", "--license", "CC BY-NC 4.0"]) == 2
    assert "did you mean cc-by-nc-4.0?" in capsys.readouterr().err and not out.exists()


class TestReplays:
    def test_a_manifest_is_a_recipe(self, tmp_path: Path) -> None:
        """An export's manifest, given as the recipe, replays the export byte for byte."""
        first = tmp_path / "first.jsonl"
        assert main(["generate", str(DEMO), "-o", str(first), "--epochs", "1", "--seed", "3", "--max-k", "5"]) == 0
        again = tmp_path / "again.jsonl"
        manifest = str(first.with_name(first.name + ".manifest.json"))
        assert main(["generate", str(DEMO), "-o", str(again), "--recipe", manifest]) == 0
        assert again.read_bytes() == first.read_bytes()

    def test_a_manifest_replayed_on_other_data_says_so(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The manifest names its input's sha256: a replay on a file with one record less still runs (its recipe
        is what it replays), and says the input is another."""
        first = tmp_path / "first.jsonl"
        assert main(["generate", str(DEMO), "-o", str(first), "--epochs", "1"]) == 0
        manifest = str(first.with_name(first.name + ".manifest.json"))
        capsys.readouterr()
        same = tmp_path / "same.jsonl"
        assert main(["generate", str(DEMO), "-o", str(same), "--recipe", manifest]) == 0
        assert "the input differs" not in capsys.readouterr().err
        shorter = tmp_path / "shorter.jsonl"
        shorter.write_text("".join(DEMO.read_text(encoding="utf-8").splitlines(keepends=True)[1:]), encoding="utf-8")
        other = tmp_path / "other.jsonl"
        assert main(["generate", str(shorter), "-o", str(other), "--recipe", manifest]) == 0
        assert "the input differs from the manifest's" in capsys.readouterr().err

    def test_console_script_from_any_folder(self, tmp_path: Path) -> None:
        """``pip install .`` installs ``mosaic-studio``, which runs from a folder outside the repository."""
        prefix, source = tmp_path / "installed", tmp_path / "source"  # a copy: pip builds in the tree it is given
        shutil.copytree(REPO / "mosaic_core", source / "mosaic_core", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pyproject.toml", "requirements.txt"):
            shutil.copy(REPO / name, source / name)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--prefix", str(prefix), str(source)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        site = next(prefix.glob("lib/python*/site-packages"))
        env = {**os.environ, "PYTHONPATH": str(site)}
        out = tmp_path / "out.jsonl"
        command = [str(prefix / "bin" / "mosaic-studio"), "generate", str(DEMO), "-o", str(out), "--epochs", "1"]
        ran = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path, env=env)
        assert ran.returncode == 0, ran.stderr[-3000:]
        assert out.read_bytes().count(b"\n") == 37 and "wrote 37 rows" in ran.stderr


class TestSignals:
    def test_a_forked_worker_dies_on_sigterm_even_before_its_initializer(self) -> None:
        """A worker forked from the CLI inherits its SIGTERM handler; terminated that early, it still dies.

        Raising KeyboardInterrupt there instead left a pool worker waiting forever on a queue its parent held,
        and the parent waiting forever for the worker.
        """
        before = signal.getsignal(signal.SIGTERM)
        try:
            cli_module._INTERRUPTED_IN[:] = [os.getpid()]
            signal.signal(signal.SIGTERM, cli_module._interrupt)
            pid = os.fork()
            if pid == 0:  # the child: the handler still says "interrupt", as right after a fork
                try:
                    os.kill(os.getpid(), signal.SIGTERM)
                    signal.pthread_sigmask(signal.SIG_BLOCK, [])  # let the handler run
                finally:
                    os._exit(3)  # not reached when the signal kills the process
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
        finally:
            signal.signal(signal.SIGTERM, before)
            cli_module._INTERRUPTED_IN.clear()


class TestWhatTheTerminalShows:
    def test_control_characters_in_a_file_name_are_shown_as_escapes(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A name may hold escape sequences that retitle the window or clear the screen: they are shown, not sent."""
        name = "in\x1b]0;PWNED\x07\x1b[2J.jsonl"
        shutil.copy(DEMO, tmp_path / name)
        assert main(["generate", str(tmp_path / name), "-o", str(tmp_path / "out\x1b[2J.jsonl"), "--epochs", "1"]) == 0
        err = capsys.readouterr().err
        assert "\x1b" not in err and "\x07" not in err
        assert "in\\x1b]0;PWNED\\x07\\x1b[2J.jsonl" in err and "out\\x1b[2J.jsonl" in err
        assert main(["generate", str(tmp_path / "missing\x1b[2J.jsonl"), "-o", str(tmp_path / "o.jsonl")]) == 2
        assert "\x1b" not in capsys.readouterr().err

    def test_a_reader_that_stops_early_is_no_error(self, tmp_path: Path) -> None:
        """``verify … | head``: the pipe closes before the summary is written; no error line, exit 141."""
        code = "import sys, time; from mosaic_core.cli import main; time.sleep(0.5); sys.exit(main(sys.argv[1:]))"
        out = tmp_path / "m.jsonl"
        assert main(["generate", str(DEMO), "-o", str(out), "--epochs", "1"]) == 0
        reading = subprocess.Popen(
            [sys.executable, "-c", code, "verify", str(out)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert reading.stdout is not None and reading.stderr is not None
        reading.stdout.close()
        err = reading.stderr.read().decode()
        assert reading.wait() == 141 and err == ""

    def test_stats_reads_one_split_of_a_source_that_holds_several(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A save_to_disk folder with two splits: stats asks which, and ``--split`` reads that one alone."""
        import datasets

        def rows(count: int, start: int) -> list[dict[str, str]]:
            return [
                {"instruction": f"Say {i} twice.", "input": "", "output": f"{i} {i}"}
                for i in range(start, start + count)
            ]

        folder = tmp_path / "parts"
        splits = {"train": rows(20, 0), "test": rows(7, 100)}
        datasets.DatasetDict({k: datasets.Dataset.from_list(v) for k, v in splits.items()}).save_to_disk(str(folder))
        capsys.readouterr()
        assert main(["stats", str(folder)]) == 2
        assert "--split" in capsys.readouterr().err
        assert main(["stats", str(folder), "--split", "test", "--json"]) == 0
        document = json.loads(capsys.readouterr().out)
        assert document["sets"]["original"]["records"] == 7
