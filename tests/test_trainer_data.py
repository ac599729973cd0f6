"""What reaches a trainer: system prompts, history and tool turns in every format and file type, provenance
that survives ``datasets`` round trips, and export folders that ``load_dataset`` reads as the mosaics alone.

The fixture ``tests/fixtures/trainers/chat_tools.jsonl`` (written here) is ShareGPT with system prompts,
``tools`` lists, multi-turn conversations, tool calls after a usable first exchange, and conversations whose
first answer is a tool call. ``tests/trainers`` feeds the same exports to TRL and LLaMA-Factory themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import datasets
import pytest
from huggingface_hub import DatasetCard

from mosaic_core.cli import main
from mosaic_core.config import MosaicConfig
from mosaic_core.io.export import FILE_TYPES, RECORD_FORMATS
from mosaic_core.io.load import LoadResult, load_dataset
from mosaic_core.io.rows import tool_calls
from mosaic_core.pipeline import ExportOptions, export_mosaics
from tests.conftest import DEMO, REPO

CHAT_TOOLS = REPO / "tests" / "fixtures" / "trainers" / "chat_tools.jsonl"
NAMES = {"jsonl": "out.jsonl", "json": "out.json", "parquet": "out.parquet", "hf": "out"}


def rows_of(output: Path, file_type: str) -> list[dict[str, Any]]:
    """The export's rows as ``datasets`` gives them to a trainer."""
    if file_type == "hf":
        return list(datasets.load_from_disk(str(output)))
    kind = "parquet" if file_type == "parquet" else "json"
    return list(datasets.load_dataset(kind, data_files=str(output), split="train"))


def export(folder: Path, record_format: str, file_type: str, source: Path = CHAT_TOOLS, **options: Any) -> Path:
    multi_turn = "first" if record_format == "prompt_completion" else "keep"
    loaded = load_dataset(source, multi_turn=multi_turn)
    output = folder / NAMES[file_type]
    config = MosaicConfig(epochs=1, max_k=3, seed=2)
    export_mosaics(loaded, config, output, ExportOptions(record_format, file_type, **options))
    return output


def turns_of(row: dict[str, Any], record_format: str) -> tuple[str, list[tuple[str, str]]]:
    """A row back in our terms: (system prompt, [(role, text)]) with our four roles."""
    if record_format == "alpaca":
        pairs = [
            (role, text)
            for pair in row.get("history") or []
            for role, text in zip(("user", "assistant"), pair, strict=True)
        ]
        return row.get("system") or "", [*pairs, ("user", row["instruction"]), ("assistant", row["output"])]
    if record_format == "sharegpt":
        names = {"human": "user", "gpt": "assistant"}
        turns = [(names.get(t["from"], t["from"]), t["value"]) for t in row["conversations"]]
        if turns and turns[0][0] == "system":
            return turns[0][1], turns[1:]
        return "", turns
    system, turns = "", []
    for message in row["messages"]:
        if message["role"] == "system":
            system = message["content"]
        elif message.get("tool_calls"):
            calls = [
                {"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"])}
                for c in message["tool_calls"]
            ]
            turns.append(("function_call", json.dumps(calls[0] if len(calls) == 1 else calls)))
        else:
            turns.append(({"tool": "observation"}.get(message["role"], message["role"]), message["content"]))
    return system, turns


def same_call(a: str, b: str) -> bool:
    return tool_calls(a) == tool_calls(b)


@pytest.fixture(scope="module")
def source() -> LoadResult:
    return load_dataset(CHAT_TOOLS, multi_turn="keep")


