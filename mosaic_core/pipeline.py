"""From loaded records to an export on disk with its manifest: shared by the CLI and the app."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError, DatasetError
from mosaic_core.generate.report import RunReport
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.digest import file_sha256
from mosaic_core.io.export import FILE_TYPES, RECORD_FORMATS, export_rows, jsonl_line, original_rows, write_rows
from mosaic_core.io.exported import manifest_path
from mosaic_core.io.guard import check_output, export_lock, finish_interrupted
from mosaic_core.io.journal import Pair
from mosaic_core.io.licenses import check_license
from mosaic_core.io.load import LoadResult, load_dataset
from mosaic_core.io.manifest import build_manifest, write_manifest
from mosaic_core.io.rows import Losses, RowShape
from mosaic_core.io.schemas import ColumnMapping
from mosaic_core.io.source import Source
from mosaic_core.io.trainers import (
    LLAMA_FACTORY_TOOLS,
    check_llama_factory,
    trainer_notes,
    write_llama_factory,
    write_trainer_configs,
)
from mosaic_core.table import SourceTable
from mosaic_core.text.language import AUTO

__all__ = [
    "ExportOptions",
    "ExportSummary",
    "Job",
    "export_mosaics",
    "file_sha256",
    "manifest_path",
    "run_job",
]


@dataclass(frozen=True)
class ExportOptions:
    record_format: str = "alpaca"
    file_type: str = "jsonl"
    provenance: bool = True
    originals: float = 0.0
    accepted: Collection[int] | None = None
    """Positions of the mosaics to keep (the app's curation); None keeps all."""
    rejected: Collection[int] | None = None
    """Positions of the mosaics to leave out (the app's curation)."""
    card: bool = False
    llama_factory: bool = False
    trainer_configs: bool = False
    """Write a LLaMA-Factory entry, an axolotl datasets block and (messages, prompt_completion) a TRL script."""
    license: str | None = None
    """The source's license id for the dataset card (unknown when None)."""
    workers: int = 1
    """Processes for tokenizing and for generating epochs (CLI and benchmarks; the app uses 1)."""
    force: bool = False
    """Replace an existing file or folder that is not an earlier export (``io/guard.py``)."""

    def __post_init__(self) -> None:
        if self.record_format not in RECORD_FORMATS:
            raise ConfigError(f"unknown record format {self.record_format!r}; known: {', '.join(RECORD_FORMATS)}")
        if self.file_type not in FILE_TYPES:
            raise ConfigError(f"unknown file type {self.file_type!r}; known: {', '.join(FILE_TYPES)}")
        if self.license is not None:
            check_license(self.license)


@dataclass
class ExportSummary:
    output: Path
    manifest: Path
    rows: int
    report: RunReport
    manifest_data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    """What was left alone or worth a word (a README.md that is not our card)."""


def export_mosaics(
    loaded: LoadResult,
    config: MosaicConfig,
    output: Path,
    options: ExportOptions,
    input_sha256: str | None = None,
    table: SourceTable | None = None,
    progress: Callable[[int, int], None] | None = None,
    input_path: Path | None = None,
) -> ExportSummary:
    """Generate every mosaic of ``config`` and write the export, its manifest and extras.

    Nothing that is not an earlier export is replaced without ``options.force`` (``io/guard.py``), one
    export at a time writes a path, and data and manifest move into place as one pair (``io/journal.py``).
    """
    finish_interrupted(output)
    check_output(output, options.file_type, options.force, [input_path] if input_path is not None else [])
    if options.llama_factory or options.trainer_configs:  # its registry is read before the export is written
        check_llama_factory(output, options.file_type, options.force)
    with export_lock(output):
        pair = Pair(output)
        try:
            return _export(loaded, config, output, options, input_sha256, table, progress, pair)
        finally:
            pair.discard()


def _export(
    loaded: LoadResult,
    config: MosaicConfig,
    output: Path,
    options: ExportOptions,
    input_sha256: str | None,
    table: SourceTable | None,
    progress: Callable[[int, int], None] | None,
    pair: Pair,
) -> ExportSummary:
    detect = config.meta_language == AUTO
    table = table or SourceTable.build(loaded.records, config.tokenizer, workers=options.workers, languages=detect)
    run = MosaicRun(table, config)
    accepted = None if options.accepted is None else set(options.accepted)
    rejected = set(options.rejected or ())
    shape = RowShape.of(options.record_format, options.provenance, loaded)
    losses = Losses()
    originals = original_rows(loaded, options.originals, config.seed, shape, losses)
    parallel = options.workers > 1 and config.epochs > 1 and options.file_type == "jsonl" and accepted is None
    parallel = parallel and not rejected
    made = [0, 0]  # the run's mosaics, and those the curation left out
    if parallel:
        rows = _export_in_parallel(run, output, options.workers, shape, originals, progress, pair)
    else:

        def kept(_: object) -> bool:
            position = made[0]
            made[0] += 1
            keep = (accepted is None or position in accepted) and position not in rejected
            made[1] += not keep
            return keep

        mosaics = filter(kept, run.mosaics(progress))
        rows = write_rows(output, export_rows(mosaics, shape, originals), options.file_type, shape, pair)
    if rows == 0 and made[0]:  # the curation kept nothing: the pair is discarded, nothing is left
        raise DatasetError("nothing to export: the curation kept no mosaic of this run")
    if options.record_format == "prompt_completion":  # no place for a mosaic's system prompt or tools
        losses.add("system_prompts", run.report.with_system)
        losses.add("tools", run.report.with_tools)
    left_out = sorted(rejected) if rejected and accepted is None else None
    export = {
        "file": output.name,
        "record_format": options.record_format,
        "file_type": options.file_type,
        "provenance": options.provenance,
        "originals_share": options.originals,
        "curated": accepted is not None or bool(rejected),
        "left_out": made[1],
        "curation": {"accepted": None if accepted is None else sorted(accepted), "rejected": left_out},
        "sidecars": {key: getattr(options, key) for key in ("card", "llama_factory", "trainer_configs", "license")},
        "rows": rows,
        "columns": shape.columns,
        "not_carried": losses.to_dict(),
        "mixed_contexts_dropped": run.report.contexts_dropped,
        "sha256": pair.sha256(output),
    }
    manifest = build_manifest(config, loaded.report, input_sha256, run.report, export, {"name": "local"})
    target = write_manifest(output, manifest, pair)
    pair.commit()
    notes = []
    if rows == 0:
        notes.append("no item could join a mosaic: the export is empty, and its manifest lists why")
    named = (accepted or set()) | rejected
    if named and max(named) >= made[0]:
        missing = sum(position >= made[0] for position in named)
        notes.append(f"{missing:,} curated positions name no mosaic: this run made {made[0]:,}")
    if options.card:
        from mosaic_core.io.card import write_dataset_card  # noqa: PLC0415

        if write_dataset_card(output, manifest, options.license) is None:
            notes.append(f"{output.with_name('README.md')} is not a card of ours; it was left alone")
        elif not options.license:
            notes.append("the card's license is unknown: give the source's license with --license (e.g. cc-by-4.0)")
    if options.trainer_configs:
        _, left = write_trainer_configs(output, shape, options.file_type)
        notes += [f"{path} is not a file of ours; it was left alone" for path in left]
        notes += trainer_notes(shape, any(r == "function_call" for c in loaded.conversations for r, _ in c.turns))
    elif options.llama_factory:
        write_llama_factory(output, shape, options.file_type)
        notes += [LLAMA_FACTORY_TOOLS] if shape.record_format == "messages" and shape.tool_calls else []
    for kind, count in losses.to_dict().items():
        notes.append(f"{count:,} {Losses.SAID[kind]} (counted in the manifest's export.not_carried)")
    notes += run.report.notes()
    return ExportSummary(output, target, rows, run.report, manifest, notes)


def _export_in_parallel(
    run: MosaicRun,
    output: Path,
    workers: int,
    shape: RowShape,
    originals: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None,
    pair: Pair,
) -> int:
    from mosaic_core.generate.parallel import append_part, generate_epochs_in_parallel  # noqa: PLC0415

    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=f".{output.name}.parts.", dir=output.parent) as folder,
        pair.file(output) as stream,
    ):
        parts = generate_epochs_in_parallel(
            run,
            Path(folder),
            shape,
            workers,
            progress,
            sink=lambda part: append_part(part, stream),
        )
        rows = sum(part.report.mosaics + part.report.plain_samples for part in parts)
        for row in export_rows(run.leftovers(), shape, originals):
            stream.write(jsonl_line(row))
            rows += 1
    return rows


