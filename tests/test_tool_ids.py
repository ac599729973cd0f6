"""OpenAI tool turns reach a ``messages`` export whole: each call's ``id``, the ``tool_call_id`` its result
answers, and the assistant's words beside its calls. Formats with no place for them count what they leave
(the manifest's ``export.not_carried``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.io.export import FILE_TYPES
from mosaic_core.io.load import load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics
from tests.test_trainer_data import NAMES, rows_of


def call(id_: str | None, name: str, arguments: str) -> dict[str, Any]:
    found: dict[str, Any] = {"type": "function", "function": {"name": name, "arguments": arguments}}
    return found if id_ is None else {"id": id_, **found}


PARALLEL = {  # two calls in one turn: only their ids tell which result answers which
    "id": "two",
    "messages": [
        {"role": "user", "content": "Weather in Oslo and Rome?"},
        {
            "role": "assistant",
            "content": "Let me look both up.",
            "tool_calls": [call("c-oslo", "w", '{"city": "Oslo"}'), call("c-rome", "w", '{"city": "Rome"}')],
        },
        {"role": "tool", "tool_call_id": "c-rome", "content": "[sun in Rome, snow in Oslo]"},
        {"role": "assistant", "content": "Snow in Oslo, sun in Rome."},
    ],
    "tools": [{"type": "function", "function": {"name": "w"}}],
}
PLAIN = {  # a call without an id: it stays without one
    "id": "one",
    "messages": [
        {"role": "user", "content": "Weather in Lima?"},
        {"role": "assistant", "content": None, "tool_calls": [call(None, "w", '{"city": "Lima"}')]},
        {"role": "tool", "content": "fog"},
        {"role": "assistant", "content": "Fog in Lima."},
    ],
}
SINGLE = [
    {"messages": [{"role": "user", "content": f"Say {n}."}, {"role": "assistant", "content": f"{n}"}]} for n in range(8)
]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "tools.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in [PARALLEL, PLAIN, *SINGLE]), encoding="utf-8")
    return path


def export(source: Path, folder: Path, record_format: str, file_type: str = "jsonl") -> tuple[Path, dict[str, int]]:
    output = folder / NAMES[file_type]
    loaded = load_dataset(source, multi_turn="keep")
    summary = export_mosaics(loaded, MosaicConfig(epochs=1, max_k=3), output, ExportOptions(record_format, file_type))
    return output, summary.manifest_data["export"]["not_carried"]


def conversation(rows: list[dict[str, Any]], source_id: str) -> list[dict[str, Any]]:
    (row,) = [row for row in rows if json.loads(row["mosaic"])["source_ids"] == [source_id]]
    return row["messages"]


@pytest.mark.parametrize("file_type", FILE_TYPES)
def test_messages_give_back_ids_and_words(source: Path, tmp_path: Path, file_type: str) -> None:
    output, lost = export(source, tmp_path, "messages", file_type)
    rows = rows_of(output, file_type)
    _, calling, result, _ = conversation(rows, "two")
    assert calling["content"] == "Let me look both up."
    assert [(c["id"], json.loads(c["function"]["arguments"])) for c in calling["tool_calls"]] == [
        ("c-oslo", {"city": "Oslo"}),
        ("c-rome", {"city": "Rome"}),
    ]
    assert result["role"] == "tool" and result["tool_call_id"] == "c-rome" and result["tool_calls"] is None
    _, calling, result, _ = conversation(rows, "one")
    assert calling["content"] == "" and [c["id"] for c in calling["tool_calls"]] == [None]
    assert result["tool_call_id"] is None and result["content"] == "fog"
    mosaic = next(row for row in rows if json.loads(row["mosaic"])["strategy"] != "conversation")
    assert all(m["tool_call_id"] is None and m["tool_calls"] is None for m in mosaic["messages"])
    assert lost == {}


def test_sharegpt_counts_what_it_cannot_hold(source: Path, tmp_path: Path) -> None:
    output, lost = export(source, tmp_path, "sharegpt")
    # the parallel conversation's call and result carry ids; its call also carries words
    assert lost == {"tool_call_ids": 2, "words_beside_tool_calls": 1}
    assert "c-rome" not in output.read_text(encoding="utf-8")


def test_the_load_line_says_what_is_kept_whole(source: Path, tmp_path: Path) -> None:
    parted = tmp_path / "parted.jsonl"
    later = {**PARALLEL, "id": "chat_2"}
    parted.write_text("".join(json.dumps(row) + "\n" for row in [later, PLAIN, *SINGLE]), encoding="utf-8")
    report = load_dataset(parted, multi_turn="keep").report
    assert report.kept_whole == 2 and report.kept_later_parts == 1
    assert report.summary() == (
        f"{parted}: 8 of 10 records loaded as items, 2 kept whole as conversations "
        "(1 of them later parts of a split chat, which begin mid-conversation)"
    )
    assert load_dataset(source, multi_turn="keep").report.kept_later_parts == 0
