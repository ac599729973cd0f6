"""What axolotl trains on, for an export: its own dataset preparation, from the datasets block we wrote.

usage: python axolotl_tokens.py JOBS.json MODEL_DIR RESULT.json

Runs inside the axolotl environment. JOBS.json is a list of {"name", "recipe"}: ``recipe`` is the
``OUTPUT.axolotl.yml`` written beside an export. Its datasets block goes, unchanged, into a minimal config
for a tiny local model; ``load_cfg`` validates it and ``load_datasets`` loads, tokenizes and filters as
``axolotl preprocess`` does. RESULT.json maps each name to its examples' decoded tokens.

datasets runs its steps in helper processes. After axolotl's imports, a forked helper hangs on this machine,
so helpers are spawned instead (which is why everything runs under ``if __name__ == "__main__"``).
"""

import json
import os
import sys
import tempfile
from pathlib import Path


def tokens(recipe: Path, model: str, prepared: Path) -> list[str]:
    import yaml
    from axolotl.cli.config import load_cfg
    from axolotl.common.datasets import load_datasets
    from axolotl.utils.dict import DictDefault
    from transformers import AutoTokenizer

    os.chdir(recipe.parent)  # the block's paths are relative to the recipe's folder
    block = yaml.safe_load(recipe.read_text(encoding="utf-8"))
    config = {
        "base_model": model,
        "datasets": block["datasets"],
        "sequence_len": 4096,
        "micro_batch_size": 1,
        "gradient_accumulation_steps": 1,
        "num_epochs": 1,
        "learning_rate": 1e-4,
        "optimizer": "adamw_torch",
        "output_dir": str(prepared / "output"),
        "dataset_prepared_path": str(prepared / "prepared"),
        "chat_template": "tokenizer_default",
        "val_set_size": 0,
        "bf16": False,
        "fp16": False,
        "dataset_processes": 1,
        "shuffle_merged_datasets": False,  # keep the file's order, so each example lines up with its row
    }
    cfg = load_cfg(DictDefault(config))
    dataset = load_datasets(cfg=cfg).train_dataset
    tokenizer = AutoTokenizer.from_pretrained(model)
    return [tokenizer.decode(example["input_ids"]) for example in dataset]


def main(jobs: str, model: str, result: str) -> None:
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        for number, job in enumerate(json.loads(Path(jobs).read_text(encoding="utf-8"))):
            found[job["name"]] = tokens(Path(job["recipe"]), model, Path(folder) / str(number))
    Path(result).write_text(json.dumps(found), encoding="utf-8")


if __name__ == "__main__":
    import multiprocess

    multiprocess.set_start_method("spawn", force=True)
    os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")
    main(*sys.argv[1:4])
