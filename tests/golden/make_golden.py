"""Write ``tests/golden/mosaics.jsonl``: mosaics of the demo dataset for a few fixed seeds and settings.

``tests/test_golden.py`` generates the same cases again and requires the very same
lines. After an intended change of output (a new template, a changed decoration
draw, ...), regenerate the file from the repository root and review its diff::

    .venv/bin/python -m tests.golden.make_golden
    git diff --stat tests/golden/mosaics.jsonl
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.table import SourceTable

GOLDEN = Path(__file__).resolve().parent / "mosaics.jsonl"
DEMO = Path(__file__).resolve().parents[2] / "mosaic_core" / "data" / "demo.jsonl"
BUDGET = 600


@dataclass(frozen=True)
class Case:
    """One fixed setting: the first ``count`` mosaics of its run (under a small budget, to keep the file small)."""

    seed: int
    preset: str
    k_mode: str
    tokenizer: str
    count: int

    @property
    def name(self) -> str:
        return f"seed {self.seed}, {self.preset}, {self.k_mode}, {self.tokenizer}"


CASES = (
    Case(seed=0, preset="both", k_mode="uniform", tokenizer="cl100k_base", count=14),
    Case(seed=3, preset="mask", k_mode="max_length", tokenizer="cl100k_base", count=13),
    Case(seed=7, preset="order", k_mode="exp", tokenizer="o200k_base", count=13),
)


def golden_lines() -> list[str]:
    """The lines of the golden file, generated now: one JSON object per mosaic (case, position, texts, plan)."""
    records = load_dataset(DEMO).records
    lines = []
    for case in CASES:
        config = MosaicConfig(
            seed=case.seed,
            mix=PRESETS[case.preset],
            k_mode=case.k_mode,
            tokenizer=case.tokenizer,
            max_tokens=BUDGET,
            epochs=1,
        )
        run = MosaicRun(SourceTable.build(records, case.tokenizer), config)
        for position, mosaic in enumerate(run.preview(start=0, count=case.count)):
            row = {
                "case": case.name,
                "position": position,
                "prompt": mosaic.prompt,
                "answer": mosaic.answer,
                "plan": mosaic.plan.to_dict(),
            }
            lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return lines


def main() -> None:
    lines = golden_lines()
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} mosaics to {GOLDEN}")  # noqa: T201


if __name__ == "__main__":
    main()
