"""Trainer recipes written beside an export: a LLaMA-Factory ``dataset_info.json`` entry
(``io/llama_factory.py``), an axolotl dataset block and a TRL script. Each names the export's files relative
to its folder and maps every column the export has (system prompts, tools, history), so the trainer reads what
we wrote and nothing is lost on the way; what a trainer would not read as written is said (``trainer_notes``).

The tests in ``tests/trainers`` run LLaMA-Factory's own loader, axolotl's dataset preparation and TRL's
``SFTTrainer`` on what these write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mosaic_core.errors import ConfigError
from mosaic_core.io.export import atomic_file
from mosaic_core.io.guard import carries_mark
from mosaic_core.io.llama_factory import (
    HF_DATA_FILE,
    LLAMA_FACTORY_TOOLS,
    check_llama_factory,
    data_file,
    llama_factory_entry,
    write_llama_factory,
)
from mosaic_core.io.rows import RowShape

__all__ = [
    "HF_DATA_FILE",
    "LLAMA_FACTORY_TOOLS",
    "TRL_FORMATS",
    "axolotl_block",
    "check_llama_factory",
    "data_file",
    "llama_factory_entry",
    "trainer_notes",
    "trl_script",
    "write_llama_factory",
    "write_trainer_configs",
]

TRL_FORMATS = ("messages", "prompt_completion")
"""The formats TRL's ``SFTTrainer`` reads as they are."""
MARK = "(written by Mosaic Studio)"
"""In the first line of every recipe file we write: a file without it is not ours to replace."""


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
        reader = "load_from_disk"
    else:
        kind = _DS_TYPES[file_type]
        load = f'load_dataset("{kind}", data_files=str(HERE / {name}), split="train")'
        reader = "load_dataset"
    keep = repr([name for name in ("tools",) if name in shape.columns])
    return f'''"""Fine-tune a model on {shown} with TRL {MARK}.

usage: python {shown}.trl.py MODEL [OUTPUT_DIR] [--max-steps N] [--max-length N]
MODEL is a model name or folder whose tokenizer has a chat template.

Each row becomes TRL's conversational prompt and completion: the completion is the last answer, so the loss
is on the answers only (as LLaMA-Factory and axolotl train), never on the prompts and meta-instructions.
Rows are not cut: TRL's default max_length of 1024 tokens would cut mosaics built to a larger budget (the
manifest's max_tokens, counted with its tokenizer); --max-length N cuts at N tokens if you must.
"""

import argparse
from pathlib import Path

from datasets import Features, Json, {reader}

HERE = Path(__file__).resolve().parent


def without_nulls(value):
    """A message as it was written: Arrow gives every message every key, null where it had none, and a chat
    template that asks whether a message has tool_calls would find a null there (Llama 3.1's fails on it)."""
    if isinstance(value, dict):
        return {{key: without_nulls(item) for key, item in value.items() if item is not None}}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def prompt_and_completion(row):
    """The row as a conversational prompt (every turn but the last) and completion (the last answer)."""
    if "messages" in row:
        turns = without_nulls(row["messages"])
    else:
        turns = [{{"role": "user", "content": row["prompt"]}}, {{"role": "assistant", "content": row["completion"]}}]
    return {{"prompt": turns[:-1], "completion": turns[-1:]}}


def training_rows(dataset):
    """The export as SFTTrainer reads it: provenance dropped, each row a prompt and its completion, the turns
    kept as JSON (datasets' Json type) so that no message gains a key it did not have."""
    kept = {{name: dataset.features[name] for name in {keep}}}
    other = [name for name in dataset.column_names if name not in kept]
    features = Features({{"prompt": Json(), "completion": Json(), **kept}})
    return dataset.map(prompt_and_completion, remove_columns=other, features=features)


def load():
    return {load}


if __name__ == "__main__":
    import torch
    from trl import SFTConfig, SFTTrainer

    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("output_dir", nargs="?", default=str(HERE / {trained}))
    parser.add_argument("--max-steps", type=int, default=-1)
    parser.add_argument("--max-length", type=int, default=None)
    args = parser.parse_args()
    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()  # else full precision, on the CPU if need be
    config = SFTConfig(
        output_dir=args.output_dir,
        max_steps=args.max_steps,
        max_length=args.max_length,
        bf16=bf16,
        report_to="none",
    )
    trainer = SFTTrainer(model=args.model, train_dataset=training_rows(load()), args=config)
    trainer.train()
    trainer.save_model()
'''


def trainer_notes(shape: RowShape, calls_tools: bool) -> list[str]:
    """What a trainer will not read of this export as written, each in a sentence (the CLI's notes).

    ``calls_tools``: some kept conversation calls a tool.
    """
    notes = []
    if shape.record_format not in TRL_FORMATS:
        notes.append("TRL's SFTTrainer reads messages or prompt_completion rows: export with --to messages for TRL")
    if shape.record_format == "messages" and shape.tool_calls:
        notes.append(LLAMA_FACTORY_TOOLS)
    if shape.record_format == "sharegpt" and calls_tools:
        notes.append(
            "axolotl reads this export's tool calls as the assistant's plain text, not in the model's tool-call "
            "format: for axolotl, export with --to messages"
        )
    if shape.record_format == "alpaca" and (shape.system or shape.history):
        kept = " and ".join(name for name in ("system", "history") if getattr(shape, name))
        notes.append(
            f"axolotl's alpaca type reads instruction, input and output, not the {kept} column: for axolotl, "
            "export with --to messages"
        )
    return notes


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
    registry = write_llama_factory(output, shape, file_type)
    written = [registry] if registry is not None else []
    left = []
    for target, text in texts.items():
        if target.exists() and not carries_mark(target, MARK, head=300):
            left.append(target)
            continue
        with atomic_file(target) as stream:
            stream.write(text.encode("utf-8"))
        written.append(target)
    return written, left
