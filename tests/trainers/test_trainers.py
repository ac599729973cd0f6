"""Real trainers on our exports: TRL's SFTTrainer and LLaMA-Factory's own data loader, each in its own
environment (``make trainers-env``), on a tiny random Llama with a tokenizer trained here (no hub).

Every export comes from ``tests/fixtures/trainers/chat_tools.jsonl`` (system prompts, tools, multi-turn
history, tool calls) with the trainer recipes Mosaic Studio writes beside it; the trainers read the exports
through those recipes. The checks look at the tokens each trainer would train on: every row arrives, and
each system prompt, earlier turn, tool schema, tool call and tool result is in its row's tokens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.io.export import FILE_TYPES
from mosaic_core.io.load import load_dataset
from mosaic_core.io.rows import tool_calls
from mosaic_core.pipeline import ExportOptions, export_mosaics
from tests.conftest import REPO

pytestmark = pytest.mark.trainers

HERE = Path(__file__).resolve().parent
CHAT_TOOLS = REPO / "tests" / "fixtures" / "trainers" / "chat_tools.jsonl"
NAMES = {"jsonl": "{f}.jsonl", "json": "{f}.json", "parquet": "{f}.parquet", "hf": "{f}"}
TRL = REPO / ".venv-trl" / "bin" / "python"
LLAMA_FACTORY = REPO / ".venv-llamafactory" / "bin" / "python"
AXOLOTL = REPO / ".venv-axolotl" / "bin" / "python"


def environment(python: Path) -> Path:
    if not python.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{python} is missing under CI: make trainers-env builds it")
        pytest.skip(f"{python} is missing: run make trainers-env")
    return python


def run(python: Path, *args: str | Path, timeout: int = 600) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    env.pop("PYTHONPATH", None)
    # The trainers leave files in the temporary folder (axolotl writes its validated config there and keeps
    # it): give them one of their own, removed when they end.
    with tempfile.TemporaryDirectory() as scratch:
        env["TMPDIR"] = scratch
        done = subprocess.run(
            [str(python), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-8000:])
        pytest.fail(f"{Path(str(args[0])).name} failed with exit code {done.returncode} (its output is above)")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every record format in every file type, each in a folder of its own with its trainer recipes."""
    made = {}
    for record_format in ("alpaca", "sharegpt", "messages", "prompt_completion"):
        multi_turn = "first" if record_format == "prompt_completion" else "keep"
        loaded = load_dataset(CHAT_TOOLS, multi_turn=multi_turn)
        for file_type in FILE_TYPES:
            folder = tmp_path_factory.mktemp(f"{record_format}-{file_type}")
            output = folder / NAMES[file_type].format(f=f"{record_format}-{file_type}")
            options = ExportOptions(record_format, file_type, trainer_configs=True)
            export_mosaics(loaded, MosaicConfig(epochs=1, max_k=3, seed=2), output, options)
            made[record_format, file_type] = output
    return made


def rows(output: Path) -> list[dict[str, Any]]:
    """The rows we wrote (read back with our own reader)."""
    from mosaic_core.io.exported import iter_export_rows

    return [row for _, row in iter_export_rows(output)]


def expected_pieces(row: dict[str, Any], system_in_tokens: bool = True) -> list[str]:
    """The texts a trainer must see for a row: system prompt, every turn, tool names, tool call names."""
    pieces: list[str] = []
    if row.get("system") and system_in_tokens:
        pieces.append(row["system"])
    if row.get("tools"):
        pieces += [tool["name"] for tool in json.loads(row["tools"])]
    if "instruction" in row:
        pieces += [text for pair in row.get("history") or [] for text in pair]
        pieces += [row["instruction"], row["output"]]
    for turn in row.get("conversations") or []:
        if turn["from"] == "function_call":
            pieces += [call["function"]["name"] for call in tool_calls(turn["value"]) or []]
        else:
            pieces.append(turn["value"])
    for message in row.get("messages") or []:
        if message.get("tool_calls"):
            pieces += [call["function"]["name"] for call in message["tool_calls"]]
        else:
            pieces.append(message["content"])
    if "prompt" in row:
        pieces += [row["prompt"], row["completion"]]
    return [piece.strip() for piece in pieces if piece.strip()]


def tiny_model(python: Path, folder: Path) -> Path:
    model = folder / "tiny-llama"
    run(python, HERE / "tiny_model.py", model, CHAT_TOOLS, REPO / "mosaic_core" / "data" / "demo.jsonl")
    return model


