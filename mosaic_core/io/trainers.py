"""Trainer recipes written beside an export: a LLaMA-Factory ``dataset_info.json`` entry, an axolotl dataset
block and a TRL script. Each names the export's files relative to its folder and maps every column the export
has (system prompts, tools, history), so the trainer reads what we wrote and nothing is lost on the way.

The tests in ``tests/trainers`` run LLaMA-Factory's own loader and TRL's ``SFTTrainer`` on what these write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.export import atomic_file
from mosaic_core.io.guard import carries_mark
from mosaic_core.io.rows import RowShape

__all__ = [
    "HF_DATA_FILE",
    "TRL_FORMATS",
    "axolotl_block",
    "check_llama_factory",
    "data_file",
    "llama_factory_entry",
    "trl_script",
    "write_llama_factory",
    "write_trainer_configs",
]

HF_DATA_FILE = "data-00000-of-00001.arrow"
"""The one data file of an ``hf`` export (``save_to_disk`` with one shard)."""
TRL_FORMATS = ("messages", "prompt_completion")
"""The formats TRL's ``SFTTrainer`` reads as they are."""
MARK = "(written by Mosaic Studio)"
"""In the first line of every recipe file we write: a file without it is not ours to replace."""


def data_file(output: Path, file_type: str) -> str:
    """The export's data file, relative to the folder it sits in (an ``hf`` export is a folder).

    >>> data_file(Path("runs/m.jsonl"), "jsonl"), data_file(Path("runs/m"), "hf")
    ('m.jsonl', 'm/data-00000-of-00001.arrow')
    """
    return f"{output.name}/{HF_DATA_FILE}" if file_type == "hf" else output.name


def llama_factory_entry(output: Path, shape: RowShape, file_type: str) -> dict[str, Any]:
    """The ``dataset_info.json`` entry that reads the export, every column mapped."""
    extra = {name: name for name in ("system", "tools", "history") if name in shape.columns}
    entry: dict[str, Any] = {"file_name": data_file(output, file_type)}
    fmt = shape.record_format
    if fmt == "alpaca":
        entry |= {"formatting": "alpaca", "columns": {"prompt": "instruction", "query": "input", "response": "output"}}
    elif fmt == "prompt_completion":
        entry |= {"formatting": "alpaca", "columns": {"prompt": "prompt", "response": "completion"}}
    elif fmt == "sharegpt":
        entry |= {
            "formatting": "sharegpt",
            "columns": {"messages": "conversations"},
            "tags": {
                "role_tag": "from",
                "content_tag": "value",
                "user_tag": "human",
                "assistant_tag": "gpt",
                "observation_tag": "observation",
                "function_tag": "function_call",
                "system_tag": "system",
            },
        }
    else:
        entry |= {
            "formatting": "openai",
            "columns": {"messages": "messages"},
            "tags": {
                "role_tag": "role",
                "content_tag": "content",
                "user_tag": "user",
                "assistant_tag": "assistant",
                "observation_tag": "tool",
                "function_tag": "function_call",
                "system_tag": "system",
            },
        }
    entry["columns"] |= extra
    return entry


def write_llama_factory(output: Path, shape: RowShape, file_type: str = "jsonl") -> Path:
    """Add the export's entry to the ``dataset_info.json`` beside it (other entries are kept)."""
    target = output.with_name("dataset_info.json")
    registry = _registry(target)
    registry[_entry_name(output)] = llama_factory_entry(output, shape, file_type)  # ours replaced, others kept
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


_DS_TYPES = {"jsonl": "json", "json": "json", "parquet": "parquet", "hf": "arrow"}


