"""Check a template pack, or show its sentences filled in: ``python -m mosaic_core.text.packs check de`` (a built-in
pack's code, or a pack file's path)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mosaic_core.errors import MosaicError
from mosaic_core.rules.registry import RULES
from mosaic_core.text.pack import REFERENCE_COUNTS, Pack
from mosaic_core.text.templates import PLACEHOLDERS, Template, TemplateLibrary, builtin_library, read_pack

_WRAPPER = {"open": "[START]", "close": "[END]"}


def _problems(path: Path) -> tuple[Pack | None, list[Template], list[str]]:
    try:
        pack, templates = read_pack(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, MosaicError) as exc:
        return None, [], [str(exc)]
    problems = []
    for template in templates:
        try:
            TemplateLibrary([template], {pack.language: pack})
        except MosaicError as exc:
            problems.append(str(exc))
        prefix = "" if pack.language == "en" else pack.language + "."
        if not template.id.startswith(prefix + template.family + "."):
            problems.append(f"template {template.id!r}: its id must start with {prefix}{template.family}.")
    try:
        TemplateLibrary(templates, {pack.language: pack})
    except MosaicError as exc:
        problems.append(str(exc))
    for family, least in REFERENCE_COUNTS.items():
        have = sum(t.family == family for t in templates)
        if pack.uses_family(family) and have < least:
            problems.append(f"{family}: {have} sentences, the reference has {least}")
    return pack, templates, problems


def _pack_file(name: str, given: Path | None = None) -> Path | None:
    """The pack file ``given``, or else a built-in pack's file for its code or the file at a path ending ".json";
    None, with one line on stderr, if there is no such file."""
    path = given or (Path(name) if name.endswith(".json") else Path(__file__).with_name(f"{name}.json"))
    if path.is_file():
        return path
    print(f"error: no pack {str(given or name)!r}: give a built-in language's code or a pack file", file=sys.stderr)
    return None


def check(name: str) -> int:
    """``name``: a built-in pack's code, or a pack file's path."""
    path = _pack_file(name)
    if path is None:
        return 2
    pack, templates, problems = _problems(path)
    for problem in problems:
        print("PROBLEM:", problem)
    if pack is not None:
        for family in PLACEHOLDERS:
            if pack.uses_family(family):
                print(f"{family:32} {sum(t.family == family for t in templates):3}")
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    print(count if problems else "ok: every sentence passes")
    return 1 if problems else 0


def _samples(template: Template, pack: Pack) -> list[str]:
    family = template.family
    if family == "format.wrapper":
        return [template.render(**_WRAPPER)]
    if family not in RULES:
        return [template.render()]
    names = RULES[family].placeholders
    if family == "permute.fix":
        return [template.render(**pack.values(names, (2, 0, 5, 1, 4, 3), ()))]
    if not {"m", "positions"} & set(names):
        return [template.render()]
    shown = []
    for hidden in ((3,), (1, 4), (0, 2, 4, 6, 8), tuple(range(0, 44, 2))):
        values = pack.values(names, (), hidden)
        shown.append(f"[{len(hidden)}] " + template.render(len(hidden), **values))
    return shown


def show(language: str, path: Path | None) -> int:
    """``language``: a built-in pack's code, or a pack file's path (as ``check`` takes it)."""
    path = _pack_file(language, path)
    if path is None:
        return 2
    pack, templates, problems = _problems(path)
    if pack is None:
        print(problems[0])
        return 1
    for template in templates:
        print(f"{template.id}  place={template.place} claims={','.join(template.claims) or '-'}")
        for line in _samples(template, pack):
            print("   ", line)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mosaic_core.text.packs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check one pack: a built-in code or a pack file").add_argument("pack")
    shown = sub.add_parser("show", help="every sentence of a pack, filled in with example values")
    shown.add_argument("language")
    shown.add_argument("--file", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        builtin_library()  # the English pack must load: custom checks lean on it
    except MosaicError as exc:
        print(f"error: the built-in packs do not load: {exc}", file=sys.stderr)
        return 2
    try:
        return check(args.pack) if args.command == "check" else show(args.language, args.file)
    except BrokenPipeError:  # the reader stopped early (``| head``): nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