class TestEverythingArrives:
    @pytest.mark.parametrize("file_type", FILE_TYPES)
    @pytest.mark.parametrize("record_format", ["alpaca", "sharegpt", "messages"])
    def test_conversations_keep_system_history_and_tools(
        self, tmp_path: Path, source: LoadResult, record_format: str, file_type: str
    ) -> None:
        """Each conversation kept whole comes back with its system prompt, every turn and its tools, or (alpaca,
        which has no place for tool turns) is counted as left out."""
        output = export(tmp_path, record_format, file_type)
        manifest = json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))
        rows = rows_of(output, file_type)
        assert len(rows) == manifest["export"]["rows"]
        kept = {}
        for row in rows:
            plan = json.loads(row["mosaic"])
            if plan["strategy"] == "conversation":
                kept[plan["source_ids"][0]] = row
        with_tools = [c for c in source.conversations if any(r == "function_call" for r, _ in c.turns)]
        assert with_tools and any(c.system for c in source.conversations)
        for conversation in source.conversations:
            if record_format == "alpaca" and conversation in with_tools:
                assert conversation.id not in kept
                continue
            row = kept[conversation.id]
            system, turns = turns_of(row, record_format)
            assert system == conversation.system
            assert [r for r, _ in turns] == [r for r, _ in conversation.turns]
            for (role, text), (_, expected) in zip(turns, conversation.turns, strict=True):
                assert same_call(text, expected) if role == "function_call" else text == expected
            assert (row.get("tools") or "") == conversation.tools
        not_carried = manifest["export"]["not_carried"]
        if record_format == "alpaca":
            assert not_carried == {"conversations_with_tool_turns": len(with_tools)}
        else:
            assert not_carried == {}

    @pytest.mark.parametrize("file_type", FILE_TYPES)
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    def test_mosaics_carry_their_items_context(self, tmp_path: Path, record_format: str, file_type: str) -> None:
        """Every mosaic carries the one system prompt and tool list all its items share (or, in
        prompt_completion, each one it cannot carry is counted)."""
        output = export(tmp_path, record_format, file_type)
        manifest = json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))
        records = {r.id: r for r in load_dataset(CHAT_TOOLS).records}
        carried = Counter[str]()
        for row in rows_of(output, file_type):
            plan = json.loads(row["mosaic"])
            if plan["strategy"] == "conversation":
                continue
            items = [records[i] for i in plan["source_ids"]]
            assert len({(r.system, r.tools) for r in items}) == 1, "items of different contexts share a mosaic"
            expected_system, expected_tools = items[0].system, items[0].tools
            carried["system_prompts"] += bool(expected_system)
            carried["tools"] += bool(expected_tools)
            if record_format == "prompt_completion":
                assert set(row) == {"prompt", "completion", "mosaic"}
                continue
            system, _ = turns_of(row, record_format)
            assert system == expected_system
            assert (row.get("tools") or "") == expected_tools
        assert carried["system_prompts"] and carried["tools"]
        lost = manifest["export"]["not_carried"]
        if record_format == "prompt_completion":
            assert lost == {"system_prompts": carried["system_prompts"], "tools": carried["tools"]}

    @pytest.mark.parametrize("record_format", ["alpaca", "sharegpt", "messages"])
    def test_originals_keep_their_system_prompt_and_tools(self, tmp_path: Path, record_format: str) -> None:
        """Original samples mixed in (``--include-originals``) carry their record's system prompt and tools."""
        output = export(tmp_path, record_format, "parquet", originals=1.0)
        records = {r.id: r for r in load_dataset(CHAT_TOOLS, multi_turn="keep").records}
        originals = [row for row in rows_of(output, "parquet") if json.loads(row["mosaic"])["strategy"] == "original"]
        assert len(originals) == len(records)
        for row in originals:
            record = records[json.loads(row["mosaic"])["source_ids"][0]]
            system, turns = turns_of(row, record_format)
            assert (system, row.get("tools") or "") == (record.system, record.tools)
            assert turns == [("user", record.prompt_text), ("assistant", record.response_text)]

    def test_mixing_contexts_is_asked_for_and_counted(self, tmp_path: Path) -> None:
        """With ``mixed_contexts: mix`` items of different contexts may share a mosaic, which then carries
        neither; the manifest counts them."""
        loaded = load_dataset(CHAT_TOOLS)
        output = tmp_path / "mixed.jsonl"
        config = MosaicConfig(epochs=1, max_k=4, seed=2, mixed_contexts="mix")
        summary = export_mosaics(loaded, config, output, ExportOptions("sharegpt"))
        dropped = summary.manifest_data["export"]["mixed_contexts_dropped"]
        rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        records = {r.id: r for r in loaded.records}
        mixed = [
            row
            for row in rows
            if len({(records[i].system, records[i].tools) for i in json.loads(row["mosaic"])["source_ids"]}) > 1
        ]
        assert dropped == len(mixed) > 0
        assert all(row["conversations"][0]["from"] == "human" and row["tools"] is None for row in mixed)

    def test_tool_call_first_is_counted_not_unknown(self) -> None:
        """Conversations whose first answer is a tool call are counted as such under ``first`` (and kept whole
        under ``keep``); tool roles are never an unknown role."""
        first = load_dataset(CHAT_TOOLS).report
        assert first.problems == {"tool_call_first": 3}
        keep = load_dataset(CHAT_TOOLS, multi_turn="keep").report
        assert keep.problems == {} and keep.kept_whole == 13 and keep.tool_turns == 8

    def test_openai_tool_messages_load(self, tmp_path: Path) -> None:
        """OpenAI messages with assistant ``tool_calls`` and ``tool`` results load, calls as function_call text."""
        source = tmp_path / "openai.jsonl"
        row = {
            "messages": [
                {"role": "system", "content": "Use tools."},
                {"role": "user", "content": "Weather in Oslo?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [{"type": "function", "function": {"name": "w", "arguments": '{"city": "Oslo"}'}}],
                },
                {"role": "tool", "content": "snow"},
                {"role": "assistant", "content": "It snows."},
            ],
            "tools": [{"name": "w"}],
        }
        source.write_text(json.dumps(row) + "\n", encoding="utf-8")
        (conversation,) = load_dataset(source, multi_turn="keep").conversations
        assert [r for r, _ in conversation.turns] == ["user", "function_call", "observation", "assistant"]
        assert same_call(conversation.turns[1][1], '{"name": "w", "arguments": {"city": "Oslo"}}')
        assert conversation.system == "Use tools." and json.loads(conversation.tools) == [{"name": "w"}]


