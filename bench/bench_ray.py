"""Ray Data against the local engine: agreement on Alpaca 52k, and 1 epoch of a 1-million-record JSONL."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_load import make_file
from bench.measure import OUT, SHARED, python, run_measured


def generate(engine: str, source: Path, name: str, epochs: int) -> tuple[float, float, dict]:
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    target.with_name(target.name + ".manifest.json").unlink(missing_ok=True)
    command = [python(), "-m", "mosaic_core", "generate", str(source), "-o", str(target), "--epochs", str(epochs)]
    if engine == "ray":
        command += ["--engine", "ray"]
    seconds, peak, _ = run_measured(command)
    manifest = json.loads(target.with_name(target.name + ".manifest.json").read_text())
    return seconds, peak, manifest["counts"]


def main() -> int:
    try:
        import ray  # noqa: F401
    except ImportError:
        print("skipped: Ray is not installed (requirements-ray.txt)")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    status = 0
    alpaca = SHARED / "alpaca_cleaned_52k.json"
    if alpaca.exists():
        lines = OUT / "alpaca.jsonl"
        if not lines.exists():
            lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in json.loads(alpaca.read_text())))
        print("## Ray Data against the local engine")
        results = {engine: generate(engine, lines, f"agree-{engine}", 2) for engine in ("local", "ray")}
        local, remote = results["local"][2], results["ray"][2]
        off_count = remote["mosaics"] / local["mosaics"] - 1
        off_mean = remote["mean_k"] / local["mean_k"] - 1
        print(
            f"Alpaca 52k, 2 epochs: local {local['mosaics']:,} mosaics (mean k {local['mean_k']:.3f}), "
            f"Ray {remote['mosaics']:,} (mean k {remote['mean_k']:.3f}): {off_count:+.2%} / {off_mean:+.2%} (target 2%)"
        )
        status |= int(abs(off_count) > 0.02 or abs(off_mean) > 0.02)
    million = OUT / "million.jsonl"
    make_file(million)
    for engine in ("local", "ray"):
        seconds, peak, counts = generate(engine, million, f"million-{engine}", 1)
        print(f"1M records, 1 epoch, {engine}: {seconds:.1f} s, peak {peak:.0f} MB, {counts['mosaics']:,} mosaics")
    return status


if __name__ == "__main__":
    sys.exit(main())
