"""A LLaMA-Factory dataset registry entry for an export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from mosaic_core.io.export import atomic_file

__all__ = ["write_llama_factory"]


def write_llama_factory(output: Path, record_format: str) -> None:
    """Write a LLaMA-Factory ``dataset_info.json`` entry for the export beside it."""
    columns: dict[str, dict[str, Any]] = {
        "alpaca": {
            "formatting": "alpaca",
            "columns": {"prompt": "instruction", "query": "input", "response": "output"},
        },
        "sharegpt": {
            "formatting": "sharegpt",
            "columns": {"messages": "conversations"},
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"},
        },
        "messages": {
            "formatting": "sharegpt",
            "columns": {"messages": "messages"},
            "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"},
        },
        "prompt_completion": {"formatting": "alpaca", "columns": {"prompt": "prompt", "response": "completion"}},
    }
    entry = {output.stem: {"file_name": output.name, **columns[record_format]}}
    with atomic_file(output.with_name("dataset_info.json")) as stream:
        stream.write(orjson.dumps(entry, option=orjson.OPT_INDENT_2) + b"\n")
