"""Trainer recipes beside an export: the LLaMA-Factory entry, the axolotl block, the TRL script.

``tests/trainers`` runs the trainers themselves on these; here, their fields are checked against our rows.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import datasets
import pytest
import yaml

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError
from mosaic_core.io.load import load_dataset
from mosaic_core.io.rows import RECORD_FORMATS, RowShape
from mosaic_core.io.trainers import (
    MARK,
    axolotl_block,
    llama_factory_entry,
    trainer_notes,
    trl_script,
    write_llama_factory,
    write_trainer_configs,
)
from mosaic_core.pipeline import ExportOptions, export_mosaics
from tests.conftest import DEMO

FULL = {"system": True, "tools": True, "history": True, "tool_calls": True}


def shape_of(record_format: str, full: bool) -> RowShape:
    if not full:
        return RowShape(record_format)
    wanted = {
        "alpaca": {"system", "tools", "history"},
        "sharegpt": {"tools"},
        "messages": {"tools", "tool_calls"},
        "prompt_completion": set(),
    }[record_format]
    return RowShape(record_format, **{name: name in wanted for name in FULL})


class TestLlamaFactoryEntry:
    @pytest.mark.parametrize("full", [False, True])
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    def test_every_column_of_the_row_is_mapped(self, record_format: str, full: bool) -> None:
        """Each column the entry names exists in our rows, and every data column of ours is named."""
        shape = shape_of(record_format, full)
        entry = llama_factory_entry(Path("mix.v2.jsonl"), shape, "jsonl")
        if record_format == "messages" and shape.tool_calls:  # LLaMA-Factory's openai reader would change it
            assert entry is None
            return
        assert entry is not None and entry["file_name"] == "mix.v2.jsonl"
        named = set(entry["columns"].values())
        assert named | {"mosaic"} >= set(shape.columns) - ({"input"} if record_format != "alpaca" else set())
        assert named <= set(shape.columns)

    def test_messages_are_read_as_written(self) -> None:
        """LLaMA-Factory's openai reader appends "detailed thinking off" to system prompts and encodes string
        arguments twice: messages are read by its sharegpt reader with OpenAI tags (as its own data README shows
        OpenAI-style data), and an export that calls tools, which only the openai reader reads, gets no entry."""
        entry = llama_factory_entry(Path("m.jsonl"), RowShape("messages", system=False), "jsonl")
        assert entry is not None and entry["formatting"] == "sharegpt" and entry["tags"]["role_tag"] == "role"
        assert llama_factory_entry(Path("m.jsonl"), RowShape("messages", tool_calls=True), "jsonl") is None

    def test_tags_name_our_roles(self) -> None:
        """sharegpt and messages tags are the role names our rows use, tool roles included."""
        rows = {
            "sharegpt": RowShape("sharegpt", tool_calls=False).conversation(
                (
                    ("user", "q"),
                    ("function_call", '{"name": "f", "arguments": {}}'),
                    ("observation", "r"),
                    ("assistant", "a"),
                )
            ),
            "messages": RowShape("messages").conversation((("user", "q"), ("assistant", "a")), system="s"),
        }
        for record_format, row in rows.items():
            assert row is not None
            tags = llama_factory_entry(Path("x.jsonl"), RowShape(record_format), "jsonl")["tags"]
            turns = row[record_format if record_format == "messages" else "conversations"]
            roles = [turn[tags["role_tag"]] for turn in turns]
            names = ("user_tag", "assistant_tag", "observation_tag", "function_tag", "system_tag")
            known = {tags[name] for name in names if name in tags}
            assert set(roles) <= known, roles

    def test_hf_export_names_its_one_data_file(self) -> None:
        """A save_to_disk folder holds JSON files beside its data; the entry names the .arrow file itself."""
        entry = llama_factory_entry(Path("runs/mix"), RowShape("alpaca"), "hf")
        assert entry["file_name"] == "mix/data-00000-of-00001.arrow"

    def test_other_entries_are_kept(self, tmp_path: Path) -> None:
        """An existing registry keeps every other entry; ours is added."""
        registry = {f"set{i}": {"file_name": f"set{i}.json"} for i in range(104)}
        (tmp_path / "dataset_info.json").write_text(json.dumps(registry), encoding="utf-8")
        write_llama_factory(tmp_path / "mix.jsonl", RowShape("sharegpt"))
        found = json.loads((tmp_path / "dataset_info.json").read_text(encoding="utf-8"))
        assert len(found) == 105 and found["set7"] == registry["set7"] and found["mix"]["formatting"] == "sharegpt"

    def test_unreadable_registry_is_left_alone(self, tmp_path: Path) -> None:
        """A dataset_info.json that is not JSON is an error, and stays as it was."""
        (tmp_path / "dataset_info.json").write_text("not json", encoding="utf-8")
        with pytest.raises(ConfigError, match="left alone"):
            write_llama_factory(tmp_path / "mix.jsonl", RowShape("alpaca"))
        assert (tmp_path / "dataset_info.json").read_text(encoding="utf-8") == "not json"


class TestBeforeTheExport:
    """The registry is read before the export is written: a failure leaves no export behind."""

    def _export(self, folder: Path, force: bool = False, **sidecars: bool) -> None:
        options = ExportOptions(force=force, **sidecars)  # type: ignore[arg-type]
        export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1), folder / "e5.jsonl", options)

    @pytest.mark.parametrize("text", ["not json", "[1, 2]"])
    @pytest.mark.parametrize("sidecar", ["llama_factory", "trainer_configs"])
    def test_an_unreadable_registry_stops_the_export_before_it_is_written(
        self, tmp_path: Path, text: str, sidecar: str
    ) -> None:
        (tmp_path / "dataset_info.json").write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match="left alone"):
            self._export(tmp_path, **{sidecar: True})
        assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset_info.json"]

    def test_an_entry_of_the_same_name_for_another_file_is_not_replaced_without_force(self, tmp_path: Path) -> None:
        theirs = {"e5": {"file_name": "someone_else.json"}, "other": {"file_name": "o.json"}}
        registry = tmp_path / "dataset_info.json"
        registry.write_text(json.dumps(theirs), encoding="utf-8")
        with pytest.raises(ConfigError, match=r"already has an entry 'e5' for another file, 'someone_else\.json'"):
            self._export(tmp_path, llama_factory=True)
        assert json.loads(registry.read_text(encoding="utf-8")) == theirs
        assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset_info.json"]
        self._export(tmp_path, force=True, llama_factory=True)
        found = json.loads(registry.read_text(encoding="utf-8"))
        assert found["e5"]["file_name"] == "e5.jsonl" and found["other"] == theirs["other"]
        self._export(tmp_path, llama_factory=True)  # now the entry is ours: a new run replaces it


class TestAxolotlAndTrl:
    @pytest.mark.parametrize("file_type", ["jsonl", "json", "parquet", "hf"])
    def test_axolotl_chat_template_block(self, file_type: str) -> None:
        """Chat formats use axolotl's chat_template type with our message field and, for sharegpt, a role map."""
        block = axolotl_block(Path("m"), shape_of("sharegpt", True), file_type)
        assert block["type"] == "chat_template" and block["field_messages"] == "conversations"
        assert block["message_property_mappings"] == {"role": "from", "content": "value"}
        assert block["roles"]["user"] == ["human"] and block["roles"]["assistant"] == ["gpt", "function_call"]
        assert block["ds_type"] == {"jsonl": "json", "json": "json", "parquet": "parquet", "hf": "arrow"}[file_type]
        messages = axolotl_block(Path("m.jsonl"), shape_of("messages", True), "jsonl")
        assert messages["field_messages"] == "messages" and messages["field_tools"] == "tools"

    def test_prompt_completion_is_a_user_defined_type(self) -> None:
        """axolotl has no prompt/completion type of its own: the block defines one over our two fields."""
        block = axolotl_block(Path("m.jsonl"), RowShape("prompt_completion"), "jsonl")
        assert block["type"]["field_instruction"] == "prompt" and block["type"]["field_output"] == "completion"

    @pytest.mark.parametrize("record_format", ["alpaca", "sharegpt"])
    def test_trl_refuses_formats_it_cannot_read(self, record_format: str) -> None:
        with pytest.raises(ConfigError, match="--to messages"):
            trl_script(Path("m.jsonl"), RowShape(record_format), "jsonl")

    @pytest.mark.parametrize("file_type", ["jsonl", "json", "parquet", "hf"])
    def test_trl_script_compiles(self, file_type: str) -> None:
        text = trl_script(Path("m.jsonl"), RowShape("messages"), file_type)
        compile(text, "m.jsonl.trl.py", "exec")
        assert MARK in text.splitlines()[0] and "max_length=args.max_length" in text

    @pytest.mark.parametrize("record_format", ["messages", "prompt_completion"])
    def test_trl_script_hands_the_trainer_prompt_and_completion(self, record_format: str) -> None:
        """The script's rows: provenance dropped, the last answer the completion (the loss is on it alone), each
        message as written, not with the null keys Arrow gives every message (tool_calls: None)."""
        shape = RowShape(record_format, tools=record_format == "messages", tool_calls=record_format == "messages")
        rows = [
            shape.conversation(
                (
                    ("user", "q"),
                    ("function_call", '{"name": "f", "arguments": {}}'),
                    ("observation", "r"),
                    ("assistant", "a"),
                ),
                system="s",
            )
            if record_format == "messages"
            else shape.row("q", "a"),
            shape.row("q2", "a2", plan={"strategy": "original"}),
        ]
        scope: dict[str, Any] = {"__name__": "export_trl", "__file__": "m.jsonl.trl.py"}
        exec(trl_script(Path("m.jsonl"), shape, "jsonl"), scope)  # noqa: S102 - our own generated script
        prepared = list(scope["training_rows"](datasets.Dataset.from_list(rows)))
        assert [sorted(row) for row in prepared] == [["completion", "prompt", *(["tools"] if shape.tools else [])]] * 2
        assert [row["completion"] for row in prepared] == [
            [{"role": "assistant", "content": "a"}],
            [{"role": "assistant", "content": "a2"}],
        ]
        first = prepared[0]["prompt"]
        if record_format == "messages":
            assert [m["role"] for m in first] == ["system", "user", "assistant", "tool"]
            assert "tool_calls" not in first[1] and first[2]["tool_calls"][0]["function"]["name"] == "f"
        else:
            assert first == [{"role": "user", "content": "q"}]

    @pytest.mark.parametrize(
        "name",
        [
            'a" + str(__import__("os").system("touch PWNED")) + "b.jsonl',
            'it\'s "quoted" \\ and\nsplit.jsonl',
            'x""".jsonl',
        ],
    )
    @pytest.mark.parametrize("file_type", ["jsonl", "hf"])
    def test_a_file_name_stays_a_name_in_the_trl_script(self, name: str, file_type: str) -> None:
        """The export's name enters the script as string literals: no quote in it can close one and add code."""
        tree = ast.parse(trl_script(Path(name), RowShape("messages"), file_type))
        calls = {
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
        }
        assert not calls & {"__import__", "system", "eval", "exec"}
        strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
        assert {name, name + ".trained"} <= strings

    def test_written_files_and_foreign_ones_left_alone(self, tmp_path: Path) -> None:
        """All three are written; an axolotl file that is not ours stays untouched and is reported."""
        output = tmp_path / "m.jsonl"
        written, left = write_trainer_configs(output, RowShape("messages"), "jsonl")
        assert sorted(p.name for p in written) == ["dataset_info.json", "m.jsonl.axolotl.yml", "m.jsonl.trl.py"]
        assert left == []
        assert yaml.safe_load((tmp_path / "m.jsonl.axolotl.yml").read_text())["datasets"][0]["path"] == "m.jsonl"
        (tmp_path / "m.jsonl.axolotl.yml").write_text("my own config\n", encoding="utf-8")
        _, left = write_trainer_configs(output, RowShape("messages"), "jsonl")
        assert left == [tmp_path / "m.jsonl.axolotl.yml"]
        assert (tmp_path / "m.jsonl.axolotl.yml").read_text(encoding="utf-8") == "my own config\n"

    @pytest.mark.timeout(30)
    def test_a_fifo_in_the_way_is_left_alone_without_reading_it(self, tmp_path: Path) -> None:
        """A FIFO where a recipe would go is not ours: left alone, and never opened (which would block)."""
        import os

        os.mkfifo(tmp_path / "m.jsonl.axolotl.yml")
        _, left = write_trainer_configs(tmp_path / "m.jsonl", RowShape("messages"), "jsonl")
        assert left == [tmp_path / "m.jsonl.axolotl.yml"]
        assert (tmp_path / "m.jsonl.axolotl.yml").is_fifo()


class TestTrainerNotes:
    @pytest.mark.parametrize(
        ("shape", "calls_tools", "said"),
        [
            (RowShape("messages", tool_calls=True), True, ["detailed thinking off"]),
            (RowShape("messages"), False, []),
            (RowShape("sharegpt"), True, ["TRL's SFTTrainer", "axolotl reads this export's tool calls"]),
            (RowShape("sharegpt"), False, ["TRL's SFTTrainer"]),
            (RowShape("alpaca", system=True, history=True), False, ["TRL's SFTTrainer", "system and history column"]),
            (RowShape("alpaca"), False, ["TRL's SFTTrainer"]),
            (RowShape("prompt_completion"), False, []),
        ],
    )
    def test_what_a_trainer_would_not_read_is_said(self, shape: RowShape, calls_tools: bool, said: list[str]) -> None:
        notes = trainer_notes(shape, calls_tools)
        assert len(notes) == len(said) and all(part in note for part, note in zip(said, notes, strict=True)), notes
