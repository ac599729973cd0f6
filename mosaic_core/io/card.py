"""A dataset card (``README.md``) written next to an export, from its manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mosaic_core.io.export import atomic_file
from mosaic_core.io.guard import CARD_MARK, is_card

__all__ = ["dataset_card", "write_dataset_card"]


def dataset_card(manifest: dict[str, Any]) -> str:
    """Markdown describing how an export was made.

    >>> "Mosaic-IT" in dataset_card({"recipe": {}, "counts": {}, "export": {}, "input": {}})
    True
    """
    counts, export, source = manifest.get("counts", {}), manifest.get("export", {}), manifest.get("input", {})
    lines = [
        CARD_MARK,
        f"# {export.get('file', 'Mosaic export')}",
        "",
        "Instruction-tuning data augmented with Mosaic-IT (Li et al., ACL Findings 2025) by Mosaic Studio:",
        "each sample joins several source instruction-response pairs under a meta-instruction whose answer",
        "is computed by rule from the original responses.",
        "",
        "## Source",
        f"- input: `{source.get('name')}` (sha256 `{source.get('sha256')}`), schema `{source.get('schema')}`",
        "",
        "## Counts",
    ]
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in counts.items()]
    lines += [
        "",
        "## Export",
        f"- record format `{export.get('record_format')}`, file type `{export.get('file_type')}`, "
        f"{export.get('rows')} rows, provenance {'on' if export.get('provenance') else 'off'}",
        "",
        "## Recipe (replay with `python -m mosaic_core generate INPUT -o OUTPUT --recipe recipe.json`)",
        "```json",
        json.dumps(manifest.get("recipe", {}), indent=2, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_dataset_card(output: Path, manifest: dict[str, Any]) -> Path | None:
    """Write the card as ``README.md`` beside the export; None (nothing written) when a README.md that is not
    our card is already there."""
    target = output.with_name("README.md")
    if target.exists() and not is_card(target):
        return None
    with atomic_file(target) as stream:
        stream.write(dataset_card(manifest).encode("utf-8"))
    return target
