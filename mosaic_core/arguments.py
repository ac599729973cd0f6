"""The command line's arguments: ``python -m mosaic_core generate|verify|stats`` (run by ``cli.py``)."""

from __future__ import annotations

import argparse
from typing import NoReturn

from mosaic_core.errors import ConfigError

__all__ = ["build_parser", "parse_originals"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m mosaic_core", description="Mosaic-IT instruction augmentation.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    gen = commands.add_parser("generate", help="make mosaics from a dataset and export them")
    gen.add_argument("input", help="dataset file or folder, or hf://owner/name for a hub dataset")
    gen.add_argument("-o", "--output", required=True, help="export file (a folder for --file-type hf)")
    gen.add_argument(
        "--recipe",
        help="JSON recipe or an export's manifest (as downloaded from the app): the generation keys and the load, "
        "export and curation sections; flags override it",
    )
    gen.add_argument("--epochs", type=int)
    gen.add_argument("--k-mode")
    gen.add_argument("--max-k", type=int)
    gen.add_argument("--max-tokens", type=int)
    gen.add_argument("--tokenizer")
    gen.add_argument("--mix", help="both|format|order|mask|primary, or primary=W,format=W,permute=W,maskout=W")
    gen.add_argument("--seed", type=int)
    gen.add_argument("--keep-unusable", action="store_true", default=None, help="keep over-long items as plain samples")
    gen.add_argument(
        "--meta-language",
        help="language of the meta-instructions: auto (each mosaic in its items' language, the default) "
        "or a pack: en (the paper's behaviour), zh, zh-Hant, ja, es, fr, de, ru",
    )
    gen.add_argument(
        "--mixed-languages",
        choices=["main", "separate"],
        help="under auto: items of different languages share a mosaic in the main language (main, the default), "
        "or never share one (separate)",
    )
    gen.add_argument(
        "--mixed-contexts",
        choices=["separate", "mix"],
        help="items with different system prompts or tools never share a mosaic (separate, the default), or may "
        "(mix: such a mosaic carries neither, and the manifest counts it)",
    )
    gen.add_argument(
        "--conversation-items",
        choices=["apart", "mix"],
        help='items whose instruction speaks to the whole conversation ("from now on", "ignore the previous '
        'instructions", a bare "continue") stay out of mosaics, listed in the manifest (apart, the default), or '
        "join them (mix)",
    )
    gen.add_argument("--to", help="record format: alpaca (default), sharegpt, messages, prompt_completion")
    gen.add_argument("--file-type", default=None, help="jsonl (default), json, parquet, hf")
    gen.add_argument("--include-originals", nargs="?", const="all", default=None, metavar="all|none|FRACTION")
    gen.add_argument("--no-provenance", action="store_true", default=None)
    gen.add_argument(
        "--split",
        help="the split to read where the input holds several (a JSON object of lists, a save_to_disk "
        "DatasetDict, a hub dataset; default for the hub: train)",
    )
    gen.add_argument("--map", help="column mapping: instruction=COL,output=COL[,input=COL,id=COL]")
    gen.add_argument("--on-invalid", choices=["skip", "fail"], help="a broken record: skip (default) or fail")
    gen.add_argument("--multi-turn", choices=["first", "skip", "keep"], help="first (default), skip or keep")
    gen.add_argument(
        "--chat-leftovers",
        choices=["keep", "strip"],
        help='what chat sites leave at the end of a user\'s turn ("Share Prompt", a "2 / 2" counter): kept as '
        "it is (keep, the default; the load report counts it) or taken off (strip)",
    )
    gen.add_argument("--card", action="store_true", default=None, help="also write a dataset card README.md")
    gen.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file or folder at OUTPUT that is not an earlier export",
    )
    gen.add_argument(
        "--llama-factory",
        action="store_true",
        default=None,
        help="also add the export to a LLaMA-Factory dataset_info.json beside it (other entries are kept)",
    )
    gen.add_argument(
        "--trainer-configs",
        action="store_true",
        default=None,
        help="also write trainer recipes: the LLaMA-Factory entry, OUTPUT.axolotl.yml and (messages, "
        "prompt_completion) OUTPUT.trl.py",
    )
    gen.add_argument("--license", help="the source's license id, for the dataset card (e.g. cc-by-4.0)")
    gen.add_argument(
        "--workers", type=int, default=None, help="processes to use (default: every core); output is the same"
    )
    gen.add_argument(
        "--engine", default="local", choices=["local", "ray"], help="ray: Ray Data; OUTPUT becomes a folder"
    )
    gen.add_argument(
        "--ray-address", default="local", help="local (start Ray here), auto or ray://host:port (a cluster)"
    )
    gen.add_argument("--blocks", type=int, default=None, help="Ray blocks per epoch (default: Ray decides)")

    ver = commands.add_parser("verify", help="check every mosaic of an export made with provenance")
    ver.add_argument("output", help="the export to check")
    ver.add_argument(
        "--source",
        help="the source dataset, to also check texts against it (read with the split, column mapping and "
        "multi-turn policy the manifest records)",
    )
    ver.add_argument(
        "--manifest",
        help="the export's manifest, for a copy of the export in another file (e.g. after a round trip through "
        "datasets); default: OUTPUT.manifest.json",
    )

    stats = commands.add_parser("stats", help="token, diversity and structure statistics of a dataset or export")
    stats.add_argument("path")
    stats.add_argument("--json", action="store_true", help="print JSON (stable, documented in the README)")
    stats.add_argument("--tokenizer", default=None)
    stats.add_argument("--max-tokens", type=int, default=None)
    stats.add_argument("--split", default=None, help="the split of a source that holds several (e.g. train)")
    return parser


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
