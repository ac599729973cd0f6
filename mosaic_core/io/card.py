"""A dataset card (``README.md``) written next to an export, from its manifest.

The card is a Hugging Face dataset card: YAML metadata (license, task categories, tags, size category,
languages, and ``configs`` naming only the data file, so ``load_dataset(folder)`` reads the mosaics and not
the manifest), built with ``huggingface_hub``'s card tools, then a description of the run. Only file names
appear, never the paths of the machine that made it.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any

from mosaic_core.io.export import atomic_file
from mosaic_core.io.guard import CARD_MARK, is_card
from mosaic_core.io.trainers import HF_DATA_FILE

__all__ = ["UNKNOWN_LICENSE", "card_metadata", "dataset_card", "size_category", "write_dataset_card"]

UNKNOWN_LICENSE = "unknown"


def size_category(rows: int) -> str:
    """The Hub's size category for a number of rows.

    >>> size_category(999), size_category(1000), size_category(52_000)
    ('n<1K', '1K<n<10K', '10K<n<100K')
    """
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]
    bounds += [(10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    return next((name for bound, name in bounds if rows < bound), "n>1T")


def card_metadata(manifest: dict[str, Any], license_id: str | None = None) -> dict[str, Any]:
    """The card's YAML metadata, as a mapping."""
    export = manifest.get("export", {})
    name = str(export.get("file", "data.jsonl"))
    path = f"{name}/{HF_DATA_FILE}" if export.get("file_type") == "hf" else name
    languages = sorted((manifest.get("counts", {}).get("mosaics_per_language") or {"en": 1}).keys())
    return {
        "license": license_id or UNKNOWN_LICENSE,
        "language": languages,
        "task_categories": ["text-generation"],
        "tags": ["mosaic-it", "instruction-tuning", "synthetic", "mosaic-studio"],
        "size_categories": [size_category(int(export.get("rows") or 0))],
        "configs": [{"config_name": "default", "data_files": [{"split": "train", "path": path}]}],
    }


def dataset_card(manifest: dict[str, Any], license_id: str | None = None) -> str:
    """The card's text: YAML front matter, then Markdown describing how the export was made.

    >>> "Mosaic-IT" in dataset_card({"recipe": {}, "counts": {}, "export": {}, "input": {}})
    True
    """
    from huggingface_hub import DatasetCardData  # noqa: PLC0415

    counts, export, source = manifest.get("counts", {}), manifest.get("export", {}), manifest.get("input", {})
    data = DatasetCardData(**card_metadata(manifest, license_id))
    source_name = PurePath(str(source.get("name"))).name  # a file name, never a path of this machine
    lines = [
        "---",
        data.to_yaml(),
        "---",
        CARD_MARK,
        f"# {export.get('file', 'Mosaic export')}",
        "",
        "Instruction-tuning data augmented with Mosaic-IT (Li et al., ACL Findings 2025) by Mosaic Studio:",
        "each sample joins several source instruction-response pairs under a meta-instruction whose answer",
        "is computed by rule from the original responses.",
        "",
        "## Source",
        f"- input: `{source_name}` (sha256 `{source.get('sha256')}`), schema `{source.get('schema')}`",
        f"- license: `{license_id}`"
        if license_id
        else "- license: not given when this card was written; the source dataset's license applies",
        "",
        "## Counts",
    ]
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in counts.items()]
    not_carried = export.get("not_carried") or {}
    lines += ["", "## Export", *_rows_said(counts, export, source.get("load_report") or {})]
    lines += [
        f"- columns: {', '.join(f'`{c}`' for c in export.get('columns', []))}",
        "- not carried (the format has no place for them): "
        + (", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in not_carried.items()) or "nothing"),
        "",
        "## Recipe",
        "The generation keys. The export's manifest holds them with its load, export and curation settings and",
        "the input's sha256: `python -m mosaic_core generate INPUT -o OUTPUT --recipe FILE.manifest.json`",
        "replays this export byte for byte; these keys alone replay the generation on another export format.",
        "```json",
        json.dumps(manifest.get("recipe", {}), indent=2, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def _rows_said(counts: dict[str, Any], export: dict[str, Any], loaded: dict[str, Any]) -> list[str]:
    """What the export's rows are: mosaics, and the rows that are not (the budget bounds only the mosaics)."""
    rows, mosaics, plain = (
        int(value or 0) for value in (export.get("rows"), counts.get("mosaics"), counts.get("plain_samples"))
    )
    said = [
        f"- record format `{export.get('record_format')}`, file type `{export.get('file_type')}`, {rows} rows "
        f"({mosaics} mosaics), provenance {'on' if export.get('provenance') else 'off'}"
    ]
    kept, later = int(loaded.get("kept_whole") or 0), int(loaded.get("kept_later_parts") or 0)
    others = []
    if export.get("originals_share"):
        others.append(f"source records as they are (a share of {export.get('originals_share')} was asked for)")
    if kept:
        part = f", {later} of them a later part of a split chat, which begins mid-conversation" if later else ""
        others.append(f"{kept} conversations kept whole{part}")
    if plain:
        others.append(f"{plain} items left out of mosaics (the manifest lists why), kept as they are")
    if rows > mosaics and others:
        said.append(
            f"- {rows - mosaics} rows are not mosaics: {'; '.join(others)}. The token budget bounds only the mosaics."
        )
    return said


def write_dataset_card(output: Path, manifest: dict[str, Any], license_id: str | None = None) -> Path | None:
    """Write the card as ``README.md`` beside the export; None (nothing written) when a README.md that is not
    our card is already there."""
    target = output.with_name("README.md")
    if target.exists() and not is_card(target):
        return None
    with atomic_file(target) as stream:
        stream.write(dataset_card(manifest, license_id).encode("utf-8"))
    return target
