"""Mosaic counts and mean k against the reference script, presets both and mask (Alpaca 52k, one epoch).

Reference figures: MOSAIC_SPEC section 7 (preset both, every k mode) and section 8 (preset mask, exp and
max_length; both again for those two). Targets: within 3% for every k mode, 5% for max_length.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_engine import ALPACA, REFERENCE
from bench.measure import OUT
from mosaic_core import PRESETS, MosaicConfig, MosaicRun, SourceTable, load_dataset

BOTH = REFERENCE  # section 7: preset both, every k mode
MASK = {"exp": (5506, 9.43), "max_length": (2180, 23.83)}


def rows(table: SourceTable) -> list[dict[str, Any]]:
    found = []
    for preset, references in (("both", BOTH), ("mask", MASK)):
        for mode, (ref_mosaics, ref_mean) in references.items():
            run = MosaicRun(table, MosaicConfig(epochs=1, k_mode=mode, mix=PRESETS[preset]))
            mosaics = sum(1 for _ in run.walk(0))
            limit = 0.05 if mode == "max_length" else 0.03
            off, mean_off = mosaics / ref_mosaics - 1, run.report.mean_k / ref_mean - 1
            found.append(
                {
                    "preset": preset,
                    "mode": mode,
                    "mosaics": mosaics,
                    "reference_mosaics": ref_mosaics,
                    "mosaics_off": off,
                    "mean_k": run.report.mean_k,
                    "reference_mean_k": ref_mean,
                    "mean_off": mean_off,
                    "within": abs(off) <= limit and abs(mean_off) <= limit,
                }
            )
    return found


def main() -> int:
    if not ALPACA.exists():
        print(f"skipped: {ALPACA} is not available")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    table = SourceTable.build(load_dataset(ALPACA).records, "cl100k_base")
    found = rows(table)
    (OUT / "reference.json").write_text(json.dumps(found, indent=2))
    print("## Against the reference script (Alpaca 52k, one epoch, K=10, 2000 tokens of cl100k_base)")
    print("| preset | k mode | mosaics | reference | off | mean k | reference | off | within target |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in found:
        print(
            f"| {row['preset']} | {row['mode']} | {row['mosaics']:,} | {row['reference_mosaics']:,} "
            f"| {row['mosaics_off']:+.1%} | {row['mean_k']:.2f} | {row['reference_mean_k']:.2f} "
            f"| {row['mean_off']:+.1%} | {'yes' if row['within'] else 'NO'} |"
        )
    return 0 if all(row["within"] for row in found) else 1


if __name__ == "__main__":
    sys.exit(main())
