"""From loaded records to an export on disk with its manifest: shared by the CLI and the app."""

from __future__ import annotations

import hashlib
import random
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mosaic_core import __version__
from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError
from mosaic_core.generate.report import RunReport
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.export import (
    FILE_TYPES,
    RECORD_FORMATS,
    atomic_file,
    export_rows,
    jsonl_line,
    plain_row,
    write_rows,
)
from mosaic_core.io.exported import manifest_path
from mosaic_core.io.load import LoadResult
from mosaic_core.table import SourceTable

__all__ = ["ExportOptions", "ExportSummary", "export_mosaics", "file_sha256", "manifest_path", "parse_originals"]


def parse_originals(text: str | None) -> float:
    """``none``/``all``/a fraction in [0, 1], as the share of source records mixed in.

    >>> parse_originals("all"), parse_originals("0.25"), parse_originals(None)
    (1.0, 0.25, 0.0)
    """
    if text is None or text == "none":
        return 0.0
    if text == "all":
        return 1.0
    try:
        share = float(text)
    except ValueError:
        raise ConfigError(f"originals must be 'all', 'none' or a fraction between 0 and 1, got {text!r}") from None
    if not 0.0 <= share <= 1.0:
        raise ConfigError(f"the originals fraction must be between 0 and 1, got {share}")
    return share


@dataclass(frozen=True)
class ExportOptions:
    record_format: str = "alpaca"
    file_type: str = "jsonl"
    provenance: bool = True
    originals: float = 0.0
    accepted: Collection[int] | None = None
    """Positions of the mosaics to keep (the app's curation); None keeps all."""
    card: bool = False
    llama_factory: bool = False
    workers: int = 1
    """Processes for tokenizing and for generating epochs (CLI and benchmarks; the app uses 1)."""

    def __post_init__(self) -> None:
        if self.record_format not in RECORD_FORMATS:
            raise ConfigError(f"unknown record format {self.record_format!r}; known: {', '.join(RECORD_FORMATS)}")
        if self.file_type not in FILE_TYPES:
            raise ConfigError(f"unknown file type {self.file_type!r}; known: {', '.join(FILE_TYPES)}")


@dataclass
class ExportSummary:
    output: Path
    manifest: Path
    rows: int
    report: RunReport
    manifest_data: dict[str, Any]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_mosaics(
    loaded: LoadResult,
    config: MosaicConfig,
    output: Path,
    options: ExportOptions,
    input_sha256: str | None = None,
    table: SourceTable | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportSummary:
    """Generate every mosaic of ``config`` and write the export, its manifest and extras."""
    if output.exists() and output.is_dir() and options.file_type != "hf":
        raise ConfigError(f"{output} is a folder; give a file name for a {options.file_type} export")
    table = table or SourceTable.build(loaded.records, config.tokenizer, workers=options.workers)
    run = MosaicRun(table, config)
    accepted = None if options.accepted is None else set(options.accepted)
    originals = _originals(loaded, config, options)
    parallel = options.workers > 1 and config.epochs > 1 and options.file_type == "jsonl" and accepted is None
    if parallel:
        rows = _export_in_parallel(run, output, options, originals, progress)
    else:
        positions = iter(range(1 << 62))
        mosaics = (m for m in run.mosaics(progress) if accepted is None or next(positions) in accepted)
        rows = write_rows(
            output, export_rows(mosaics, options.record_format, options.provenance, originals), options.file_type
        )
    report = run.report
    manifest = {
        "tool": "mosaic-studio",
        "version": __version__,
        "recipe": config.to_recipe(),
        "seed": config.seed,
        "input": {
            "name": loaded.report.source,
            "sha256": input_sha256,
            "schema": loaded.report.schema,
            "load_report": loaded.report.to_dict(),
        },
        "export": {
            "file": output.name,
            "record_format": options.record_format,
            "file_type": options.file_type,
            "provenance": options.provenance,
            "originals_share": options.originals,
            "curated": accepted is not None,
            "rows": rows,
        },
        "counts": {
            "sources": report.sources,
            "usable_sources": report.usable,
            "mosaics": report.mosaics,
            "item_slots": report.item_slots,
            "mean_k": round(report.mean_k, 4),
            "mosaics_per_epoch": {str(k): v for k, v in sorted(report.mosaics_per_epoch.items())},
            "plain_samples": report.plain_samples,
            "unusable": len(report.unusable),
        },
        "unusable": [{"id": u.id, "tokens": u.tokens, "reason": u.reason, "epoch": u.epoch} for u in report.unusable],
    }
    target = manifest_path(output)
    with atomic_file(target) as stream:
        stream.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    if options.card:
        from mosaic_core.io.card import write_dataset_card  # noqa: PLC0415

        write_dataset_card(output, manifest)
    if options.llama_factory:
        _write_llama_factory(output, options)
    return ExportSummary(output, target, rows, report, manifest)


def _export_in_parallel(
    run: MosaicRun,
    output: Path,
    options: ExportOptions,
    originals: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None,
) -> int:
    from mosaic_core.generate.parallel import append_part, generate_epochs_in_parallel  # noqa: PLC0415

    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=f".{output.name}.parts.", dir=output.parent) as folder,
        atomic_file(output) as stream,
    ):
        parts = generate_epochs_in_parallel(
            run,
            Path(folder),
            options.record_format,
            options.provenance,
            options.workers,
            progress,
            sink=lambda part: append_part(part, stream),
        )
        rows = sum(part.mosaics + part.plain_samples for part in parts)
        for row in export_rows(run.leftovers(), options.record_format, options.provenance, originals):
            stream.write(jsonl_line(row))
            rows += 1
    return rows


def _originals(loaded: LoadResult, config: MosaicConfig, options: ExportOptions) -> list[dict[str, Any]]:
    records = loaded.records
    chosen: list[int] = []
    if options.originals >= 1.0:
        chosen = list(range(len(records)))
    elif options.originals > 0.0:
        picker = random.Random(config.seed)
        chosen = sorted(picker.sample(range(len(records)), round(len(records) * options.originals)))
    rows = []
    for i in chosen:
        row = plain_row(records[i].prompt_text, records[i].response_text, options.record_format)
        if options.provenance:
            row["mosaic"] = {"strategy": "original", "source_ids": [records[i].id]}
        rows.append(row)
    for record_id, turns in loaded.conversations:
        row = plain_row("", "", options.record_format, turns)
        if options.provenance:
            row["mosaic"] = {"strategy": "conversation", "source_ids": [record_id]}
        rows.append(row)
    return rows


def _write_llama_factory(output: Path, options: ExportOptions) -> None:
    columns: dict[str, dict[str, Any]] = {
        "alpaca": {
            "formatting": "alpaca",
            "columns": {"prompt": "instruction", "query": "input", "response": "output"},
        },
        "sharegpt": {
            "formatting": "sharegpt",
            "columns": {"messages": "conversations"},
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"},
        },
        "messages": {
            "formatting": "sharegpt",
            "columns": {"messages": "messages"},
            "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"},
        },
        "prompt_completion": {"formatting": "alpaca", "columns": {"prompt": "prompt", "response": "completion"}},
    }
    entry = {output.stem: {"file_name": output.name, **columns[options.record_format]}}
    with atomic_file(output.with_name("dataset_info.json")) as stream:
        stream.write(orjson.dumps(entry, option=orjson.OPT_INDENT_2) + b"\n")
