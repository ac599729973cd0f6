"""Generate on Ray Data: the spec's walk run independently per block, across a cluster.

The records come from the same loader as the local engine (same ids, same load
report). Token counts of every source are computed once, in parallel on Ray,
and kept with the dataset across epochs. Each epoch is a global random shuffle
on Ray, then the walk of the specification over each block on its own, with
generators derived from (seed, epoch, block): a run is reproducible for a fixed
block layout, and an item never waits for another block. Shards are written by
Ray Data; the manifest is built as for the local engine. Ray is optional:
``requirements-ray.txt``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError, DatasetError
from mosaic_core.generate.languages import Languages
from mosaic_core.generate.report import RunReport, Unusable
from mosaic_core.generate.sources import Sources, sort_sources
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.export import mosaic_row
from mosaic_core.io.guard import export_lock
from mosaic_core.io.journal import Pair, staging_folder
from mosaic_core.io.load import LoadResult
from mosaic_core.io.manifest import build_manifest, write_manifest
from mosaic_core.io.rows import RowShape
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.text.chinese import SIMPLIFIED, main_script
from mosaic_core.text.language import AUTO, CONFIDENT, confident_main, raw_labels, settle
from mosaic_core.tokenize.registry import get_tokenizer

__all__ = ["RayResult", "generate_on_ray"]


def _ray() -> Any:
    try:
        import ray  # noqa: PLC0415
        import ray.data  # noqa: PLC0415
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install -r requirements-ray.txt") from None
    return ray


@dataclass
class RayResult:
    output: Path
    manifest: Path
    report: RunReport
    manifest_data: dict[str, Any]


@dataclass(frozen=True)
class _Rows:
    """What each epoch's rows are: their format and file type, the dataset's main language ("" if fixed) and the
    script of its Chinese (``text/chinese.py``)."""

    record_format: str
    provenance: bool
    file_type: str
    main: str
    chinese: str


def _derived(*parts: object) -> int:
    """A 63-bit seed from several values (stable across processes, unlike hash())."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _count(batch: Any, tokenizer: str, detect: bool) -> dict[str, list[Any]]:
    """Each text's token count, and its language's label if asked (computed here, once, on a Ray worker)."""
    counter = get_tokenizer(tokenizer)
    columns: dict[str, list[Any]] = batch.to_pydict()
    columns["prompt_tokens"] = counter.count_many(columns["prompt"])
    columns["response_tokens"] = counter.count_many(columns["response"])
    labels = raw_labels(columns["heard"]) if detect else [("", 0.0)] * len(columns["prompt"])
    columns["label"] = [label for label, _ in labels]
    columns["label_p"] = [p for _, p in labels]
    return columns


def _sources(
    loaded: LoadResult, config: MosaicConfig, rows: list[dict[str, Any]], settled: list[str] | None, main: str
) -> Sources:
    """The items the walk may use and the ones left out, decided as the local engine decides, from Ray's counts."""
    counts = [r["prompt_tokens"] for r in rows] + [r["response_tokens"] for r in rows]
    table = SourceTable.from_counts(loaded.records, get_tokenizer(config.tokenizer), counts)
    if settled is not None:
        table.set_languages(settled, main)
    library = config.library()
    return sort_sources(table, config, Languages.of(table, config, library), library)


def _walk_block(
    batch: Any, recipe: dict[str, Any], epoch: int, record_format: str, provenance: bool, main: str, chinese: str
) -> dict[str, list[Any]]:
    """The walk over one shuffled block; rows of the export plus bookkeeping columns."""
    data = batch.to_pydict()
    records = [SourceRecord(i, p, "", r) for i, p, r in zip(data["id"], data["prompt"], data["response"], strict=True)]
    out: dict[str, list[Any]] = {"row": [], "k": [], "unusable": [], "strategy": [], "rule": [], "language": []}
    if not records:
        return out
    base = MosaicConfig.from_recipe(recipe)
    # The driver has kept the items that speak to the conversation out already (from their instruction alone).
    seed = _derived(base.seed, epoch, records[0].id)
    config = MosaicConfig.from_recipe(recipe, seed=seed, epochs=1, conversation_items="mix")
    table = SourceTable.from_counts(
        records, get_tokenizer(config.tokenizer), list(data["prompt_tokens"]) + list(data["response_tokens"])
    )
    # Languages are settled against the whole dataset's main language and Chinese script, not the block's.
    table.set_languages(settle(list(zip(data["label"], data["label_p"], strict=True)), main, chinese), main)
    run = MosaicRun(table, config)
    shape = RowShape(record_format, provenance)
    for mosaic in run.walk(epoch, order=list(range(len(records)))):
        out["row"].append(orjson.dumps(mosaic_row(mosaic, shape)).decode())
        out["k"].append(mosaic.plan.k)
        out["unusable"].append("")
        out["strategy"].append(mosaic.plan.strategy)
        out["rule"].append(mosaic.plan.rule or "")
        out["language"].append(mosaic.plan.language)
    for item in run.report.unusable:
        out["row"].append("")
        out["k"].append(0)
        out["unusable"].append(orjson.dumps(item.to_dict()).decode())
        out["strategy"].append("")
        out["rule"].append("")
        out["language"].append("")
    return out


