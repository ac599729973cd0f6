"""What LLaMA-Factory trains on, for an export: its own loader, through our dataset_info.json entry.

usage: python llamafactory_tokens.py JOBS.json MODEL_DIR RESULT.json

JOBS.json is a list of {"name", "dataset_dir"}: the entry's name in the dataset_info.json of that folder.
RESULT.json maps each name to its examples' decoded tokens.

Runs inside the LLaMA-Factory environment. ``get_dataset`` reads the entry, loads the file, aligns the
columns (system, tools, history, tool turns) and tokenizes with the qwen template.

LLaMA-Factory's data package imports torchaudio (and, through transformers, checks for torchvision) at
import time, for audio and image inputs. Their wheels need another torch build than the CPU one these
machines have, so where they are missing an empty module stands in: no text code path calls them.
"""

import importlib.machinery
import json
import sys
import types
from pathlib import Path


def _stand_in(name: str) -> None:
    try:
        __import__(name)
    except ImportError:
        module = types.ModuleType(name)
        module.__spec__ = importlib.machinery.ModuleSpec(name, None)
        sys.modules[name] = module


for _name in ("torchaudio", "torchvision"):
    _stand_in(_name)

from llamafactory.data import get_dataset, get_template_and_fix_tokenizer  # noqa: E402
from llamafactory.hparams import get_train_args  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402


def tokens(dataset_dir: str, name: str, model: str) -> list[str]:
    model_args, data_args, training_args, _, _ = get_train_args(
        {
            "model_name_or_path": model,
            "stage": "sft",
            "do_train": True,
            "finetuning_type": "full",
            "dataset": name,
            "dataset_dir": dataset_dir,
            "template": "qwen",
            "cutoff_len": 4096,
            "output_dir": "/tmp/unused-llamafactory-output",
            "overwrite_cache": True,
            "report_to": "none",
        }
    )
    tokenizer = AutoTokenizer.from_pretrained(model)
    template = get_template_and_fix_tokenizer(tokenizer, data_args)
    module = get_dataset(template, model_args, data_args, training_args, "sft", tokenizer=tokenizer)
    return [tokenizer.decode(example["input_ids"]) for example in module["train_dataset"]]


def main(jobs: str, model: str, result: str) -> None:
    found = {job["name"]: tokens(job["dataset_dir"], job["name"], model) for job in json.loads(Path(jobs).read_text())}
    Path(result).write_text(json.dumps(found), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
