"""The command line: ``python -m mosaic_core generate|verify|stats``.

Exit codes: 0 success, 1 verification found bad mosaics, 2 bad usage or input
(one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mosaic_core.arguments import build_parser, parse_originals
from mosaic_core.errors import ConfigError, MosaicError

__all__ = ["main"]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    r"""Text as the terminal should show it: control characters (from a file name, a dataset, a typed value)
    written as escapes, so none can move the cursor, retitle the window or clear the screen.

    >>> _plain("in\x1b]0;owned\x07.jsonl\nnext line")
    'in\\x1b]0;owned\\x07.jsonl\nnext line'
    """
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def _say(text: str) -> None:
    print(_plain(text), file=sys.stderr)  # noqa: T201


def _source(text: str, split: str | None = None) -> Any:
    from mosaic_core.io.source import Source  # noqa: PLC0415

    if text.startswith("hf://"):
        return Source.from_hub(text[5:], split or "train")
    return Source.from_path(text, split)


def _mapping(text: str | None) -> Any:
    if not text:
        return None
    from mosaic_core.io.schemas import ColumnMapping  # noqa: PLC0415

    fields: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in ("instruction", "output", "input", "id", "system", "category"):
            raise ConfigError(f"bad --map entry {part!r}: use instruction=COL,output=COL[,input=COL,id=COL]")
        fields[key.strip()] = value.strip()
    if "instruction" not in fields or "output" not in fields:
        raise ConfigError("--map needs at least instruction=COL and output=COL")
    return ColumnMapping(**fields)


def _given(flag: Any, recipe: Any) -> Any:
    """A flag the user gave wins over the recipe file's value."""
    return recipe if flag is None else flag


_RECIPE_LIMIT = 16 << 20


