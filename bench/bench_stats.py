"""Time the statistics on Alpaca-cleaned 52k and its 4-epoch mosaic set.

Targets: every statistic but self-BLEU under 5 s together; self-BLEU (500
records per set and side, on records and on word windows) under 2 s. Prints the
median of 3 runs and the machine; exits 1 when a target is missed, 2 when the
data is missing.

    .venv/bin/python bench/bench_stats.py [path/to/alpaca_cleaned_52k.json]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mosaic_core.config import MosaicConfig  # noqa: E402
from mosaic_core.generate.walk import MosaicRun  # noqa: E402
from mosaic_core.io.load import load_dataset  # noqa: E402
from mosaic_core.stats.report import StatsOptions, core_stats, self_bleu_stats  # noqa: E402
from mosaic_core.stats.sets import SampleSet  # noqa: E402
from mosaic_core.table import SourceTable  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "alpaca_cleaned_52k.json"
CORE_TARGET = 5.0
BLEU_TARGET = 2.0
RUNS = 3


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of ``runs`` calls of ``work``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    data = Path(args[0]) if args else DATA
    if not data.exists():
        print(f"no data at {data}", file=sys.stderr)
        return 2
    config = MosaicConfig(epochs=4)
    start = time.perf_counter()
    records = load_dataset(data).records
    table = SourceTable.build(records, config.tokenizer)
    run = MosaicRun(table, config)
    mosaics = list(run.mosaics())
    built = time.perf_counter() - start
    original = SampleSet.from_table(table, config.max_tokens)
    mosaic = SampleSet.from_mosaics(mosaics, table, unusable=original.unusable)
    sets = [original, mosaic]
    options = StatsOptions()
    core = median_seconds(lambda: core_stats(sets, config.max_tokens, options))
    bleu = median_seconds(lambda: self_bleu_stats(sets, options))
    found = core_stats(sets, config.max_tokens, options)
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(f"python {platform.python_version()}; data {data.name}: {len(records):,} sources, {len(mosaics):,} mosaics")
    print(f"(loading, tokenizing and building the mosaics took {built:.1f} s; not timed below)")
    print(f"all statistics but self-BLEU: {core:.2f} s median of {RUNS} (target < {CORE_TARGET} s)")
    print(
        f"self-BLEU, {options.bleu_sample} records x 2 sets x 2 sides, records and windows: "
        f"{bleu:.2f} s median of {RUNS} (target < {BLEU_TARGET} s)"
    )
    ratio = found["cost_ratio"]
    print(f"cost ratio mosaic/original: steps {ratio['steps']:.3f}, flops {ratio['flops']:.3f}")
    return 0 if core < CORE_TARGET and bleu < BLEU_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
