"""Load a generated 1-million-record JSONL (about 400 MB): time and peak memory."""

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


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "million.jsonl"
    make_file(path)
    size_mb = path.stat().st_size / 1e6
    code = (
        "import sys; from mosaic_core import load_dataset; r = load_dataset(sys.argv[1]); "
        "assert r.report.loaded == 1_000_000, r.report.summary(); print(r.report.summary())"
    )
    seconds, peak, _ = run_measured([python(), "-c", code, str(path)])
    print("## Loading a 1-million-record JSONL")
    print(f"{size_mb:.0f} MB, {RECORDS:,} records: {seconds:.1f} s, peak {peak:.0f} MB (targets: 60 s, 3 GB)")
    (OUT / "load.json").write_text(json.dumps({"mb": size_mb, "seconds": seconds, "peak_mb": peak}))
    return 0 if seconds < 60 and peak < 3000 else 1


if __name__ == "__main__":
    sys.exit(main())
