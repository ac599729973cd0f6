"""Verify a whole export (``python -m mosaic_core verify``), reading its manifest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError
from mosaic_core.io.digest import file_sha256
from mosaic_core.io.exported import (
    context_of,
    iter_export_rows,
    manifest_path,
    plan_of,
    prompt_and_answer,
    read_manifest,
)
from mosaic_core.io.guard import finish_interrupted
from mosaic_core.io.load import LEFTOVER_POLICIES, MULTI_TURN_POLICIES, LoadResult, load_dataset
from mosaic_core.io.schemas import ColumnMapping
from mosaic_core.io.source import RowError, Source
from mosaic_core.records import Mosaic, Plan
from mosaic_core.tokenize.registry import get_tokenizer
from mosaic_core.verify.mosaic import verify_mosaic
from mosaic_core.verify.prompt import CHECKS

__all__ = ["ExportCheck", "verify_export"]


@dataclass
class ExportCheck:
    rows: int = 0
    mosaics: int = 0
    passed: int = 0
    originals: int = 0
    failures: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    failed_checks: Counter[str] = field(default_factory=Counter)
    """Mosaics that failed each named check (``prompt.CHECKS``); a mosaic may fail several."""
    languages: Counter[str] = field(default_factory=Counter)
    """Mosaics checked per meta-instruction language."""
    failed_languages: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.mosaics > 0 and self.passed == self.mosaics

    def summary(self) -> str:
        text = f"verified {self.mosaics} mosaics: {self.passed} passed, {self.mosaics - self.passed} failed"
        if self.originals:
            text += f" ({self.originals} original samples not checked)"
        if self.mosaics == 0:
            text += (
                "; no row carries provenance, which verify reads (an export made with --no-provenance cannot be "
                "checked: generate it again without that flag)"
            )
        else:
            text += "\nchecks: " + ", ".join(f"{name} {self.failed_checks[name]} failed" for name in CHECKS)
            if self.languages:
                text += "\nby language: " + ", ".join(
                    f"{code} {count} ({self.failed_languages[code]} failed)"
                    for code, count in self.languages.most_common()
                )
        for line in self.failures[:10]:
            text += "\n  " + line
        return text


def _load_as_exported(source: Path, manifest: Mapping[str, Any]) -> LoadResult:
    """The source read as the export read it: with the split, column mapping, multi-turn policy and chat leftovers
    its manifest records, so that ids and texts are the ones the mosaics were made from."""
    given = manifest.get("input")
    report = given.get("load_report") if isinstance(given, Mapping) else None
    report = report if isinstance(report, Mapping) else {}
    split = report.get("split") if isinstance(report.get("split"), str) else None
    policy = report.get("multi_turn_policy")
    mapped = report.get("mapping")
    mapping = None
    if isinstance(mapped, Mapping):
        try:
            mapping = ColumnMapping(**{k: v for k, v in mapped.items() if isinstance(v, str)})
        except TypeError:
            raise DatasetError(f"the manifest's column mapping {dict(mapped)!r} is not one the loader took") from None
    multi_turn = policy if policy in MULTI_TURN_POLICIES else "first"
    leftovers = report.get("chat_leftovers_policy")
    leftovers = leftovers if leftovers in LEFTOVER_POLICIES else "keep"
    return load_dataset(Source.from_path(source, split), mapping, multi_turn=multi_turn, chat_leftovers=leftovers)


def verify_export(output: Path, source: Path | None = None, manifest_file: Path | None = None) -> ExportCheck:
    """Check every mosaic row of an export against its plan, recipe and budget.

    With ``manifest_file``, ``output`` may be a copy of the export in another file or file type (a round trip
    through ``datasets``): its bytes are not compared, but its row count is.
    """
    finish_interrupted(output)  # a pair a killed export left half moved is completed (or undone) first
    manifest = read_manifest(output, file=manifest_file)
    if not isinstance(manifest.get("recipe"), Mapping):
        raise DatasetError(f"{manifest_file or manifest_path(output)}: not a Mosaic Studio manifest (no recipe)")
    export: Mapping[str, Any] = manifest["export"] if isinstance(manifest.get("export"), Mapping) else {}
    recorded = export.get("sha256")
    beside = manifest_file is None
    changed = beside and isinstance(recorded, str) and output.is_file() and file_sha256(output) != recorded
    config = MosaicConfig.from_recipe(manifest["recipe"])
    library = config.library()
    counter = get_tokenizer(config.tokenizer)
    sources = None
    if source is not None:
        sources = {r.id: r for r in _load_as_exported(source, manifest).records}
    provenance = export.get("provenance") is True
    check = ExportCheck()
    for number, row in iter_export_rows(output):
        check.rows += 1
        if isinstance(row, RowError) or not isinstance(row, Mapping):
            check.mosaics += 1
            check.failures.append(f"row {number}: unreadable")
            check.failed_checks["layout"] += 1
            continue
        raw = plan_of(row)
        if raw is None:
            if provenance:  # every row of such an export carries its plan: one without it cannot be checked
                check.mosaics += 1
                check.failures.append(f"row {number}: its provenance (the mosaic field) is missing or not an object")
                check.failed_checks["layout"] += 1
            continue
        if raw.get("strategy") in ("original", "conversation"):
            check.originals += 1
            continue
        check.mosaics += 1
        language = str(raw.get("language", "en"))
        check.languages[language] += 1
        try:
            mosaic = Mosaic(*prompt_and_answer(row), Plan.from_dict(raw), *context_of(row))
            verdict = verify_mosaic(mosaic, library, counter, config.max_tokens, sources)
        except DatasetError as exc:
            check.failures.append(f"row {number}: {exc}")
            check.failed_checks["layout"] += 1
            check.failed_languages[language] += 1
            continue
        if verdict.ok:
            check.passed += 1
        else:
            check.failed_languages[language] += 1
            check.reasons[verdict.problems[0]] += 1
            check.failed_checks.update(set(verdict.failed))
            check.failures.append(f"row {number}: {'; '.join(verdict.problems)}")
    expected = export.get("rows")
    if manifest_file is not None and isinstance(expected, int) and expected != check.rows:
        check.failures.insert(0, f"{check.rows} rows, but the manifest describes {expected}: rows were lost or added")
        check.failed_checks["layout"] += 1
        check.passed = max(min(check.passed, check.mosaics - 1), 0)
    if changed:
        if check.ok:  # every row reads well, yet these are not the bytes the manifest describes
            raise DatasetError(
                f"{output} is not the data its manifest describes (sha256 differs): the export was interrupted "
                "or the file changed since; generate it again"
            )
        check.failures.insert(0, "the file's sha256 differs from its manifest's: it was changed after the export")
    return check
