"""Generate on Ray Data: the spec's walk run independently per block, across a cluster.

Each epoch is a global random shuffle on Ray, then the walk of the
specification over each block on its own, with generators derived from
(seed, epoch, block): a run is reproducible for a fixed block layout, and an
item never waits for another block. Token counts of every source are computed
once, in parallel, and kept with the dataset across epochs. Input and output are
sharded JSONL or Parquet read and written by Ray Data; the manifest covers the
whole run as for the local engine. Ray is optional: ``requirements-ray.txt``.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mosaic_core import __version__
from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError, DatasetError
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.export import atomic_file, mosaic_row, provenance_as_text
from mosaic_core.io.exported import manifest_path
from mosaic_core.io.schemas import ColumnMapping, Problem, detect_schema, extract
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
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
    mosaics: int
    item_slots: int
    unusable: int
    manifest_data: dict[str, Any]

    @property
    def mean_k(self) -> float:
        return self.item_slots / self.mosaics if self.mosaics else 0.0


def _derived(*parts: object) -> int:
    """A 63-bit seed from several values (stable across processes, unlike hash())."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _normalize(batch: Any, schema: str, mapping: dict[str, str | None] | None, tokenizer: str) -> dict[str, list[Any]]:
    """Rows to normalized columns, with each text's token count (computed here, once)."""
    counter = get_tokenizer(tokenizer)
    columns: dict[str, list[Any]] = {
        k: [] for k in ("id", "prompt", "response", "problem", "prompt_tokens", "response_tokens")
    }
    for row in batch.to_pylist():
        got = extract(row, schema, ColumnMapping(**mapping) if mapping else None)  # type: ignore[arg-type]
        if isinstance(got, Problem):
            values = ["", "", "", got.code, 0, 0]
        else:
            record = SourceRecord("", got.instruction, got.input, got.output)
            prompt, response = record.prompt_text, record.response_text
            content = hashlib.blake2b(f"{prompt}\x00{response}".encode(), digest_size=8).hexdigest()
            record_id = got.raw_id if got.raw_id is not None else f"sha-{content}"
            values = [record_id, prompt, response, "", counter.count(prompt), counter.count(response)]
        for key, value in zip(columns, values, strict=True):
            columns[key].append(value)
    return columns


def _walk_block(
    batch: Any, recipe: dict[str, Any], epoch: int, record_format: str, provenance: bool
) -> dict[str, list[Any]]:
    """The walk over one shuffled block; rows of the export plus bookkeeping columns."""
    data = batch.to_pydict()
    records = [SourceRecord(i, p, "", r) for i, p, r in zip(data["id"], data["prompt"], data["response"], strict=True)]
    out: dict[str, list[Any]] = {"row": [], "k": [], "unusable": []}
    if not records:
        return out
    base = MosaicConfig.from_recipe(recipe)
    config = MosaicConfig.from_recipe(recipe, seed=_derived(base.seed, epoch, records[0].id), epochs=1)
    table = SourceTable.from_counts(
        records, get_tokenizer(config.tokenizer), list(data["prompt_tokens"]) + list(data["response_tokens"])
    )
    run = MosaicRun(table, config)
    for mosaic in run.walk(epoch, order=list(range(len(records)))):
        out["row"].append(orjson.dumps(mosaic_row(mosaic, record_format, provenance)).decode())
        out["k"].append(mosaic.plan.k)
        out["unusable"].append("")
    for item in run.report.unusable:
        out["row"].append("")
        out["k"].append(0)
        out["unusable"].append(
            orjson.dumps({"id": item.id, "tokens": item.tokens, "reason": item.reason, "epoch": epoch}).decode()
        )
    return out


def _export_row(item: dict[str, Any]) -> dict[str, Any]:
    return provenance_as_text(orjson.loads(item["row"]))


