"""The command line that replays what the app does: the same input, load options, recipe and export options."""

from __future__ import annotations

import shlex
from typing import Any

from mosaic_core import ExportOptions, LoadResult

__all__ = ["cli_command"]


def cli_command(
    loaded: LoadResult, source_input: str, options: ExportOptions | None, output: str, recipe: str = "recipe.json"
) -> str:
    """``mosaic-studio generate …`` for the session's dataset; with ``options``, the export's too.

    The recipe is the file the Settings page downloads (``recipe.json``) or the export's manifest.
    """
    report = loaded.report
    words: list[Any] = ["mosaic-studio", "generate"]
    words += shlex.split(source_input) if source_input.startswith("hf://") else [source_input]
    words += ["-o", output, "--recipe", recipe]
    if report.multi_turn_policy != "first":
        words += ["--multi-turn", report.multi_turn_policy]
    if report.chat_leftovers_policy != "keep":
        words += ["--chat-leftovers", report.chat_leftovers_policy]
    if report.mapping:
        pairs = ",".join(f"{role}={column}" for role, column in report.mapping.items() if column)
        words += ["--map", pairs]
    if options is not None:
        words += ["--to", options.record_format, "--file-type", options.file_type]
        if not options.provenance:
            words.append("--no-provenance")
        if options.originals:
            words += ["--include-originals", "all" if options.originals >= 1 else str(options.originals)]
        if options.card:
            words.append("--card")
            if options.license:
                words += ["--license", options.license]
        if options.trainer_configs:
            words.append("--trainer-configs")
        elif options.llama_factory:
            words.append("--llama-factory")
    return " ".join(shlex.quote(str(word)) for word in words)
