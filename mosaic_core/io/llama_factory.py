"""LLaMA-Factory's ``dataset_info.json``: the entry that reads an export, every column mapped, added beside it
without touching the other entries (``io/trainers.py`` writes the other trainers' recipes).

The tests in ``tests/trainers`` run LLaMA-Factory's own loader on what this writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.export import atomic_file
from mosaic_core.io.rows import RowShape

__all__ = [
    "HF_DATA_FILE",
    "LLAMA_FACTORY_TOOLS",
    "check_llama_factory",
    "data_file",
    "llama_factory_entry",
    "write_llama_factory",
]

HF_DATA_FILE = "data-00000-of-00001.arrow"
"""The one data file of an ``hf`` export (``save_to_disk`` with one shard)."""


def data_file(output: Path, file_type: str) -> str:
    """The export's data file, relative to the folder it sits in (an ``hf`` export is a folder).

    >>> data_file(Path("runs/m.jsonl"), "jsonl"), data_file(Path("runs/m"), "hf")
    ('m.jsonl', 'm/data-00000-of-00001.arrow')
    """
    return f"{output.name}/{HF_DATA_FILE}" if file_type == "hf" else output.name


_TAGS = {
    "sharegpt": {
        "role_tag": "from",
        "content_tag": "value",
        "user_tag": "human",
        "assistant_tag": "gpt",
        "observation_tag": "observation",
        "function_tag": "function_call",
        "system_tag": "system",
    },
    "messages": {  # no tool turns: a messages export that calls tools gets no entry
        "role_tag": "role",
        "content_tag": "content",
        "user_tag": "user",
        "assistant_tag": "assistant",
        "system_tag": "system",
    },
}
"""LLaMA-Factory's role tags for our chat rows."""

LLAMA_FACTORY_TOOLS = (
    "no LLaMA-Factory entry: this messages export calls tools, and LLaMA-Factory's openai reader adds "
    '"detailed thinking off" to system prompts and encodes tool arguments twice; for LLaMA-Factory, export '
    "with --to sharegpt (its own tool format)"
)
"""Why a messages export with tool calls gets no ``dataset_info.json`` entry (the CLI's note)."""


def llama_factory_entry(output: Path, shape: RowShape, file_type: str) -> dict[str, Any] | None:
    """The ``dataset_info.json`` entry that reads the export, every column mapped (None: LLaMA-Factory has no
    reader that keeps it as written).

    ``messages`` rows are read as LLaMA-Factory documents OpenAI-style data: its ``sharegpt`` reader with
    role/content tags. Its ``openai`` reader is the one that reads ``tool_calls``, but it changes the data: it
    appends "detailed thinking off" to the system prompt of a row without tools, and ``json.dumps`` again the
    arguments, which the OpenAI format already holds as JSON text. So an export that calls tools gets no entry.
    """
    extra = {name: name for name in ("system", "tools", "history") if name in shape.columns}
    entry: dict[str, Any] = {"file_name": data_file(output, file_type)}
    fmt = shape.record_format
    if fmt == "alpaca":
        entry |= {"formatting": "alpaca", "columns": {"prompt": "instruction", "query": "input", "response": "output"}}
    elif fmt == "prompt_completion":
        entry |= {"formatting": "alpaca", "columns": {"prompt": "prompt", "response": "completion"}}
    elif fmt == "messages" and shape.tool_calls:
        return None
    else:  # sharegpt and messages: LLaMA-Factory's sharegpt reader, with the tags of our rows
        column = "conversations" if fmt == "sharegpt" else "messages"
        entry |= {"formatting": "sharegpt", "columns": {"messages": column}, "tags": dict(_TAGS[fmt])}
    entry["columns"] |= extra
    return entry


def write_llama_factory(output: Path, shape: RowShape, file_type: str = "jsonl") -> Path | None:
    """Add the export's entry to the ``dataset_info.json`` beside it (other entries are kept); None when the
    export gets no entry (``LLAMA_FACTORY_TOOLS``)."""
    entry = llama_factory_entry(output, shape, file_type)
    if entry is None:
        return None
    target = output.with_name("dataset_info.json")
    registry = _registry(target)
    registry[_entry_name(output)] = entry  # ours replaced, others kept
    with atomic_file(target) as stream:
        stream.write(orjson.dumps(registry, option=orjson.OPT_INDENT_2) + b"\n")
    return target


def check_llama_factory(output: Path, file_type: str, force: bool = False) -> None:
    """Before anything is written: refuse a ``dataset_info.json`` beside the export that cannot be read, or
    whose entry of the export's name is for another file (``force`` replaces that entry)."""
    target = output.with_name("dataset_info.json")
    name = _entry_name(output)
    entry = _registry(target).get(name)
    ours = isinstance(entry, dict) and entry.get("file_name") == data_file(output, file_type)
    if entry is not None and not ours and not force:
        other = entry.get("file_name") if isinstance(entry, dict) else None
        what = f"another file, {other!r}" if other else "something else"
        raise ConfigError(
            f"{target} already has an entry {name!r} for {what}; it is left alone: choose another output name, "
            "or use --force to replace that entry"
        )


def _registry(target: Path) -> dict[str, Any]:
    """The entries of a ``dataset_info.json`` (none if there is no such file)."""
    if not target.exists():
        return {}
    try:
        registry = orjson.loads(target.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(f"{target} exists but is not readable JSON ({exc}); it was left alone") from None
    if not isinstance(registry, dict):
        raise ConfigError(f"{target} exists but is not a JSON object; it was left alone")
    return registry


def _entry_name(output: Path) -> str:
    """The registry name: the file name without its data suffix.

    >>> _entry_name(Path("mix.v2.jsonl")), _entry_name(Path("folder"))
    ('mix.v2', 'folder')
    """
    return output.stem if output.suffix in (".jsonl", ".json", ".parquet") else output.name
