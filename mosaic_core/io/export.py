"""Write mosaics in the record formats trainers read, atomically, with a manifest.

Record formats: ``alpaca``, ``sharegpt``, ``messages`` (OpenAI chat) and
``prompt_completion``. File types: ``jsonl`` (default), ``json``, ``parquet`` and
``hf`` (a ``save_to_disk`` folder). Every file is written beside its final
place under a temporary name, flushed to disk, then renamed, so an interrupted
export leaves the previous file or nothing. Given a ``Pair`` (``io/journal.py``),
the data is only staged, and renamed together with its manifest.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.journal import Pair, staging_folder, temp_file
from mosaic_core.io.load import LoadResult
from mosaic_core.io.rows import RECORD_FORMATS, Losses, RowShape
from mosaic_core.records import Mosaic

__all__ = [
    "FILE_TYPES",
    "RECORD_FORMATS",
    "RowShape",
    "atomic_file",
    "export_rows",
    "jsonl_line",
    "mosaic_row",
    "original_rows",
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
    handle, temp = temp_file(target)
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


def write_rows(
    target: Path,
    rows: Iterable[dict[str, Any]],
    file_type: str,
    shape: RowShape | None = None,
    pair: Pair | None = None,
) -> int:
    """Write ``rows`` to ``target`` atomically (staged in ``pair`` when given); returns how many were written.

    Parquet and ``hf`` exports declare ``shape``'s Arrow types (inferred from the rows when None).
    """
    if file_type not in FILE_TYPES:
        raise ConfigError(f"unknown file type {file_type!r}; known: {', '.join(FILE_TYPES)}")
    written = 0
    opened = atomic_file if pair is None else pair.file
    if file_type == "jsonl":
        with opened(target) as stream:
            for row in rows:
                stream.write(jsonl_line(row))
                written += 1
        return written
    collected = list(rows)
    if file_type == "json":
        with opened(target) as stream:
            stream.write(orjson.dumps(collected, option=orjson.OPT_INDENT_2) + b"\n")
        return len(collected)
    import pyarrow as pa  # noqa: PLC0415

    table = pa.Table.from_pylist(collected, schema=shape.arrow_schema() if shape is not None else None)
    if file_type == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415

        with opened(target) as stream:
            pq.write_table(table, stream)
        return len(collected)
    import datasets  # noqa: PLC0415

    staging = staging_folder(target)
    if pair is not None:  # the folder moves in with its manifest (io/journal.py); a failure here leaves nothing
        try:
            datasets.Dataset(table).save_to_disk(str(staging / "data"), num_shards=1)
            pair.folder(staging / "data", target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return len(collected)
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


def original_rows(loaded: LoadResult, share: float, seed: int, shape: RowShape, losses: Losses) -> list[dict[str, Any]]:
    """The rows written beside the mosaics: ``share`` of the source records as they are (drawn with ``seed``),
    and every conversation kept whole."""
    records = loaded.records
    chosen: list[int] = []
    if share >= 1.0:
        chosen = list(range(len(records)))
    elif share > 0.0:
        chosen = sorted(random.Random(seed).sample(range(len(records)), round(len(records) * share)))
    rows = []
    for i in chosen:
        record = records[i]
        plan = {"strategy": "original", "source_ids": [record.id]}
        rows.append(shape.row(record.prompt_text, record.response_text, record.system, record.tools, plan, losses))
    for conversation in loaded.conversations:
        plan = {"strategy": "conversation", "source_ids": [conversation.id]}
        row = shape.conversation(
            conversation.turns, conversation.system, conversation.tools, plan, losses, conversation.links
        )
        if row is not None:
            rows.append(row)
    return rows
