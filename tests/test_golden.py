"""Fresh mosaics of the demo dataset equal the golden file, line for line."""

from __future__ import annotations

import json
from typing import Any

from mosaic_core.config import MosaicConfig
from mosaic_core.records import Mosaic, Plan
from mosaic_core.tokenize.registry import get_tokenizer
from mosaic_core.verify.mosaic import verify_mosaic
from tests.golden.make_golden import BUDGET, CASES, GOLDEN, golden_lines

REGENERATE = (
    "If this change of output is intended, regenerate the file with "
    "`.venv/bin/python -m tests.golden.make_golden` and review `git diff tests/golden/mosaics.jsonl`."
)


def differences(was: dict[str, Any], now: dict[str, Any], prefix: str = "") -> list[tuple[str, str, str]]:
    """The fields (plan fields one level down) whose values differ, each value shortened for the message."""
    found = []
    for key in sorted(was.keys() | now.keys()):
        a, b = was.get(key), now.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            found += differences(a, b, f"{prefix}{key}.")
        else:
            found.append((prefix + key, repr(a)[:200], repr(b)[:200]))
    return found


class TestGolden:
    def test_fresh_generation_equals_the_golden_file(self) -> None:
        """Every mosaic, its prompt, answer and plan, is byte for byte the one recorded in the golden file."""
        recorded = GOLDEN.read_text(encoding="utf-8").splitlines()
        fresh = golden_lines()
        for index, (old, new) in enumerate(zip(recorded, fresh, strict=False)):
            if old != new:
                was, now = json.loads(old), json.loads(new)
                changes = "\n".join(f"  {name}: recorded {a}, fresh {b}" for name, a, b in differences(was, now))
                where = f"golden line {index + 1} ({was['case']}, mosaic {was['position']})"
                raise AssertionError(f"{where} differs:\n{changes}\n{REGENERATE}")
        assert len(recorded) == len(fresh), f"{len(recorded)} golden lines, {len(fresh)} generated. {REGENERATE}"

    def test_golden_file_covers_every_case(self) -> None:
        """The file holds each case's mosaics, numbered from 0, with several rules among them."""
        rows = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
        assert [(r["case"], r["position"]) for r in rows] == [(c.name, p) for c in CASES for p in range(c.count)]
        assert len({r["plan"]["rule"] for r in rows}) >= 6

    def test_golden_mosaics_verify(self) -> None:
        """The recorded mosaics pass the verifier, token counts and budget included."""
        library = MosaicConfig().library()
        cases = {case.name: case for case in CASES}
        for line in GOLDEN.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            plan = Plan.from_dict(row["plan"])
            counter = get_tokenizer(cases[row["case"]].tokenizer)
            verdict = verify_mosaic(Mosaic(row["prompt"], row["answer"], plan), library, counter, BUDGET)
            assert verdict.ok, (row["case"], row["position"], verdict.problems)
