"""Memory bounds of loading: a generated 1-million-record JSONL (about 490 MB), one 500 MB line, and tiny records.

The bound the README documents: a JSONL input peaks at most at 2 x its size + 500 MB (MEMORY_FACTOR and
MEMORY_BASE in mosaic_core/io/source.py, which refuses up front an input that would not fit). Tiny records
cost more than their bytes: 330 MB of them in one JSON list (read a record at a time) and 10 million in a
JSONL file, run end to end with one worker, are held to the per-record bound the check assumes
(500 MB + max(3 x size, 2 x size + 1 KB x records)). Those two files are written to a temporary folder
and removed afterwards.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, python, run_measured

RECORDS = 1_000_000
TINY_LIST = 7_350_000
"""Tiny records in the JSON list: about 330 MB on one line."""
TINY_LINES = 10_000_000
WORDS = ["the", "of", "and", "to", "in", "model", "data", "train", "answer", "question", "write", "list"]
WORDS += ["explain", "code", "number", "text", "short", "long"]


def make_file(path: Path) -> None:
    """Synthetic alpaca-style records of realistic size (written once, reused)."""
    if path.exists() and path.stat().st_size > 300_000_000:
        return
    rng = random.Random(0)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for i in range(RECORDS):
            record = {
                "id": i,
                "instruction": " ".join(rng.choices(WORDS, k=rng.randint(5, 25))).capitalize() + "?",
                "input": " ".join(rng.choices(WORDS, k=rng.randint(0, 20))),
                "output": " ".join(rng.choices(WORDS, k=rng.randint(20, 90))) + ".",
            }
            out.write(json.dumps(record) + "\n")
    tmp.replace(path)


def make_long_line(path: Path, size: int = 500_000_000) -> None:
    """One record whose instruction is ``size`` bytes of words on one line, then twenty small ones."""
    if path.exists() and path.stat().st_size > size:
        return
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write('{"instruction": "Say ')
        block = "word " * 200_000
        for _ in range(size // len(block)):
            out.write(block)
        out.write('.", "output": "ok"}\n')
        for i in range(20):
            out.write(json.dumps({"instruction": f"Say {i}.", "output": "ok"}) + "\n")
    tmp.replace(path)


def bound_mb(path: Path) -> float:
    return 2 * path.stat().st_size / 1e6 + 500


def make_tiny(path: Path, records: int, as_list: bool) -> None:
    """``records`` tiny alpaca records (about 45 bytes each): one JSON list on one line, or JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[" if as_list else "")
        for i in range(records):
            record = '{"instruction":"Say %d.","output":"ok"}' % i  # noqa: UP031 - the fastest way to write millions
            out.write(("," if i else "") + record if as_list else record + "\n")
        out.write("]\n" if as_list else "")


def record_bound_mb(path: Path, records: int) -> float:
    """The estimate io/source.py refuses by: 500 MB + max(3 x size, 2 x size + 1 KB x records)."""
    size = path.stat().st_size
    return (500 * 2**20 + max(3 * size, 2 * size + 1024 * records)) / 1e6


def tiny_records() -> tuple[dict[str, float], bool]:
    """330 MB of tiny records in a JSON list (load), and 10 M in JSONL (CLI end to end, one worker)."""
    folder = Path(tempfile.mkdtemp(prefix="mosaic-bench-"))
    try:
        listed = folder / "tiny.json"
        make_tiny(listed, TINY_LIST, as_list=True)
        code = "import sys; from mosaic_core import load_dataset; print(load_dataset(sys.argv[1]).report.summary())"
        seconds, peak, _ = run_measured([python(), "-c", code, str(listed)], memory=True)
        list_mb, list_bound = listed.stat().st_size / 1e6, record_bound_mb(listed, TINY_LIST)
        print(
            f"{list_mb:.0f} MB JSON list of {TINY_LIST:,} tiny records, load: {seconds:.1f} s, peak {peak:.0f} MB "
            f"(bound {list_bound:.0f} MB)"
        )
        listed.unlink()
        lines = folder / "tiny.jsonl"
        make_tiny(lines, TINY_LINES, as_list=False)
        out = folder / "out.jsonl"
        command = [python(), "-m", "mosaic_core", "generate", str(lines), "-o", str(out), "--workers", "1"]
        run_seconds, run_peak, _ = run_measured(command, memory=True)
        lines_bound = record_bound_mb(lines, TINY_LINES)
        print(
            f"{TINY_LINES:,} tiny records in JSONL ({lines.stat().st_size / 1e6:.0f} MB), CLI end to end, one worker "
            f"(4 epochs): {run_seconds:.0f} s, peak {run_peak:.0f} MB (bound {lines_bound:.0f} MB)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results = {
        "tiny_list_mb": list_mb,
        "tiny_list_seconds": seconds,
        "tiny_list_peak_mb": peak,
        "tiny_10m_seconds": run_seconds,
        "tiny_10m_peak_mb": run_peak,
    }
    return results, peak <= list_bound and run_peak <= lines_bound


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "million.jsonl"
    make_file(path)
    size_mb = path.stat().st_size / 1e6
    code = (
        "import sys; from mosaic_core import load_dataset; r = load_dataset(sys.argv[1]); "
        "assert r.report.loaded == 1_000_000, r.report.summary(); print(r.report.summary())"
    )
    seconds, peak, _ = run_measured([python(), "-c", code, str(path)], memory=True)
    print("## Loading: time and the memory bound (2 x input + 500 MB)")
    print(
        f"1,000,000-record JSONL, {size_mb:.0f} MB: {seconds:.1f} s, peak {peak:.0f} MB "
        f"(bound {bound_mb(path):.0f} MB; time target 60 s)"
    )
    long_line = OUT / "long-line.jsonl"
    make_long_line(long_line)
    target = OUT / "long-line-out.jsonl"
    command = [python(), "-m", "mosaic_core", "generate", str(long_line), "-o", str(target), "--force"]
    line_seconds, line_peak, _ = run_measured([*command, "--epochs", "1", "--workers", "1"], memory=True)
    line_mb = long_line.stat().st_size / 1e6
    print(
        f"one {line_mb:.0f} MB line (and 20 small records), CLI end to end: {line_seconds:.1f} s, "
        f"peak {line_peak:.0f} MB (bound {bound_mb(long_line):.0f} MB)"
    )
    results = {"mb": size_mb, "seconds": seconds, "peak_mb": peak, "line_mb": line_mb, "line_peak_mb": line_peak}
    tiny, tiny_within = tiny_records()
    (OUT / "load.json").write_text(json.dumps(results | tiny))
    return 0 if seconds < 60 and peak <= bound_mb(path) and line_peak <= bound_mb(long_line) and tiny_within else 1


if __name__ == "__main__":
    sys.exit(main())
