"""The manifest written beside every export, by either engine: one builder, one set of keys.

A manifest makes a run reproducible (recipe, seed, the input's sha256 and load
report) and accounts for every source item (counts, and each unusable item with
its reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from mosaic_core import __version__
from mosaic_core.config import MosaicConfig
from mosaic_core.generate.report import RunReport, shares
from mosaic_core.io.export import atomic_file
from mosaic_core.io.exported import manifest_path
from mosaic_core.io.journal import Pair
from mosaic_core.io.load import LoadReport

__all__ = ["MANIFEST_KEYS", "build_manifest", "write_manifest"]

MANIFEST_KEYS = ("counts", "engine", "export", "input", "recipe", "seed", "shares", "tool", "unusable", "version")


def build_manifest(
    config: MosaicConfig,
    load_report: LoadReport,
    input_sha256: str | None,
    report: RunReport,
    export: Mapping[str, Any],
    engine: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest of a finished run.

    >>> from mosaic_core.generate.report import RunReport, shares
    >>> sorted(build_manifest(MosaicConfig(), LoadReport("x.json"), None, RunReport(), {}, {"name": "local"}))
    ['counts', 'engine', 'export', 'input', 'recipe', 'seed', 'shares', 'tool', 'unusable', 'version']
    """
    return {
        "tool": "mosaic-studio",
        "version": __version__,
        "engine": dict(engine),
        "recipe": config.to_recipe(),
        "seed": config.seed,
        "input": {
            "name": load_report.source,
            "sha256": input_sha256,
            "schema": load_report.schema,
            "load_report": load_report.to_dict(),
        },
        "export": dict(export),
        "counts": {
            "sources": report.sources,
            "usable_sources": report.usable,
            "mosaics": report.mosaics,
            "item_slots": report.item_slots,
            "mean_k": round(report.mean_k, 4),
            "mosaics_per_epoch": {str(k): v for k, v in sorted(report.mosaics_per_epoch.items())},
            "mosaics_per_language": dict(sorted(report.languages.items())),
            "sources_per_language": dict(
                sorted((code or "undetermined", n) for code, n in report.source_languages.items())
            ),
            "plain_samples": report.plain_samples,
            "unusable": len(report.unusable),
            "conversation_items": report.conversation_items,
        },
        "shares": shares(config, report),
        "unusable": [item.to_dict() for item in report.unusable],
    }


def write_manifest(output: Path, manifest: Mapping[str, Any], pair: Pair | None = None) -> Path:
    """Write ``OUTPUT.manifest.json`` atomically (staged in ``pair``, beside its data, when given); returns its path."""
    target = manifest_path(output)
    with (atomic_file if pair is None else pair.file)(target) as stream:
        stream.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    return target
