"""Reading our own exports back: rows (one file, save_to_disk, or a folder of shards), plans, manifests.

``verify`` and ``stats`` both read exports through here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from mosaic_core.errors import DatasetError
from mosaic_core.io.readers import iter_rows
from mosaic_core.io.source import Source

__all__ = ["iter_export_rows", "manifest_path", "plan_of", "prompt_and_answer", "read_manifest"]


def manifest_path(output: Path) -> Path:
    """Where an export's manifest lives: ``OUTPUT.manifest.json``.

    >>> manifest_path(Path("runs/m.jsonl")).name
    'm.jsonl.manifest.json'
    """
    return output.with_name(output.name + ".manifest.json")


def read_manifest(output: Path, required: bool = True, file: Path | None = None) -> dict[str, Any]:
    """The manifest next to ``output``, or in ``file`` ({} when absent and not ``required``)."""
    if file is None:
        file = manifest_path(output)
        if not file.exists():
            if required:
                raise DatasetError(f"{output}: no manifest ({file.name}) next to the export")
            return {}
    elif not file.is_file():
        raise DatasetError(f"{file}: no such manifest file")
    try:
        data = orjson.loads(file.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise DatasetError(f"{file}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise DatasetError(f"{file}: not a Mosaic Studio manifest")
    return data


def iter_export_rows(output: Path) -> Iterator[tuple[int, Any]]:
    """Rows of an export: one file, a save_to_disk folder, or a folder of shards (the Ray engine)."""
    shards = []
    if output.is_dir() and not (output / "dataset_info.json").exists():
        shards = sorted(p for p in output.iterdir() if p.suffix in (".json", ".jsonl", ".parquet"))
        if not shards:
            raise DatasetError(f"{output}: a folder without export shards")
    number = 0
    for path in shards or [output]:
        _, rows = iter_rows(Source.from_path(path))
        for _, row in rows:
            number += 1
            yield number, row


def plan_of(row: Any) -> Mapping[str, Any] | None:
    """A row's provenance (a JSON object, or JSON text in columnar exports), if it has one."""
    raw = row.get("mosaic") if isinstance(row, Mapping) else None
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None
    return raw if isinstance(raw, Mapping) else None


def prompt_and_answer(row: Mapping[str, Any]) -> tuple[str, str]:
    """The prompt and answer of an exported row, in any of our record formats (a system turn is not the prompt)."""
    if "instruction" in row and "output" in row:
        return str(row["instruction"]), str(row["output"])
    if "prompt" in row and "completion" in row:
        return str(row["prompt"]), str(row["completion"])
    for key, role_key, text_key in (("messages", "role", "content"), ("conversations", "from", "value")):
        turns = row.get(key)
        if isinstance(turns, list):
            turns = [t for t in turns if not (isinstance(t, Mapping) and t.get(role_key) == "system")]
            if len(turns) == 2 and all(isinstance(t, Mapping) for t in turns):
                return str(turns[0].get(text_key)), str(turns[1].get(text_key))
    raise DatasetError(f"a row of unknown shape (keys: {', '.join(sorted(map(str, row)))})")


def context_of(row: Mapping[str, Any]) -> tuple[str, str]:
    """The system prompt and tools (JSON text) an exported row carries ("" for each it has not)."""
    system = row.get("system")
    for key, role_key, text_key in (("messages", "role", "content"), ("conversations", "from", "value")):
        turns = row.get(key)
        if isinstance(turns, list) and turns and isinstance(turns[0], Mapping) and turns[0].get(role_key) == "system":
            system = turns[0].get(text_key)
    tools = row.get("tools")
    return system if isinstance(system, str) else "", tools if isinstance(tools, str) else ""