def trainer_sees_every_row(
    python: Path, script: str, jobs: list[dict[str, str]], model: Path, folder: Path, timeout: int = 600
) -> dict[str, list[str]]:
    """Run ``script`` over ``jobs`` in the trainer's environment; every job's export (its ``output``) must give
    one example per row, each holding the row's pieces (``expected_pieces``). Returns the decoded examples."""
    (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    run(python, HERE / script, folder / "jobs.json", model, folder / "tokens.json", timeout=timeout)
    found: dict[str, list[Any]] = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
    for job in jobs:
        written = rows(Path(job["output"]))
        texts = [entry["text"] if isinstance(entry, dict) else entry for entry in found[job["name"]]]
        assert len(texts) == len(written), job["name"]
        for row, text in zip(written, texts, strict=True):
            for piece in expected_pieces(row):
                assert piece in text, (job["name"], piece, text[:2000])
    return found


class TestTrl:
    def test_sft_trainer_sees_every_row_whole(self, exports: dict[tuple[str, str], Path], tmp_path: Path) -> None:
        """SFTTrainer, given the rows the generated script prepares, tokenizes every row of the messages and
        prompt_completion exports, in every file type, with its system prompt, tool schemas, tool calls and tool
        results in the tokens; its loss covers the last answer and nothing of the prompt."""
        python = environment(TRL)
        model = tiny_model(python, tmp_path)
        jobs = [
            {"name": f"{fmt}-{ft}", "script": str(exports[fmt, ft]) + ".trl.py", "output": str(exports[fmt, ft])}
            for fmt in ("messages", "prompt_completion")
            for ft in FILE_TYPES
        ]
        found = trainer_sees_every_row(python, "trl_tokens.py", jobs, model, tmp_path)
        texts = [t["text"] for name, entries in found.items() if name.startswith("messages") for t in entries]
        assert len([t for t in texts if "<|call|>" in t]) == 4 * 8  # the 8 conversations that call tools, 4 types
        for job in jobs:
            for row, entry in zip(rows(Path(job["output"])), found[job["name"]], strict=True):
                turns = row.get("messages") or [
                    {"role": "user", "content": row["prompt"]},
                    {"role": "assistant", "content": row["completion"]},
                ]
                answer, asked = turns[-1]["content"], turns[-2]["content"]
                assert answer.strip() in entry["loss"], (job["name"], entry["loss"])
                assert asked.strip() not in entry["loss"], (job["name"], entry["loss"])

    @pytest.mark.parametrize(("record_format", "file_type"), [("messages", "jsonl"), ("prompt_completion", "hf")])
    def test_generated_trl_script_trains(
        self, exports: dict[tuple[str, str], Path], tmp_path: Path, record_format: str, file_type: str
    ) -> None:
        """The TRL script written beside the export runs SFTTrainer for a few steps and saves the model."""
        python = environment(TRL)
        model = tiny_model(python, tmp_path)
        output = exports[record_format, file_type]
        script = output.with_name(output.name + ".trl.py")
        run(python, script, model, tmp_path / "trained", "--max-steps", "2")
        assert (tmp_path / "trained" / "model.safetensors").is_file()


class TestLlamaFactory:
    def test_loader_reads_every_row_through_our_entry(
        self, exports: dict[tuple[str, str], Path], tmp_path: Path
    ) -> None:
        """LLaMA-Factory's get_dataset, given only the dataset_info.json entry we wrote, turns every row of the
        alpaca, sharegpt and messages exports, in every file type, into an example whose tokens hold its system
        prompt, history, tool schemas, tool calls and tool results."""
        python = environment(LLAMA_FACTORY)
        model = tiny_model(python, tmp_path)
        # messages without tool calls (LLaMA-Factory's openai reader would change those that call tools: no entry)
        chat = load_dataset(CHAT_TOOLS, multi_turn="keep")
        chat.conversations = [c for c in chat.conversations if not any(r == "function_call" for r, _ in c.turns)]
        plain = tmp_path / "plain" / "messages-plain.jsonl"
        export_mosaics(
            chat, MosaicConfig(epochs=1, max_k=3, seed=2), plain, ExportOptions("messages", llama_factory=True)
        )
        jobs = [{"name": "messages-plain", "dataset_dir": str(plain.parent), "output": str(plain)}]
        for (record_format, _), output in exports.items():
            if record_format == "prompt_completion":
                continue
            registry = output.with_name("dataset_info.json")
            if record_format == "messages":  # the fixture's conversations call tools
                assert not registry.exists()
                continue
            (name,) = json.loads(registry.read_text(encoding="utf-8"))
            jobs.append({"name": name, "dataset_dir": str(output.parent), "output": str(output)})
        trainer_sees_every_row(python, "llamafactory_tokens.py", jobs, model, tmp_path)


class TestAxolotl:
    def test_dataset_preparation_reads_every_row_through_our_block(
        self, exports: dict[tuple[str, str], Path], tmp_path: Path
    ) -> None:
        """axolotl's own config validation and dataset preparation (what ``axolotl preprocess`` runs), given only
        the datasets block we wrote, turn every row of the messages, sharegpt and prompt_completion exports into
        an example whose tokens hold its system prompt, history, tool schemas, tool calls and tool results."""
        python = environment(AXOLOTL)
        model = tiny_model(python, tmp_path)
        chosen = [("messages", "jsonl"), ("messages", "hf"), ("sharegpt", "parquet"), ("prompt_completion", "json")]
        jobs = []
        for record_format, file_type in chosen:
            output = exports[record_format, file_type]
            recipe = output.with_name(output.name + ".axolotl.yml")
            jobs.append({"name": f"{record_format}-{file_type}", "recipe": str(recipe), "output": str(output)})
        trainer_sees_every_row(python, "axolotl_tokens.py", jobs, model, tmp_path, timeout=900)


class TestDatasetsVersion:
    def test_hf_export_loads_with_datasets_4_0(self, exports: dict[tuple[str, str], Path]) -> None:
        """The README says hf exports need datasets >= 4.0: the LLaMA-Factory environment has exactly 4.0.0,
        and load_from_disk reads every hf export there, with its columns."""
        python = environment(LLAMA_FACTORY)
        for record_format in ("alpaca", "sharegpt", "messages", "prompt_completion"):
            output = exports[record_format, "hf"]
            columns = json.loads(output.with_name(output.name + ".manifest.json").read_text())["export"]["columns"]
            code = (
                "import datasets, sys; assert datasets.__version__ == '4.0.0', datasets.__version__; "
                "d = datasets.load_from_disk(sys.argv[1]); print(d.num_rows, ','.join(d.column_names))"
            )
            done = subprocess.run(
                [str(python), "-c", code, str(output)], capture_output=True, text=True, timeout=300, check=False
            )
            assert done.returncode == 0, done.stderr[-3000:]
            assert done.stdout.split() == [str(len(rows(output))), ",".join(columns)]
