"""The token budget counts what a trainer sees: a mosaic's prompt and answer, and the system prompt and tools it
carries. ``verify`` counts them too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.reference import ReferenceRun
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.verify.export import verify_export

SYSTEM = "You are a patient tutor. " * 40  # about 240 tokens
TOOLS = json.dumps([{"type": "function", "function": {"name": "lookup", "description": "Find a word. " * 10}}])


def records(count: int = 60) -> list[SourceRecord]:
    found = []
    for i in range(count):
        system, tools = (SYSTEM, TOOLS) if i % 3 else ("", "")  # two contexts: each keeps to its own mosaics
        words = " ".join(f"w{i}x{j}" for j in range(3 + i % 17))
        found.append(SourceRecord(f"r{i}", f"Spell out: {words}.", "", words, system=system, tools=tools))
    return found


@pytest.fixture(scope="module")
def table() -> SourceTable:
    return SourceTable.build(records(), "cl100k_base")


@pytest.mark.parametrize("k_mode", ["uniform", "max_length"])
def test_every_mosaic_leaves_room_for_its_context(table: SourceTable, k_mode: str) -> None:
    config = MosaicConfig(epochs=2, max_tokens=400, k_mode=k_mode, seed=3)
    counter = table.counter
    mosaics = list(MosaicRun(table, config).mosaics())
    carried = [m for m in mosaics if m.system]
    assert carried and len(carried) < len(mosaics)
    spent = [
        counter.count(m.prompt) + counter.count(m.answer) + (counter.count(m.system) + counter.count(m.tools))
        for m in mosaics
    ]
    assert max(spent) <= 400
    if k_mode == "max_length":  # the budget is filled, not left half empty
        assert max(spent[i] for i, m in enumerate(mosaics) if m.system) > 300


def test_the_reference_walk_agrees(table: SourceTable) -> None:
    config = MosaicConfig(epochs=1, max_tokens=400, k_mode="max_length", seed=1)
    fast = [(m.prompt, m.answer) for m in MosaicRun(table, config).mosaics()]
    slow = [(m.prompt, m.answer) for m in ReferenceRun(table, config).mosaics()]
    assert fast == slow


def test_an_item_that_fits_only_without_its_context_is_left_out(table: SourceTable) -> None:
    counter = table.counter
    context = counter.count(SYSTEM) + counter.count(TOOLS)
    record = table.records[1]
    bare = counter.count(record.prompt_text) + counter.count(record.response_text)
    run = MosaicRun(table, MosaicConfig(epochs=1, max_tokens=bare + context - 1))
    reasons = {u.id: u.reason for u in run.left_out}
    assert "with its system prompt and tools" in reasons["r1"]
    assert "r0" not in reasons  # no context: it fits


def test_verify_counts_the_system_prompt(tmp_path: Path) -> None:
    source = tmp_path / "chat.jsonl"
    rows = [
        {"system": r.system, "instruction": r.instruction, "output": r.output, "tools": r.tools or None}
        for r in records()
    ]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    output = tmp_path / "out.jsonl"
    export_mosaics(load_dataset(source), MosaicConfig(epochs=1, max_tokens=400), output, ExportOptions("messages"))
    assert verify_export(output).failed_checks["budget"] == 0
    written = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in written if r["messages"][0]["role"] == "system")
    row["messages"][0]["content"] += " Be brief." * 100
    copy = tmp_path / "copy.jsonl"
    copy.write_text("".join(json.dumps(r) + "\n" for r in written), encoding="utf-8")
    check = verify_export(copy, manifest_file=output.with_name("out.jsonl.manifest.json"))
    assert check.failed_checks["budget"] == 1
