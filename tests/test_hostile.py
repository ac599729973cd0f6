"""Hostile input for the command line: every case ends in one line on stderr, exit 2, and nothing left behind.

Each case builds its own small world in a temporary folder (an input, maybe a
recipe or an earlier file) and names the argv; the test runs the CLI in
process, so a traceback is an exception here, and then compares the folder
before and after: nothing the run did not own may change, and nothing may be
left over.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from mosaic_core.cli import main

GOOD = [
    {"instruction": f"Say the number {i} in words.", "input": "", "output": f"The number is {i}."} for i in range(12)
]


def good_input(folder: Path, name: str = "in.jsonl") -> Path:
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in GOOD), encoding="utf-8")
    return path


def recipe(folder: Path, text: str) -> Path:
    path = folder / "recipe.json"
    path.write_text(text, encoding="utf-8")
    return path


Case = Callable[[Path], list[str]]


def gen(*extra: str) -> Case:
    """``generate in.jsonl -o out.jsonl`` plus ``extra`` flags."""
    return lambda d: ["generate", str(good_input(d)), "-o", str(d / "out.jsonl"), "--epochs", "1", *extra]


def with_recipe(text: str) -> Case:
    """The recipe alone decides (no flag overrides it)."""
    return lambda d: ["generate", str(good_input(d)), "-o", str(d / "out.jsonl"), "--recipe", str(recipe(d, text))]


def with_input(name: str, content: bytes | str, *extra: str) -> Case:
    def build(d: Path) -> list[str]:
        path = d / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return ["generate", str(path), "-o", str(d / "out.jsonl"), "--epochs", "1", *extra]

    return build


def to_output(make: Callable[[Path], Path], *extra: str) -> Case:
    return lambda d: ["generate", str(good_input(d)), "-o", str(make(d)), "--epochs", "1", *extra]


def _named_input(d: Path, name: str) -> Path:
    """The good records as a JSON list, under ``name``."""
    (d / name).write_text(json.dumps(GOOD), encoding="utf-8")
    return d / name


def _fifo(d: Path) -> Path:
    os.mkfifo(d / "pipe")
    return d / "pipe"


def _user_file(d: Path) -> Path:
    (d / "notes.jsonl").write_text("my own notes\n", encoding="utf-8")
    return d / "notes.jsonl"


def _user_folder(d: Path) -> Path:
    (d / "work").mkdir()
    (d / "work" / "keep.txt").write_text("keep me", encoding="utf-8")
    return d / "work"


def _under_file(d: Path) -> Path:
    (d / "afile").write_text("x", encoding="utf-8")
    return d / "afile" / "out.jsonl"


def _readonly(d: Path) -> Path:
    folder = d / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return folder / "out.jsonl"


def _manifest_folder(d: Path) -> Path:
    (d / "m.jsonl.manifest.json").mkdir()
    return d / "m.jsonl"


def _foreign_manifest(d: Path) -> Path:
    (d / "f.jsonl.manifest.json").write_text('{"mine": true}', encoding="utf-8")
    return d / "f.jsonl"


def _forged_export(d: Path, rows: str, manifest: str | None) -> list[str]:
    (d / "x.jsonl").write_text(rows, encoding="utf-8")
    if manifest is not None:
        (d / "x.jsonl.manifest.json").write_text(manifest, encoding="utf-8")
    return ["verify", str(d / "x.jsonl")]


_RECIPE = json.dumps({"recipe": {"epochs": 1}, "tool": "mosaic-studio", "export": {"file": "x.jsonl"}})
_PLAN_ROW = json.dumps({"instruction": "a", "output": "b", "mosaic": {"strategy": "primary"}}) + "\n"

CASES: dict[str, Case] = {
    # -- where the export goes ----------------------------------------------------------
    "output is the input": lambda d: ["generate", str(good_input(d)), "-o", str(d / "in.jsonl")],
    "output's manifest is the input, even with --force": lambda d: [
        "generate",
        str(_named_input(d, "e.jsonl.manifest.json")),
        "-o",
        str(d / "e.jsonl"),
        "--force",
    ],
    "output named .jsonl, file type parquet": to_output(lambda d: d / "w.jsonl", "--file-type", "parquet"),
    "output named .parquet, file type json": to_output(lambda d: d / "w.parquet", "--file-type", "json"),
    "output named .jsonl, file type hf": to_output(lambda d: d / "w.jsonl", "--file-type", "hf"),
    "output is /dev/null": to_output(lambda d: Path("/dev/null")),
    "output is a FIFO": to_output(_fifo),
    "output is a user's file": to_output(_user_file),
    "output is a user's folder (hf)": to_output(_user_folder, "--file-type", "hf"),
    "output is a user's folder (jsonl)": to_output(_user_folder),
    "output folder holds the input (hf)": lambda d: [*gen("--file-type", "hf")(d)[:3], "-o", str(d)],
    "output under a file": to_output(_under_file),
    "output in a read-only folder": to_output(_readonly),
    "output in a read-only file system": to_output(lambda d: Path("/sys/mosaic-out.jsonl")),
    "output name of 300 characters": to_output(lambda d: d / ("n" * 300 + ".jsonl")),
    "manifest path is a folder": to_output(_manifest_folder),
    "manifest path is someone else's": to_output(_foreign_manifest),
    "output into /proc": to_output(lambda d: Path("/proc/mosaic-out.jsonl")),
    "output name is empty": lambda d: ["generate", str(good_input(d)), "-o", ""],
    # -- the input ------------------------------------------------------------------------
    "input missing": lambda d: ["generate", str(d / "missing.jsonl"), "-o", str(d / "out.jsonl")],
    "input is a FIFO": lambda d: ["generate", str(_fifo(d)), "-o", str(d / "out.jsonl")],
    "input is /dev/zero": lambda d: ["generate", "/dev/zero", "-o", str(d / "out.jsonl")],
    "input is a symlink to /dev/zero": lambda d: [
        "generate",
        str(_link(d / "zero.jsonl", Path("/dev/zero"))),
        "-o",
        str(d / "out.jsonl"),
    ],
    "input is an empty file": with_input("empty.jsonl", ""),
    "input is binary": with_input("bin.jsonl", bytes(range(256)) * 8),
    "input is invalid UTF-8": with_input("bad.jsonl", b'{"instruction": "\xff\xfe", "output": "x"}\n'),
    "input JSON truncated": with_input("cut.json", '[{"instruction": "a", "output": '),
    "input JSON is a number": with_input("num.json", "42"),
    "input JSON list of numbers": with_input("nums.json", "[1, 2, 3]"),
    "input JSON 100k deep": with_input("deep.json", "[" * 100_000 + "]" * 100_000),
    "input with no usable record": with_input("none.jsonl", '{"a": 1}\n{"b": 2}\n'),
    "input CSV without columns": with_input("t.csv", "x,y\n1,2\n"),
    "input parquet that is not": with_input("t.parquet", "not parquet at all"),
    "input unknown extension": with_input("t.xyz", "hello"),
    "input broken line with --on-invalid fail": with_input(
        "broken.jsonl", '{"instruction": "a", "output": "b"}\n{broken\n', "--on-invalid", "fail"
    ),
    "input a folder without data": lambda d: ["generate", str(_empty_folder(d)), "-o", str(d / "out.jsonl")],
    "input hub id that is a path": lambda d: ["generate", "hf:///etc", "-o", str(d / "out.jsonl")],
    "input hub id 'json'": lambda d: ["generate", "hf://json", "-o", str(d / "out.jsonl")],
    # -- the recipe -----------------------------------------------------------------------
    "recipe is /dev/zero": lambda d: [*gen()(d), "--recipe", "/dev/zero"],
    "recipe missing": lambda d: [*gen()(d), "--recipe", str(d / "nope.json")],
    "recipe not JSON": with_recipe("{not json"),
    "recipe a list": with_recipe("[1, 2]"),
    "recipe a string": with_recipe('"both"'),
    "recipe mix a string": with_recipe('{"mix": "both"}'),
    "recipe mix negative": with_recipe('{"mix": {"primary": -1, "format": 1}}'),
    "recipe mix NaN": with_recipe('{"mix": {"primary": NaN}}'),
    "recipe tokenizer a number": with_recipe('{"tokenizer": 5}'),
    "recipe disabled_rules a number": with_recipe('{"disabled_rules": 5}'),
    "recipe disabled_rules unknown": with_recipe('{"disabled_rules": ["permute.sideways"]}'),
    "recipe disabled_templates unknown": with_recipe('{"disabled_templates": ["nope.01"]}'),
    "recipe 100k deep": with_recipe('{"a": ' * 100_000 + "1" + "}" * 100_000),
    "recipe template with a format spec": with_recipe(
        json.dumps(
            {
                "custom_templates": [
                    {"id": "c1", "family": "format.wrapper", "text": "Wrap in {open:>20000000} and {close}."}
                ]
            }
        )
    ),
    "recipe template not an object": with_recipe('{"custom_templates": [5]}'),
    "recipe templates a string": with_recipe('{"custom_templates": "x"}'),
    "recipe template without text": with_recipe('{"custom_templates": [{"id": "c", "family": "format.plain"}]}'),
    "recipe template unknown family": with_recipe(
        '{"custom_templates": [{"id": "c", "family": "nope", "text": "Answer."}]}'
    ),
    "recipe k_weights NaN": with_recipe('{"k_mode": "custom", "k_weights": {"2": NaN}}'),
    "recipe k_weights empty": with_recipe('{"k_mode": "custom", "k_weights": {}}'),
    "recipe k_weights a list": with_recipe('{"k_mode": "custom", "k_weights": [1, 2]}'),
    "recipe max_k a string": with_recipe('{"max_k": "10"}'),
    "recipe seed negative": with_recipe('{"seed": -1}'),
    "recipe epochs huge": with_recipe('{"epochs": 1000000000}'),
    "recipe wrapper_rate 2": with_recipe('{"wrapper_rate": 2}'),
    "recipe wrapper_rate a string": with_recipe('{"wrapper_rate": "half"}'),
    "recipe meta_language a number": with_recipe('{"meta_language": 5}'),
    "recipe mixed_languages unknown": with_recipe('{"mixed_languages": "blend"}'),
    "recipe unknown key": with_recipe('{"colour": "blue"}'),
    "recipe version from the future": with_recipe('{"recipe_version": 99}'),
    "recipe keep_unusable a string": with_recipe('{"keep_unusable": "yes"}'),
    # -- flags ----------------------------------------------------------------------------
    "--mix primary=nan": gen("--mix", "primary=nan"),
    "--mix primary=inf": gen("--mix", "primary=inf"),
    "--mix primary=-1": gen("--mix", "primary=-1,format=1"),
    "--mix all zero": gen("--mix", "primary=0"),
    "--mix word": gen("--mix", "lots"),
    "--max-k 0": gen("--max-k", "0"),
    "--max-tokens 1": gen("--max-tokens", "1"),
    "--epochs 0": gen("--epochs", "0"),
    "--workers 0": gen("--workers", "0"),
    "--seed -5": gen("--seed", "-5"),
    "--tokenizer unknown": gen("--tokenizer", "gpt-17"),
    "--tokenizer hf: missing file": gen("--tokenizer", "hf:/nowhere/tokenizer.json"),
    "--map missing output": gen("--map", "instruction=a"),
    "--map unknown field": gen("--map", "instruction=a,output=b,colour=c"),
    "--to unknown": gen("--to", "yaml"),
    "--file-type unknown": gen("--file-type", "xml"),
    "--include-originals 2": gen("--include-originals", "2"),
    "--include-originals word": gen("--include-originals", "lots"),
    "--k-mode unknown": gen("--k-mode", "poisson"),
    "--meta-language unknown": gen("--meta-language", "xx"),
    "--engine unknown": gen("--engine", "spark"),
    "--split on a JSONL file": gen("--split", "train"),
    "--blocks 0 on Ray": gen("--engine", "ray", "--blocks", "0"),
    "--blocks without Ray": gen("--blocks", "4"),
    "--mix naming a strategy twice": gen("--mix", "primary=1,primary=2"),
    "-o ending in a separator": lambda d: ["generate", str(good_input(d)), "-o", f"{d / 'new'}{os.sep}"],
    "-o - (standard output)": lambda d: ["generate", str(good_input(d)), "-o", "-"],
    "--split with a path in it": gen("--split", "../x"),
    # -- verify on what is not a good export -------------------------------------------------
    "verify without manifest": lambda d: _forged_export(d, _PLAN_ROW, None),
    "verify manifest not JSON": lambda d: _forged_export(d, _PLAN_ROW, "{oops"),
    "verify manifest without recipe": lambda d: _forged_export(d, _PLAN_ROW, '{"tool": "mosaic-studio"}'),
    "verify manifest with a bad recipe": lambda d: _forged_export(
        d, _PLAN_ROW, json.dumps({"recipe": {"max_k": "x"}, "tool": "mosaic-studio"})
    ),
    "verify manifest is a folder": lambda d: [*_forged_export(d, _PLAN_ROW, None), _mkdir(d / "x.jsonl.manifest.json")][
        :2
    ],
    "verify empty export": lambda d: _forged_export(d, "", _RECIPE),
    "verify a folder": lambda d: ["verify", str(_user_folder(d))],
    "verify missing": lambda d: ["verify", str(d / "none.jsonl")],
    # -- stats ------------------------------------------------------------------------------
    "stats missing": lambda d: ["stats", str(d / "none.jsonl")],
    "stats binary": lambda d: ["stats", str(_write(d / "b.jsonl", bytes(range(256))))],
    "stats FIFO": lambda d: ["stats", str(_fifo(d))],
    "stats --max-tokens 0": lambda d: ["stats", str(good_input(d)), "--max-tokens", "0"],
    "stats --tokenizer unknown": lambda d: ["stats", str(good_input(d)), "--tokenizer", "gpt-17"],
}


def _mkdir(path: Path) -> str:
    path.mkdir()
    return str(path)


def _link(path: Path, target: Path) -> Path:
    path.symlink_to(target)
    return path


def _empty_folder(d: Path) -> Path:
    (d / "empty").mkdir()
    return d / "empty"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        try:
            info = path.lstat()
        except OSError:
            continue
        found[str(path.relative_to(folder))] = (info.st_size, int(info.st_mtime_ns))
    return found


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One line on stderr beginning ``error:``, exit 2, and the folder exactly as it was."""
    if name == "output in a read-only folder" and os.geteuid() == 0:
        pytest.skip("root writes through folder permissions; the read-only file system case covers it")
    world = tmp_path / "world"
    world.mkdir()
    argv = CASES[name](world)
    before = _snapshot(world)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    finally:
        for path in world.rglob("*"):  # let the clean-up of tmp_path through read-only folders
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (name, code, err)
    assert len(lines) == 1 and lines[0].startswith("error:"), (name, err)
    assert "Traceback" not in err
    assert _snapshot(world) == before, f"{name}: the folder changed"


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"mosaic": {"strategy": "primary"}}, "row 1"),
        ({"instruction": "a", "output": "b", "mosaic": {"strategy": "primary"}}, "row 1"),
    ],
)
def test_verify_counts_a_malformed_row_as_a_failed_mosaic(
    row: dict[str, object], problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row that cannot be read as a mosaic fails (exit 1, named in the summary); the run itself does not crash."""
    argv = _forged_export(tmp_path, json.dumps(row) + "\n", _RECIPE)
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert problem in captured.out and "Traceback" not in captured.err
