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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.rows import RECORD_FORMATS, RowShape
from mosaic_core.records import Mosaic

__all__ = [
    "FILE_TYPES",
    "RECORD_FORMATS",
    "RowShape",
    "atomic_file",
    "export_rows",
    "jsonl_line",
    "mosaic_row",
    "write_rows",
]

FILE_TYPES = ("jsonl", "json", "parquet", "hf")


def mosaic_row(mosaic: Mosaic, shape: RowShape) -> dict[str, Any]:
    """A mosaic's row in the export's shape (``io/rows.py``)."""
    return shape.mosaic(mosaic)


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


def write_rows(target: Path, rows: Iterable[dict[str, Any]], file_type: str, shape: RowShape | None = None) -> int:
    """Write ``rows`` to ``target`` atomically; returns how many were written.

    Parquet and ``hf`` exports declare ``shape``'s Arrow types (inferred from the rows when None).
    """
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

    table = pa.Table.from_pylist(collected, schema=shape.arrow_schema() if shape is not None else None)
    if file_type == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415

        with atomic_file(target) as stream:
            pq.write_table(table, stream)
        return len(collected)
    import datasets  # noqa: PLC0415

    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        datasets.Dataset(table).save_to_disk(str(staging / "data"), num_shards=1)  # one file trainers can name
        if target.exists():  # an earlier export (io/guard.py checked): moved aside, then removed
            os.replace(target, staging / "old")
        os.replace(staging / "data", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(collected)


def export_rows(
    mosaics: Iterable[Mosaic],
    shape: RowShape,
    originals: Iterable[dict[str, Any]] = (),
) -> Iterator[dict[str, Any]]:
    """Rows of an export: mosaics first, then any original samples mixed in."""
    for mosaic in mosaics:
        yield shape.mosaic(mosaic)
    yield from originals
