"""Write mosaics in the record formats trainers read, atomically, with a manifest.

Record formats: ``alpaca``, ``sharegpt``, ``messages`` (OpenAI chat) and
``prompt_completion``. File types: ``jsonl`` (default), ``json``, ``parquet`` and
``hf`` (a ``save_to_disk`` folder). Every file is written beside its final
place under a temporary name, flushed to disk, then renamed, so an interrupted
export leaves the previous file or nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.records import Mosaic

__all__ = [
    "FILE_TYPES",
    "RECORD_FORMATS",
    "atomic_file",
    "export_rows",
    "jsonl_line",
    "mosaic_row",
    "plain_row",
    "provenance_as_text",
    "write_rows",
]

RECORD_FORMATS = ("alpaca", "sharegpt", "messages", "prompt_completion")
FILE_TYPES = ("jsonl", "json", "parquet", "hf")


def plain_row(prompt: str, answer: str, record_format: str, turns: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """One sample in ``record_format``; ``turns`` keeps a whole conversation where the format allows.

    >>> plain_row("Q", "A", "messages")
    {'messages': [{'role': 'user', 'content': 'Q'}, {'role': 'assistant', 'content': 'A'}]}
    """
    pairs = turns or (("user", prompt), ("assistant", answer))
    if record_format == "alpaca":
        if turns:
            history = [[pairs[i][1], pairs[i + 1][1]] for i in range(0, len(pairs) - 2, 2)]
            return {"instruction": pairs[-2][1], "input": "", "output": pairs[-1][1], "history": history}
        return {"instruction": prompt, "input": "", "output": answer}
    if record_format == "sharegpt":
        names = {"user": "human", "assistant": "gpt"}
        return {"conversations": [{"from": names[role], "value": text} for role, text in pairs]}
    if record_format == "messages":
        return {"messages": [{"role": role, "content": text} for role, text in pairs]}
    if record_format == "prompt_completion":
        if turns:
            raise ConfigError("prompt_completion cannot hold a multi-turn conversation; choose another format")
        return {"prompt": prompt, "completion": answer}
    raise ConfigError(f"unknown record format {record_format!r}; known: {', '.join(RECORD_FORMATS)}")


def mosaic_row(mosaic: Mosaic, record_format: str, provenance: bool) -> dict[str, Any]:
    row = plain_row(mosaic.prompt, mosaic.answer, record_format)
    if provenance:
        row["mosaic"] = mosaic.plan.to_dict()
    return row


def jsonl_line(row: dict[str, Any]) -> bytes:
    r"""One JSON Lines record.

    orjson writes non-ASCII as itself; U+2028/2029 are escaped so line-based readers never split on them.

    >>> jsonl_line({"a": "x\u2028y"})
    b'{"a":"x\\u2028y"}\n'
    """
    line = orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)
    if line.isascii():  # the common case, checked far faster than the two searches
        return line
    return line.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``target`` only once it is complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; an export should be readable like any file
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_rows(target: Path, rows: Iterable[dict[str, Any]], file_type: str) -> int:
    """Write ``rows`` to ``target`` atomically; returns how many were written."""
    if file_type not in FILE_TYPES:
        raise ConfigError(f"unknown file type {file_type!r}; known: {', '.join(FILE_TYPES)}")
    written = 0
    if file_type == "jsonl":
        with atomic_file(target) as stream:
            for row in rows:
                stream.write(jsonl_line(row))
                written += 1
        return written
    collected = list(rows)
    if file_type == "json":
        with atomic_file(target) as stream:
            stream.write(orjson.dumps(collected, option=orjson.OPT_INDENT_2) + b"\n")
        return len(collected)
    import pyarrow as pa  # noqa: PLC0415

    table = pa.Table.from_pylist(_flatten_provenance(collected))
    if file_type == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415

        with atomic_file(target) as stream:
            pq.write_table(table, stream)
        return len(collected)
    import datasets  # noqa: PLC0415

    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        datasets.Dataset(table).save_to_disk(str(staging / "data"))
        if target.exists():  # an earlier export (io/guard.py checked): moved aside, then removed
            os.replace(target, staging / "old")
        os.replace(staging / "data", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(collected)


def provenance_as_text(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its plan as JSON text: columnar formats want one type per column, and plans vary.

    >>> provenance_as_text({"prompt": "p", "mosaic": {"k": 2}})["mosaic"]
    '{"k":2}'
    """
    return {**row, "mosaic": orjson.dumps(row["mosaic"]).decode()} if "mosaic" in row else row


def _flatten_provenance(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if rows and "mosaic" in rows[0]:
        return [provenance_as_text(row) for row in rows]
    return rows


def export_rows(
    mosaics: Iterable[Mosaic],
    record_format: str,
    provenance: bool,
    originals: Iterable[dict[str, Any]] = (),
    on_row: Callable[[], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows of an export: mosaics first, then any original samples mixed in."""
    for mosaic in mosaics:
        if on_row is not None:
            on_row()
        yield mosaic_row(mosaic, record_format, provenance)
    yield from originals
