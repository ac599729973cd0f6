"""Engine benchmarks on Alpaca-cleaned 52k: the floor, the whole run, max_length, the spec table.

Prints a Markdown report and writes bench/out/engine.json.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, SHARED, machine, median_time, python, run_measured
from mosaic_core import MosaicConfig, MosaicRun, SourceTable, get_tokenizer, load_dataset

ALPACA = SHARED / "alpaca_cleaned_52k.json"
# Reference script figures (MOSAIC_SPEC section 7): mosaics and mean items for one epoch.
REFERENCE = {
    "uniform": (9473, 5.48),
    "fix_max": (5195, 10.00),
    "exp": (5510, 9.43),
    "pareto": (5680, 9.14),
    "lognormal": (5815, 8.93),
    "logistic2": (6603, 7.87),
    "max_length": (2230, 23.29),
}
REFERENCE_FOUR_EPOCHS = 37718


def floor(texts: list[str], repeats: int = 5) -> float:
    """Tokenize every source record once with cl100k_base (one call per record)."""
    encode = get_tokenizer("cl100k_base").encoding.encode_ordinary

    def run() -> int:
        return sum(len(encode(text)) for text in texts)

    seconds, _ = median_time(run, repeats=repeats)
    return seconds


def whole_run(workers: int, memory: bool = False, language: str = "auto") -> tuple[float, float, int]:
    """The CLI from file to JSONL on disk, 4 epochs, provenance on: (seconds, peak MB, bytes).

    Timed runs leave memory alone (sampling it costs CPU); one more run per worker count samples it.
    ``language``: the meta-language policy (``auto``, the default, detects every record's language).
    """
    target = OUT / f"alpaca-4ep-w{workers}-{language}.jsonl"
    command = [python(), "-m", "mosaic_core", "generate", str(ALPACA), "-o", str(target), "--workers", str(workers)]
    seconds, peak, _ = run_measured([*command, "--meta-language", language], memory=memory)
    return seconds, peak, target.stat().st_size


def detection_cost(rounds: int = 5) -> dict[str, Any]:
    """The whole run under ``auto`` (languages detected) against ``en`` (none), 2 workers, side by side."""
    ratios = []
    for _ in range(rounds):
        auto, english = whole_run(2)[0], whole_run(2, language="en")[0]
        ratios.append(auto / english)
    return {"ratios": ratios, "ratio": statistics.median(ratios)}


def paired_runs(texts: list[str], rounds: int = 5) -> tuple[list[float], dict[str, dict[str, Any]]]:
    """Floor and whole runs side by side, ``rounds`` times: each ratio compares runs a few seconds apart."""
    floors: list[float] = []
    runs: dict[str, list[tuple[float, float, int]]] = {"1": [], "2": []}
    for _ in range(rounds):
        floors.append(floor(texts, repeats=3))
        for workers, measured in runs.items():
            measured.append(whole_run(int(workers)))
    results = {}
    for workers, measured in runs.items():
        ratios = [seconds / floor_seconds for (seconds, _, _), floor_seconds in zip(measured, floors, strict=True)]
        results[workers] = {
            "seconds": statistics.median(m[0] for m in measured),
            "peak_mb": whole_run(int(workers), memory=True)[1],
            "bytes": measured[-1][2],
            "ratios": ratios,
            "ratio": statistics.median(ratios),
        }
    return floors, results


IN_PROCESS = """
import sys, time
from pathlib import Path
from mosaic_core import MosaicConfig, load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics
loaded = load_dataset(sys.argv[1])
start = time.perf_counter()
export_mosaics(loaded, MosaicConfig(), Path(sys.argv[2]), ExportOptions(workers=int(sys.argv[3])))
print(time.perf_counter() - start)
"""


def in_process(workers: int, repeats: int = 3) -> float:
    """Tokenize, generate and write with the records already loaded (as the floor has them), cold caches."""
    times = []
    for _ in range(repeats):
        done = subprocess.run(
            [python(), "-c", IN_PROCESS, str(ALPACA), str(OUT / "inproc.jsonl"), str(workers)],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def spec_table(table: SourceTable) -> list[dict[str, Any]]:
    rows = []
    for mode, (ref_mosaics, ref_mean) in REFERENCE.items():
        run = MosaicRun(table, MosaicConfig(epochs=1, k_mode=mode))
        seconds, mosaics = median_time(lambda run=run: sum(1 for _ in run.walk(0)), repeats=1)
        report = run.report
        rows.append(
            {
                "mode": mode,
                "mosaics": mosaics,
                "reference_mosaics": ref_mosaics,
                "mean_k": report.mean_k,
                "reference_mean_k": ref_mean,
                "largest_k": None,
                "mosaics_off": mosaics / ref_mosaics - 1,
                "mean_off": report.mean_k / ref_mean - 1,
                "seconds": seconds,
            }
        )
    four = MosaicRun(table, MosaicConfig(epochs=4))
    count = sum(1 for _ in four.mosaics())
    rows.append(
        {
            "mode": "uniform, 4 epochs",
            "mosaics": count,
            "reference_mosaics": REFERENCE_FOUR_EPOCHS,
            "mean_k": four.report.mean_k,
            "reference_mean_k": 207764 / REFERENCE_FOUR_EPOCHS,
            "mosaics_off": count / REFERENCE_FOUR_EPOCHS - 1,
            "mean_off": four.report.mean_k / (207764 / REFERENCE_FOUR_EPOCHS) - 1,
        }
    )
    return rows


def max_length_epoch(table: SourceTable) -> float:
    def run() -> int:
        return sum(1 for _ in MosaicRun(table, MosaicConfig(epochs=1, k_mode="max_length")).walk(0))

    seconds, _ = median_time(run, repeats=3)
    return seconds


def main() -> int:
    if not ALPACA.exists():
        print(f"skipped: {ALPACA} is not available")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    records = load_dataset(ALPACA).records
    texts = [f"{r.prompt_text}\n{r.response_text}" for r in records]
    floors, whole = paired_runs(texts)
    floor_seconds = statistics.median(floors)
    table = SourceTable.build(records, "cl100k_base")
    results: dict[str, Any] = {"machine": machine(), "floor_seconds": floor_seconds, "floors": floors}
    results["max_length_epoch_seconds"] = max_length_epoch(table)
    results["spec_table"] = spec_table(table)
    results["whole_run"] = whole
    results["in_process"] = {str(w): in_process(w) for w in (1, 2)}
    results["detection"] = detection_cost()
    (OUT / "engine.json").write_text(json.dumps(results, indent=2))

    print("## Engine (Alpaca-cleaned 52k, cl100k_base, budget 2000, preset both)")
    print(
        f"floor (tokenize every record once): {floor_seconds:.2f} s (median of {len(floors)} rounds: "
        + ", ".join(f"{f:.2f}" for f in floors)
        + ")"
    )
    for workers, figures in results["whole_run"].items():
        print(
            f"whole run, 4 epochs uniform K=10, JSONL with provenance, {workers} worker(s): "
            f"{figures['seconds']:.2f} s, "
            f"{figures['ratio']:.2f} x floor (median of the rounds' ratios: "
            + ", ".join(f"{r:.2f}" for r in figures["ratios"])
            + f"), peak {figures['peak_mb']:.0f} MB (process tree)"
        )
    for workers, seconds in results["in_process"].items():
        print(
            f"in process (records loaded, as for the floor): tokenize + generate + write, {workers} worker(s): "
            f"{seconds:.2f} s = {seconds / floor_seconds:.2f} x floor"
        )
    detection = results["detection"]
    print(
        f"language detection (auto against --meta-language en, 2 workers): +{detection['ratio'] - 1:.1%} "
        "(median of the rounds' ratios: "
        + ", ".join(f"{r:.3f}" for r in detection["ratios"])
        + "); target: at most +20%"
    )
    best = min(figures["ratio"] for figures in results["whole_run"].values())
    verdict = "met" if best <= 2.5 else "NOT met"
    print(f"target, whole run within 2.5 x floor: {verdict} ({best:.2f} x, median ratio of the better worker count)")
    print(f"one epoch of max_length (tokens counted, generation only): {results['max_length_epoch_seconds']:.2f} s")
    print("| k mode | mosaics | reference | off | mean k | reference | off |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for row in results["spec_table"]:
        worst = max(worst, abs(row["mosaics_off"]), abs(row["mean_off"]))
        print(
            f"| {row['mode']} | {row['mosaics']:,} | {row['reference_mosaics']:,} | {row['mosaics_off']:+.1%} "
            f"| {row['mean_k']:.2f} | {row['reference_mean_k']:.2f} | {row['mean_off']:+.1%} |"
        )
    print(f"largest deviation from the reference: {worst:.1%} (target: within 3%)")
    peak = max(figures["peak_mb"] for figures in results["whole_run"].values())
    met = best <= 2.5 and peak < 400 and results["max_length_epoch_seconds"] <= 1 and worst <= 0.03
    met = met and detection["ratio"] <= 1.2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
