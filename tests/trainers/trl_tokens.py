"""What TRL's SFTTrainer trains on, for an export: each row's tokens, decoded, as JSON lines on stdout.

usage: python trl_tokens.py JOBS.json MODEL_DIR RESULT.json

JOBS.json is a list of {"name", "data", "file_type"}; RESULT.json maps each name to its rows' decoded tokens.

Runs inside the TRL environment. The export is loaded as its generated ``.trl.py`` script loads it, the
provenance column removed, and handed to ``SFTTrainer``, which applies the chat template and tokenizes;
nothing is trained.
"""

import json
import sys
from pathlib import Path

from datasets import load_dataset, load_from_disk
from trl import SFTConfig, SFTTrainer


def tokens(data: str, file_type: str, model: str) -> list[str]:
    if file_type == "hf":
        dataset = load_from_disk(data)
    else:
        dataset = load_dataset("parquet" if file_type == "parquet" else "json", data_files=data, split="train")
    if "mosaic" in dataset.column_names:
        dataset = dataset.remove_columns(["mosaic"])
    config = SFTConfig(output_dir="/tmp/unused-trl-output", report_to="none", bf16=False, use_cpu=True)
    trainer = SFTTrainer(model=model, train_dataset=dataset, args=config)
    tokenizer = trainer.processing_class
    return [tokenizer.decode(row["input_ids"]) for row in trainer.train_dataset]


def main(jobs: str, model: str, result: str) -> None:
    found = {job["name"]: tokens(job["data"], job["file_type"], model) for job in json.loads(Path(jobs).read_text())}
    Path(result).write_text(json.dumps(found), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