def axolotl_block(output: Path, shape: RowShape, file_type: str) -> dict[str, Any]:
    """One entry of an axolotl config's ``datasets:`` list (its ``chat_template`` type for chat formats)."""
    block: dict[str, Any] = {"path": data_file(output, file_type), "ds_type": _DS_TYPES[file_type], "split": "train"}
    fmt = shape.record_format
    if fmt == "messages":
        block |= {"type": "chat_template", "field_messages": "messages"}
        if shape.tools:
            block["field_tools"] = "tools"  # axolotl parses the JSON text
    elif fmt == "sharegpt":
        block |= {
            "type": "chat_template",
            "field_messages": "conversations",
            "message_property_mappings": {"role": "from", "content": "value"},
            # a tool call is the assistant's turn (its JSON text); axolotl reads OpenAI tool_calls from messages rows
            "roles": {
                "user": ["human"],
                "assistant": ["gpt", "function_call"],
                "system": ["system"],
                "tool": ["observation"],
            },
        }
        if shape.tools:
            block["field_tools"] = "tools"
    elif fmt == "alpaca":
        block["type"] = "alpaca"
    else:
        block["type"] = {
            "field_instruction": "prompt",
            "field_output": "completion",
            "format": "{instruction}\n",
            "no_input_format": "{instruction}\n",
        }
    return block


def trl_script(output: Path, shape: RowShape, file_type: str) -> str:
    """A runnable script that fine-tunes a model on the export with TRL's ``SFTTrainer``."""
    if shape.record_format not in TRL_FORMATS:
        raise ConfigError(
            f"TRL's SFTTrainer does not read {shape.record_format} rows; export with --to messages "
            "(chat) or --to prompt_completion"
        )
    # The file name is the user's: it enters the code as a literal, and the docstring with its quotes escaped,
    # so a name such as 'a" + __import__("os")... + "b' stays a name.
    name, trained = repr(output.name), repr(output.name + ".trained")
    shown = output.name.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    if file_type == "hf":
        load = f"load_from_disk(str(HERE / {name}))"
        imports = "from datasets import load_from_disk"
    else:
        kind = _DS_TYPES[file_type]
        load = f'load_dataset("{kind}", data_files=str(HERE / {name}), split="train")'
        imports = "from datasets import load_dataset"
    drop = '\ndataset = dataset.remove_columns(["mosaic"])  # provenance: for verify, not for training' * (
        "mosaic" in shape.columns
    )
    return f'''"""Fine-tune a model on {shown} with TRL {MARK}.

usage: python {shown}.trl.py MODEL [OUTPUT_DIR] [--max-steps N]
MODEL is a model name or folder whose tokenizer has a chat template.
"""

import argparse
from pathlib import Path

import torch
{imports}
from trl import SFTConfig, SFTTrainer

HERE = Path(__file__).resolve().parent

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("output_dir", nargs="?", default=str(HERE / {trained}))
parser.add_argument("--max-steps", type=int, default=-1)
args = parser.parse_args()

dataset = {load}{drop}
bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()  # else full precision, on the CPU if need be
config = SFTConfig(output_dir=args.output_dir, max_steps=args.max_steps, bf16=bf16, report_to="none")
trainer = SFTTrainer(model=args.model, train_dataset=dataset, args=config)
trainer.train()
trainer.save_model()
'''


def write_trainer_configs(output: Path, shape: RowShape, file_type: str) -> tuple[list[Path], list[Path]]:
    """Write every trainer recipe the export's format allows; returns (files written, files left alone)."""
    import yaml  # noqa: PLC0415

    texts = {}
    axolotl = "# The datasets block of an axolotl config for this export " + MARK + ".\n"
    axolotl += "# Paths are relative to this file's folder: run axolotl from there, or make them absolute.\n"
    axolotl += yaml.safe_dump({"datasets": [axolotl_block(output, shape, file_type)]}, sort_keys=False)
    texts[output.with_name(output.name + ".axolotl.yml")] = axolotl
    if shape.record_format in TRL_FORMATS:
        texts[output.with_name(output.name + ".trl.py")] = trl_script(output, shape, file_type)
    written = [write_llama_factory(output, shape, file_type)]
    left = []
    for target, text in texts.items():
        if target.exists() and not carries_mark(target, MARK, head=300):
            left.append(target)
            continue
        with atomic_file(target) as stream:
            stream.write(text.encode("utf-8"))
        written.append(target)
    return written, left