def generate_on_ray(
    source: Path,
    output: Path,
    config: MosaicConfig,
    record_format: str = "alpaca",
    provenance: bool = True,
    file_type: str = "jsonl",
    address: str = "local",
    blocks: int | None = None,
    mapping: ColumnMapping | None = None,
    progress: Callable[[str], None] | None = None,
) -> RayResult:
    """Generate every epoch on Ray and write sharded files into the folder ``output``."""
    if file_type not in ("jsonl", "parquet"):
        raise ConfigError(f"the Ray engine writes jsonl or parquet shards, not {file_type!r}")
    if not source.exists():
        raise DatasetError(f"{source}: no such file or folder")
    if output.exists() and any(output.iterdir()):
        raise ConfigError(f"{output} is not empty; the Ray engine writes shards into a new folder")
    ray = _ray()
    from ray.data.expressions import col, lit  # noqa: PLC0415

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
    say = progress or (lambda _: None)
    suffix = source.suffix.lower() if source.is_file() else ""
    if suffix in (".parquet", ".pq") or (source.is_dir() and any(source.glob("*.parquet"))):
        raw = ray.data.read_parquet(str(source))
    else:
        raw = ray.data.read_json(str(source), lines=True)
    first = raw.take(50)
    if not first:
        raise DatasetError(f"{source}: holds no records")
    schema = "columns" if mapping else detect_schema(first, str(source))
    say("normalizing and counting tokens")
    table = raw.map_batches(
        _normalize,
        batch_format="pyarrow",
        fn_kwargs={"schema": schema, "mapping": mapping.to_dict() if mapping else None, "tokenizer": config.tokenizer},
    ).materialize()
    problems = Counter(
        r["problem"] for r in table.filter(expr=col("problem") != lit("")).select_columns(["problem"]).iter_rows()
    )
    good = table.filter(expr=col("problem") == lit(""))
    budget = config.max_tokens
    too_long = [
        {
            "id": r["id"],
            "tokens": r["prompt_tokens"] + r["response_tokens"],
            "reason": f"over the budget of {budget} on its own",
            "epoch": None,
        }
        for r in good.filter(expr=(col("prompt_tokens") + col("response_tokens")) > lit(budget)).iter_rows()
    ]
    usable = good.filter(expr=(col("prompt_tokens") + col("response_tokens")) <= lit(budget)).materialize()
    sources = usable.count()
    output.mkdir(parents=True, exist_ok=True)
    mosaics = item_slots = 0
    unusable = list(too_long)
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
                "record_format": record_format,
                "provenance": provenance,
            },
        ).materialize()
        # Count and write one epoch at a time, so only one epoch's output is ever held.
        unusable += [orjson.loads(r["unusable"]) for r in walked.filter(expr=col("unusable") != lit("")).iter_rows()]
        made = walked.filter(expr=col("row") != lit(""))
        mosaics += made.count()
        item_slots += int(made.sum("k") or 0)
        rows = made.map(_export_row)
        if file_type == "jsonl":
            rows.write_json(str(output), force_ascii=False)
        else:
            rows.write_parquet(str(output))
        del walked, made, rows
    manifest = {
        "tool": "mosaic-studio",
        "version": __version__,
        "engine": {"name": "ray", "address": address, "blocks": blocks},
        "recipe": config.to_recipe(),
        "seed": config.seed,
        "input": {"name": str(source), "schema": schema, "problems": dict(sorted(problems.items()))},
        "export": {
            "folder": output.name,
            "record_format": record_format,
            "file_type": file_type,
            "provenance": provenance,
        },
        "counts": {
            "sources": sources + len(too_long),
            "usable_sources": sources,
            "mosaics": mosaics,
            "item_slots": item_slots,
            "mean_k": round(item_slots / mosaics, 4) if mosaics else 0.0,
            "unusable": len(unusable),
        },
        "unusable": unusable,
    }
    target = manifest_path(output)
    with atomic_file(target) as stream:
        stream.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    return RayResult(output, target, mosaics, item_slots, len(unusable), manifest)
