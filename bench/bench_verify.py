"""Verify 100% of the mosaics made from every shared dataset, with every k mode and preset (one epoch each)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, SHARED
from mosaic_core import MosaicConfig, MosaicRun, SourceTable, load_dataset, verify_mosaic
from mosaic_core.config import PRESETS
from mosaic_core.generate.kdraw import K_MODES

DATASETS = [
    "alpaca_cleaned_52k.json",
    "code_alpaca_2k.json",
    "dolly_15k.jsonl",
    "sharegpt_v3_sample_4k.json",
    "sharegpt_v3_messages_1k.jsonl",
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    settings = [{"k_mode": m} for m in K_MODES if m != "custom"]
    settings += [{"k_mode": "custom", "k_weights": {2: 1.0, 5: 2.0, 12: 1.0}, "max_k": 12}]
    settings += [{"mix": PRESETS[p]} for p in PRESETS]
    total = failed = 0
    rows = []
    start = time.perf_counter()
    for name in DATASETS:
        path = SHARED / name
        if not path.exists():
            print(f"skipped {name}: not available")
            continue
        records = load_dataset(path).records
        table = SourceTable.build(records, "cl100k_base")
        by_id = {r.id: r for r in records}
        for extra in settings:
            run = MosaicRun(table, MosaicConfig(epochs=1, **extra))  # type: ignore[arg-type]
            count = bad = 0
            for mosaic in run.mosaics():
                count += 1
                if not verify_mosaic(mosaic, run.library, run.counter, 2000, by_id).ok:
                    bad += 1
            total, failed = total + count, failed + bad
            label = ", ".join(f"{k}={v}" for k, v in extra.items() if k != "mix") or "mix=" + next(
                p for p, mix in PRESETS.items() if mix == extra.get("mix")
            )
            rows.append(
                {
                    "dataset": name,
                    "setting": label,
                    "mosaics": count,
                    "failed": bad,
                    "unusable": len(run.report.unusable),
                }
            )
    (OUT / "verify.json").write_text(json.dumps(rows, indent=2))
    print("## Verification of every dataset x k mode x preset (one epoch each)")
    took = time.perf_counter() - start
    print(f"{total:,} mosaics verified in {took:.0f} s: {total - failed:,} passed, {failed:,} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
