"""Memory bounds of loading: a generated 1-million-record JSONL (about 490 MB), and one 500 MB line.

The bound the README documents: a JSONL input peaks at most at 2 x its size + 500 MB (MEMORY_FACTOR and
MEMORY_BASE in mosaic_core/io/source.py, which refuses up front an input that would not fit).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, python, run_measured

RECORDS = 1_000_000
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
    (OUT / "load.json").write_text(json.dumps(results))
    return 0 if seconds < 60 and peak <= bound_mb(path) and line_peak <= bound_mb(long_line) else 1


if __name__ == "__main__":
    sys.exit(main())