def _recipe(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    import json  # noqa: PLC0415

    from mosaic_core.io.source import check_regular  # noqa: PLC0415

    file = Path(path)
    try:
        info = check_regular(file, "recipe")
    except MosaicError as exc:
        raise ConfigError(str(exc)) from None
    if info.st_size > _RECIPE_LIMIT:
        raise ConfigError(f"the recipe {path} is {info.st_size:,} bytes; a recipe is a small JSON file")
    try:
        recipe: Any = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the recipe {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the recipe {path} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ConfigError(f"the recipe {path} is nested too deeply to be a recipe") from None
    if not isinstance(recipe, dict):
        raise ConfigError(f"the recipe {path} must be a JSON object, not {type(recipe).__name__}")
    return recipe


def _job(args: argparse.Namespace) -> Any:
    """The run the flags describe; nothing is read but the recipe file."""
    from mosaic_core.config import parse_mix  # noqa: PLC0415
    from mosaic_core.generate.parallel import default_workers  # noqa: PLC0415
    from mosaic_core.io.paths import output_text  # noqa: PLC0415
    from mosaic_core.pipeline import ExportOptions, Job  # noqa: PLC0415
    from mosaic_core.recipe import RecipeFile  # noqa: PLC0415

    overrides: dict[str, Any] = {
        "epochs": args.epochs,
        "k_mode": args.k_mode,
        "max_k": args.max_k,
        "max_tokens": args.max_tokens,
        "tokenizer": args.tokenizer,
        "seed": args.seed,
        "keep_unusable": args.keep_unusable,
        "meta_language": args.meta_language,
        "mixed_languages": args.mixed_languages,
        "mixed_contexts": args.mixed_contexts,
        "conversation_items": args.conversation_items,
        "mix": parse_mix(args.mix) if args.mix else None,
    }
    settings = RecipeFile.from_mapping(_recipe(args.recipe), **overrides)
    load, export, curation = settings.load, settings.export, settings.curation
    output = Path(args.output)
    file_type = args.file_type or export.file_type
    file_type = file_type or {".json": "json", ".parquet": "parquet"}.get(output.suffix.lower(), "jsonl")
    output_text(args.output, folder=file_type == "hf" or args.engine == "ray")
    if args.blocks is not None and (args.engine != "ray" or args.blocks < 1):
        raise ConfigError(f"--blocks is a number of Ray blocks, at least 1, with --engine ray; got {args.blocks}")
    options = ExportOptions(
        record_format=_given(args.to, export.to),
        file_type=file_type,
        provenance=export.provenance if args.no_provenance is None else False,
        originals=parse_originals(args.include_originals) if args.include_originals is not None else export.originals,
        accepted=curation.kept,
        rejected=curation.left_out,
        card=_given(args.card, export.card),
        llama_factory=_given(args.llama_factory, export.llama_factory),
        trainer_configs=_given(args.trainer_configs, export.trainer_configs),
        license=_given(args.license, export.license),
        force=args.force,
        workers=args.workers if args.workers is not None else default_workers(),
    )
    if options.workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {options.workers}")
    if args.engine == "ray" and args.input.startswith("hf://"):
        raise ConfigError("the Ray engine reads files and folders, not hub ids")
    return Job(
        source=_source(args.input, _given(args.split, load.split)),
        output=output,
        config=settings.config,
        options=options,
        mapping=_mapping(_given(args.map, load.map_flag())),
        on_invalid=_given(args.on_invalid, load.on_invalid),
        multi_turn=_given(args.multi_turn, load.multi_turn),
        chat_leftovers=_given(args.chat_leftovers, load.chat_leftovers),
        engine=args.engine,
        ray_address=args.ray_address,
        blocks=args.blocks,
        replaying=settings.input_sha256,
    )


def _generate(args: argparse.Namespace) -> int:
    from tqdm import tqdm  # noqa: PLC0415

    from mosaic_core.pipeline import run_job  # noqa: PLC0415

    job = _job(args)
    for warning in job.config.warnings():
        _say(f"warning: {warning}")
    with (
        tqdm(total=0, unit="B", unit_scale=True, desc="loading", leave=False, disable=None) as loading_bar,
        tqdm(total=0, unit="item", desc="mosaics", disable=None, delay=0.5) as bar,
    ):

        def loading(done: int, total: int) -> None:
            loading_bar.total = total
            loading_bar.update(done - loading_bar.n)

        def step(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        held: list[str] = []

        def say(message: str) -> None:
            if job.engine == "local":
                held.append(message)  # shown once the run succeeds: an error stays one line
            else:
                tqdm.write(_plain(f"ray: {message}"), file=sys.stderr)

        _, summary = run_job(job, loading, step, say)
    for message in held:
        _say(message)
    report = summary.report
    for note in summary.notes:
        _say(f"note: {note}")
    _say(
        f"wrote {summary.rows} rows to {summary.output} ({report.mosaics} mosaics, mean k {report.mean_k:.2f}, "
        f"{len(report.unusable)} unusable items listed in {summary.manifest.name})"
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    from mosaic_core.verify.export import verify_export  # noqa: PLC0415

    result = verify_export(
        Path(args.output), Path(args.source) if args.source else None, Path(args.manifest) if args.manifest else None
    )
    print(_plain(result.summary()))  # noqa: T201
    return 0 if result.ok else 1


def _stats(args: argparse.Namespace) -> int:
    from mosaic_core.stats.report import stats_command  # noqa: PLC0415

    if args.max_tokens is not None and args.max_tokens < 1:
        raise ConfigError(f"--max-tokens must be a positive number of tokens, got {args.max_tokens}")
    print(_plain(stats_command(Path(args.path), args.tokenizer, args.max_tokens, args.json, args.split)))  # noqa: T201
    return 0


def _fail(message: str) -> int:
    """One line on stderr, exit 2: the promise for every bad input or usage."""
    _say(f"error: {' '.join(message.split())}")
    return 2


_INTERRUPTED_IN: list[int] = []
"""The process that installed ``_interrupt`` (a forked worker inherits the handler, not the role)."""


def _interrupt(signum: int, frame: object) -> None:
    if _INTERRUPTED_IN and os.getpid() != _INTERRUPTED_IN[0]:
        # A worker forked before it could take the default back (a pool's terminate can come that early):
        # it must die, not raise into its bootstrap and then wait forever on a queue its parent holds.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise KeyboardInterrupt  # the same clean-up as Ctrl-C: temporary files removed, the lock released


def main(argv: Sequence[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        _INTERRUPTED_IN[:] = [os.getpid()]
        signal.signal(signal.SIGTERM, _interrupt)
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"generate": _generate, "verify": _verify, "stats": _stats}
    try:
        return handlers[args.command](args)
    except MosaicError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # whoever read our output stopped (``verify … | head``): nothing went wrong here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush does not fail again
        return 128 + signal.SIGPIPE
    except OSError as exc:  # the disk, not the data: full, read-only, gone
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}; no partial output was left behind")
    except RecursionError:
        return _fail("the input is nested too deeply to be read")
    except MemoryError:
        return _fail("out of memory; for inputs this large use --engine ray")
    except KeyboardInterrupt:
        print("error: interrupted; no partial output was left behind", file=sys.stderr)  # noqa: T201
        return 130
