"""What TRL's SFTTrainer trains on, for an export: each row's tokens, and the tokens its loss covers, decoded.

usage: python trl_tokens.py JOBS.json MODEL_DIR RESULT.json

JOBS.json is a list of {"name", "script"}: ``script`` is the ``.trl.py`` written beside the export. Its own
``load`` and ``training_rows`` prepare the rows, exactly as it does before training, and ``SFTTrainer`` applies
the chat template and tokenizes; nothing is trained. RESULT.json maps each name to its rows as
{"text": all tokens, "loss": the tokens whose loss counts}.
"""

import importlib.util
import json
import sys
from pathlib import Path

from trl import SFTConfig, SFTTrainer


def tokens(script: str, model: str) -> list[dict[str, str]]:
    spec = importlib.util.spec_from_file_location("export_trl", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the script trains only when run as a program
    prepared = module.training_rows(module.load())
    for row in prepared:  # Arrow gives every message every key; the script hands the trainer each as written
        for message in row["prompt"] + row["completion"]:
            if None in message.values():
                raise SystemExit(f"a message reaches the trainer with a null field: {message}")
    config = SFTConfig(output_dir="/tmp/unused-trl-output", report_to="none", bf16=False, use_cpu=True)
    trainer = SFTTrainer(model=model, train_dataset=prepared, args=config)
    decode = trainer.processing_class.decode
    found = []
    for row in trainer.train_dataset:
        counted = [token for token in row["labels"] if token != -100]  # TRL folds its loss masks into the labels
        found.append({"text": decode(row["input_ids"]), "loss": decode(counted)})
    return found


def main(jobs: str, model: str, result: str) -> None:
    found = {job["name"]: tokens(job["script"], model) for job in json.loads(Path(jobs).read_text())}
    Path(result).write_text(json.dumps(found), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
