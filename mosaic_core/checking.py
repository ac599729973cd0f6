"""Verify a whole export (``python -m mosaic_core verify``), reading its manifest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError
from mosaic_core.io.load import load_dataset
from mosaic_core.io.readers import RowError, Source, iter_rows
from mosaic_core.pipeline import manifest_path
from mosaic_core.records import Mosaic, Plan
from mosaic_core.tokenizers import get_tokenizer
from mosaic_core.verify import verify_mosaic

__all__ = ["ExportCheck", "prompt_and_answer", "verify_export"]


@dataclass
class ExportCheck:
    rows: int = 0
    mosaics: int = 0
    passed: int = 0
    originals: int = 0
    failures: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.mosaics > 0 and self.passed == self.mosaics

    def summary(self) -> str:
        text = f"verified {self.mosaics} mosaics: {self.passed} passed, {self.mosaics - self.passed} failed"
        if self.originals:
            text += f" ({self.originals} original samples not checked)"
        if self.mosaics == 0:
            text += "; no mosaic with provenance found (export without --no-provenance)"
        for line in self.failures[:10]:
            text += "\n  " + line
        return text


def prompt_and_answer(row: Mapping[str, Any]) -> tuple[str, str]:
    """The prompt and answer of an exported row, in any of our record formats."""
    if "instruction" in row and "output" in row:
        return str(row["instruction"]), str(row["output"])
    if "prompt" in row and "completion" in row:
        return str(row["prompt"]), str(row["completion"])
    for key, text_key in (("messages", "content"), ("conversations", "value")):
        turns = row.get(key)
        if isinstance(turns, list) and len(turns) == 2:
            return str(turns[0][text_key]), str(turns[1][text_key])
    raise DatasetError(f"a row of unknown shape (keys: {', '.join(sorted(row))})")


def _export_rows(output: Path) -> Iterator[tuple[int, Any]]:
    """Rows of an export: one file, a save_to_disk folder, or a folder of shards (the Ray engine)."""
    shards = []
    if output.is_dir() and not (output / "dataset_info.json").exists():
        shards = sorted(p for p in output.iterdir() if p.suffix in (".json", ".jsonl", ".parquet"))
        if not shards:
            raise DatasetError(f"{output}: a folder without export shards")
    number = 0
    for path in shards or [output]:
        _, rows = iter_rows(Source.from_path(path))
        for _, row in rows:
            number += 1
            yield number, row


def verify_export(output: Path, source: Path | None = None) -> ExportCheck:
    """Check every mosaic row of an export against its plan, recipe and budget."""
    manifest_file = manifest_path(output)
    if not manifest_file.exists():
        raise DatasetError(f"{output}: no manifest ({manifest_file.name}) next to the export")
    try:
        manifest = orjson.loads(manifest_file.read_bytes())
        config = MosaicConfig.from_recipe(manifest["recipe"])
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise DatasetError(f"{manifest_file}: not a Mosaic Studio manifest ({exc})") from None
    library = config.library()
    counter = get_tokenizer(config.tokenizer)
    sources = None
    if source is not None:
        sources = {r.id: r for r in load_dataset(Source.from_path(source)).records}
    check = ExportCheck()
    for number, row in _export_rows(output):
        check.rows += 1
        if isinstance(row, RowError) or not isinstance(row, Mapping):
            check.mosaics += 1
            check.failures.append(f"row {number}: unreadable")
            continue
        raw = row.get("mosaic")
        if isinstance(raw, str):
            raw = orjson.loads(raw)
        if not isinstance(raw, Mapping):
            continue
        if raw.get("strategy") in ("original", "conversation"):
            check.originals += 1
            continue
        check.mosaics += 1
        try:
            prompt, answer = prompt_and_answer(row)
            verdict = verify_mosaic(
                Mosaic(prompt, answer, Plan.from_dict(raw)), library, counter, config.max_tokens, sources
            )
        except DatasetError as exc:
            check.failures.append(f"row {number}: {exc}")
            continue
        if verdict.ok:
            check.passed += 1
        else:
            check.reasons[verdict.problems[0]] += 1
            check.failures.append(f"row {number}: {'; '.join(verdict.problems)}")
    return check