class TestSchema:
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    def test_every_file_type_loads_with_the_same_features(self, tmp_path: Path, record_format: str) -> None:
        """JSON Lines, JSON, Parquet and save_to_disk exports of one run have the same columns and types in
        ``datasets``, so they concatenate."""
        features = {}
        loaded = []
        for file_type in FILE_TYPES:
            output = export(tmp_path / file_type, record_format, file_type)
            if file_type == "hf":
                dataset = datasets.load_from_disk(str(output))
            else:
                kind = "parquet" if file_type == "parquet" else "json"
                dataset = datasets.load_dataset(kind, data_files=str(output), split="train")
            features[file_type] = dataset.features
            loaded.append(dataset)
        assert all(f == features["parquet"] for f in features.values()), features
        assert features["jsonl"]["mosaic"] == datasets.Value("string")
        assert len(datasets.concatenate_datasets(loaded)) == 4 * len(loaded[0])


class TestRoundTrips:
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    def test_verify_after_json_parquet_json(
        self, tmp_path: Path, record_format: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An export loaded by ``datasets``, written to Parquet, loaded again and written to JSON Lines still
        verifies against its manifest, every mosaic."""
        output = tmp_path / "demo.jsonl"
        loaded = load_dataset(DEMO)
        export_mosaics(loaded, MosaicConfig(epochs=1, seed=5), output, ExportOptions(record_format))
        first = datasets.load_dataset("json", data_files=str(output), split="train")
        first.to_parquet(str(tmp_path / "trip.parquet"))
        second = datasets.load_dataset("parquet", data_files=str(tmp_path / "trip.parquet"), split="train")
        second.to_json(str(tmp_path / "back.jsonl"))
        manifest = str(output.with_name(output.name + ".manifest.json"))
        for copy in ("trip.parquet", "back.jsonl"):
            assert main(["verify", str(tmp_path / copy), "--manifest", manifest]) == 0
            said = capsys.readouterr().out
            assert " 0 failed" in said and "verified 0 " not in said

    def test_a_copy_missing_rows_fails(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A copy with a row lost on the way is not verified, though every row left reads well."""
        output = tmp_path / "demo.jsonl"
        export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1, seed=5), output, ExportOptions("messages"))
        lines = output.read_text(encoding="utf-8").splitlines()
        (tmp_path / "short.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
        manifest = str(output.with_name(output.name + ".manifest.json"))
        assert main(["verify", str(tmp_path / "short.jsonl"), "--manifest", manifest]) == 1
        assert "rows were lost or added" in capsys.readouterr().out


class TestExportFolder:
    @pytest.mark.parametrize("file_type", FILE_TYPES)
    def test_load_dataset_reads_only_the_mosaics(self, tmp_path: Path, file_type: str) -> None:
        """``load_dataset(folder)`` on an export folder with its manifest, card and trainer recipes loads exactly
        the export's rows, and the card's metadata parses with huggingface_hub."""
        output = export(tmp_path, "messages", file_type, card=True, trainer_configs=True, license="cc0-1.0")
        manifest = json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))
        dataset = datasets.load_dataset(str(tmp_path), split="train")
        assert len(dataset) == manifest["export"]["rows"]
        assert dataset.column_names == manifest["export"]["columns"]
        card = DatasetCard.load(tmp_path / "README.md")
        assert card.data.license == "cc0-1.0" and card.data.task_categories == ["text-generation"]
        assert card.data.size_categories == ["n<1K"] and "mosaic-it" in card.data.tags
        assert card.data.configs[0]["data_files"][0]["path"] in (
            output.name,
            f"{output.name}/data-00000-of-00001.arrow",
        )
        assert str(tmp_path) not in card.text and str(CHAT_TOOLS.parent) not in card.text