def _export_row(item: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = orjson.loads(item["row"])
    return row


def _start(ray: Any, address: str) -> None:
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    if not ray.is_initialized():
        ray.init(
            address=None if address == "local" else address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
            ignore_reinit_error=True,
            runtime_env={"env_vars": {"TIKTOKEN_CACHE_DIR": os.environ.get("TIKTOKEN_CACHE_DIR", "")}},
        )


def generate_on_ray(
    loaded: LoadResult,
    output: Path,
    config: MosaicConfig,
    record_format: str = "alpaca",
    provenance: bool = True,
    file_type: str = "jsonl",
    address: str = "local",
    blocks: int | None = None,
    input_sha256: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> RayResult:
    """Generate every epoch of ``loaded`` on Ray and write sharded files into the folder ``output``."""
    if file_type not in ("jsonl", "parquet"):
        raise ConfigError(f"the Ray engine writes jsonl or parquet shards, not {file_type!r}")
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise ConfigError(f"{output} is not an empty folder; the Ray engine writes shards into a new folder")
    if loaded.conversations:
        raise ConfigError("the Ray engine does not write whole conversations (--multi-turn keep); use --engine local")
    if loaded.report.system_prompts or loaded.report.tools:
        raise ConfigError(
            "the Ray engine does not carry system prompts or tools to the export yet; use --engine local, "
            "which keeps them"
        )
    if not loaded.records:
        raise DatasetError(f"{loaded.report.source}: holds no usable records")
    ray = _ray()
    from ray.data.expressions import col, lit  # noqa: PLC0415

    _start(ray, address)
    say = progress or (lambda _: None)
    say("counting tokens")
    rows = [
        {"id": r.id, "prompt": r.prompt_text, "response": r.response_text, "heard": r.language_text}
        for r in loaded.records
    ]
    report = RunReport(sources=len(rows))
    detect = config.meta_language == AUTO
    counted = (
        # Blocks of up to 100,000 records, laid out the same on every run: the shuffle, and so the output,
        # depend on the block layout (one row per block, Ray's default here, would also walk one item at a time).
        ray.data.from_items(rows, override_num_blocks=-(-len(rows) // 100_000))
        .map_batches(_count, batch_format="pyarrow", fn_kwargs={"tokenizer": config.tokenizer, "detect": detect})
        .materialize()
    )
    main, settled, chinese = "", None, SIMPLIFIED
    columns = ["id", "prompt_tokens", "response_tokens", "label", "label_p"]
    by_id = {r["id"]: r for r in counted.select_columns(columns).iter_rows()}
    ordered = [by_id[record.id] for record in loaded.records]
    if detect:
        confident = counted.filter(expr=col("label_p") >= lit(CONFIDENT)).groupby("label").count().take_all()
        main = confident_main((row["label"], 1.0) for row in confident for _ in range(row["count()"]))
        chinese = main_script(r["label"] for r in ordered)
        settled = settle([(r["label"], r["label_p"]) for r in ordered], main, chinese)
        report.source_languages = dict(Counter(settled))
    sources = _sources(loaded, config, ordered, settled, main)
    report.usable, report.unusable = len(sources.usable), sources.unusable
    report.conversation_items = sources.conversation
    keep = [loaded.records[i].id for i in sources.usable]
    usable = counted.filter(expr=col("id").is_in(keep)).materialize()
    # Shards are written in a staging folder beside the output, which moves into place with the manifest
    # (``io/journal.py``): an error or Ctrl-C on the way leaves nothing behind, and a run killed outright
    # leaves a ``.NAME.XXXXXXXX`` folder that the next export to the same path removes.
    with export_lock(output):
        pair = Pair(output)
        staging = staging_folder(output)
        (staging / "data").mkdir()
        try:
            rows_of = _Rows(record_format, provenance, file_type, main, chinese)
            _write_epochs(usable, staging / "data", config, report, rows_of, blocks, say)
            pair.folder(staging / "data", output)
            export = {
                "file": output.name,
                "record_format": record_format,
                "file_type": file_type,
                "provenance": provenance,
                "originals_share": 0.0,
                "curated": False,
                "rows": report.mosaics,
            }
            engine = {"name": "ray", "address": address, "blocks": blocks}
            manifest = build_manifest(config, loaded.report, input_sha256, report, export, engine)
            written = write_manifest(output, manifest, pair)
            pair.commit()
        finally:
            pair.discard()
            shutil.rmtree(staging, ignore_errors=True)
    return RayResult(output, written, report, manifest)


def _write_epochs(
    usable: Any,
    folder: Path,
    config: MosaicConfig,
    report: RunReport,
    rows: _Rows,
    blocks: int | None,
    say: Callable[[str], None],
) -> None:
    """Walk and write every epoch of the counted ``usable`` items into ``folder``, counting into ``report``."""
    from ray.data.expressions import col, lit  # noqa: PLC0415

    for epoch in range(config.epochs):
        say(f"epoch {epoch + 1} of {config.epochs}")
        shuffled = usable.random_shuffle(seed=_derived(config.seed, epoch) % (2**32))
        if blocks:
            shuffled = shuffled.repartition(blocks)
        walked = shuffled.map_batches(
            _walk_block,
            batch_size=None,
            batch_format="pyarrow",
            fn_kwargs={
                "recipe": config.to_recipe(),
                "epoch": epoch,
                "record_format": rows.record_format,
                "provenance": rows.provenance,
                "main": rows.main,
                "chinese": rows.chinese,
            },
        ).materialize()
        # Count and write one epoch at a time, so only one epoch's output is ever held.
        for r in walked.filter(expr=col("unusable") != lit("")).iter_rows():
            report.unusable.append(Unusable(**orjson.loads(r["unusable"])))
        made = walked.filter(expr=col("row") != lit(""))
        report.mosaics_per_epoch[epoch] = made.count()
        report.mosaics += report.mosaics_per_epoch[epoch]
        report.item_slots += int(made.sum("k") or 0)
        for r in made.select_columns(["strategy", "rule", "language"]).iter_rows():
            report.count(r["strategy"], r["rule"] or None, r["language"])
        shards = made.map(_export_row)
        if rows.file_type == "jsonl":
            shards.write_json(str(folder), force_ascii=False)
        else:
            shards.write_parquet(str(folder))
        del walked, made, shards
