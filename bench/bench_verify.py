"""Verify 100% of the mosaics made from every shared dataset, with every k mode under presets both and mask,
and every preset (one epoch each); every named check of the verifier is counted."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, SHARED
from mosaic_core import MosaicConfig, MosaicRun, SourceTable, load_dataset, verify_mosaic
from mosaic_core.config import PRESETS
from mosaic_core.generate.kdraw import K_MODES
from mosaic_core.verify.prompt import CHECKS

DATASETS = [
    "alpaca_cleaned_52k.json",
    "code_alpaca_2k.json",
    "dolly_15k.jsonl",
    "sharegpt_v3_sample_4k.json",
    "sharegpt_v3_messages_1k.jsonl",
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    modes: list[dict[str, object]] = [{"k_mode": m} for m in K_MODES if m != "custom"]
    modes += [{"k_mode": "custom", "k_weights": {2: 1.0, 5: 2.0, 12: 1.0}, "max_k": 12}]
    settings = [{**mode, "mix": PRESETS[preset]} for preset in ("both", "mask") for mode in modes]
    settings += [{"mix": PRESETS[p]} for p in PRESETS if p not in ("both", "mask")]
    total = failed = 0
    checks: Counter[str] = Counter()
    examples: list[str] = []
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
                verdict = verify_mosaic(mosaic, run.library, run.counter, 2000, by_id)
                if not verdict.ok:
                    bad += 1
                    checks.update(set(verdict.failed))
                    if len(examples) < 10:
                        examples.append(f"{name}: {'; '.join(verdict.problems)}")
            total, failed = total + count, failed + bad
            preset = next(p for p, mix in PRESETS.items() if mix == extra.get("mix", PRESETS["both"]))
            label = ", ".join([*(f"{k}={v}" for k, v in extra.items() if k != "mix"), f"preset={preset}"])
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
    print("failed per check: " + ", ".join(f"{check} {checks[check]}" for check in CHECKS))
    for line in examples:
        print("  " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
