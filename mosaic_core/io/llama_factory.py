"""A LLaMA-Factory dataset registry entry for an export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.export import atomic_file

__all__ = ["write_llama_factory"]


def write_llama_factory(output: Path, record_format: str) -> None:
    """Add the export's entry to the LLaMA-Factory ``dataset_info.json`` beside it (other entries are kept)."""
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
    target = output.with_name("dataset_info.json")
    registry: dict[str, Any] = {}
    if target.exists():
        try:
            registry = orjson.loads(target.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise ConfigError(f"{target} exists but is not readable JSON ({exc}); it was left alone") from None
        if not isinstance(registry, dict):
            raise ConfigError(f"{target} exists but is not a JSON object; it was left alone")
    registry[output.stem] = {"file_name": output.name, **columns[record_format]}  # ours replaced, others kept
    with atomic_file(target) as stream:
        stream.write(orjson.dumps(registry, option=orjson.OPT_INDENT_2) + b"\n")
