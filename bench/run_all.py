"""`make bench`: every benchmark in one run; see BENCHMARKS.md for recorded figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_engine.py",
    "bench_reference.py",
    "bench_app.py",
    "bench_stats.py",
    "bench_load.py",
    "bench_verify.py",
    "bench_languages.py",
    "bench_ray.py",
]


def main() -> int:
    failures = []
    for script in SCRIPTS:
        if not (HERE / script).exists():
            continue
        print(f"\n### {script}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script)], cwd=HERE.parent, check=False)
        if done.returncode != 0:
            failures.append(script)
    if failures:
        print(f"\nover target or failed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