@dataclass(frozen=True)
class Job:
    """Everything one run needs: where from, how to load, the recipe, where to and how to write."""

    source: Source
    output: Path
    config: MosaicConfig
    options: ExportOptions = ExportOptions()
    mapping: ColumnMapping | None = None
    on_invalid: str = "skip"
    multi_turn: str = "first"
    chat_leftovers: str = "keep"
    engine: str = "local"
    ray_address: str = "local"
    blocks: int | None = None
    replaying: str | None = None
    """The sha256 of the input a replayed manifest was made from."""


def run_job(
    job: Job,
    loading: Callable[[int, int], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    say: Callable[[str], None] | None = None,
) -> tuple[LoadResult, ExportSummary]:
    """The one pipeline: load, build the table, walk, compose, export (on the local engine or Ray).

    ``loading`` and ``progress`` get ``(done, total)`` while loading and generating; ``say`` gets
    short messages (the load summary, Ray's steps).
    """
    if job.engine not in ("local", "ray"):
        raise ConfigError(f"unknown engine {job.engine!r}; known: local, ray")
    path = job.source.path
    if job.engine == "local":  # before reading anything: the output must be ours to write
        finish_interrupted(job.output)
        check_output(job.output, job.options.file_type, job.options.force, [path] if path is not None else [])
    loaded = load_dataset(
        job.source, job.mapping, job.on_invalid, job.multi_turn, progress=loading, chat_leftovers=job.chat_leftovers
    )
    if say is not None:
        say(loaded.report.summary())
    digest = file_sha256(path) if path is not None and path.is_file() else None
    notes = []
    if digest is not None and job.replaying not in (None, digest):
        notes.append(f"the input differs from the manifest's (sha256 {digest}): its recipe is replayed on other data")
    if job.engine == "local":
        summary = export_mosaics(
            loaded, job.config, job.output, job.options, digest, progress=progress, input_path=path
        )
        summary.notes[:0] = notes
        return loaded, summary
    from mosaic_core.generate.on_ray import generate_on_ray  # noqa: PLC0415  (Ray is optional)

    options = job.options
    result = generate_on_ray(
        loaded,
        job.output,
        job.config,
        record_format=options.record_format,
        provenance=options.provenance,
        file_type=options.file_type,
        address=job.ray_address,
        blocks=job.blocks,
        input_sha256=digest,
        progress=say,
    )
    return loaded, ExportSummary(
        result.output, result.manifest, result.report.mosaics, result.report, result.manifest_data, notes
    )
