"""Raw rows from files: JSON, JSONL, CSV, Parquet, save_to_disk folders, hub ids, bytes.

A reader yields ``(row_number, row)`` pairs, where ``row`` is whatever the file
holds at that place (normally a dict). Problems with the file as a whole raise
``DatasetError``; problems with one row are yielded as ``RowError`` so the
loader can count them.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from mosaic_core.errors import DatasetError
from mosaic_core.io.hub import hub_rows
from mosaic_core.io.jsonstream import NotUtf8Error, StreamError, object_shape, stream_items
from mosaic_core.io.jsontext import loads_exact, read_lines, repeats_a_key, rows_with_repeats
from mosaic_core.io.schemas import SCHEMAS, json_type, shown
from mosaic_core.io.source import BINARY_BYTE, RowError, Source, decode, refuse_bomless_utf16, sniff_kind

__all__ = ["STREAM_FROM", "iter_rows"]

_LIST_FIELDS = ("data", "train", "examples", "records", "rows", "items", "instances")
STREAM_FROM = 64 << 20
"""JSON files from this size on are read a record at a time (``io/jsonstream.py``); smaller ones whole, faster."""


def _json_rows(source: Source) -> Iterator[tuple[int, Any]]:
    if source.path is not None and source.path.stat().st_size >= STREAM_FROM:
        first = _head(source.name, source.path)
        if first in (b"[", b"{"):
            yield from _streamed_rows(source, source.path, first)
            return
    raw = source.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = _parse_json(source.name, decode(source.name, raw))
    else:
        # UTF-8 goes to orjson as bytes (it checks the encoding itself); _decode explains any failure.
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        if not raw or raw.isspace():
            raise DatasetError(f"{source.name}: the file is empty")
        try:
            data = loads_exact(raw)
        except orjson.JSONDecodeError:
            if raw.lstrip().startswith(b"{") and b"\n{" in raw:  # JSON Lines under a .json name
                del raw
                yield from _jsonl_rows(source, None)
                return
            data = _parse_json(source.name, decode(source.name, raw))
    whole = raw if isinstance(raw, bytes) else None
    del raw
    top = data
    if isinstance(data, dict) and any(all(f in data for f in fields) for fields in SCHEMAS.values()):
        data = [data]  # one record on its own, even if it holds a list (messages, history)
    if isinstance(data, dict):
        lists = [key for key, value in data.items() if isinstance(value, list)]
        # Splits are lists of records (objects); an empty list or one of strings is not a split to choose.
        records = [key for key in lists if data[key] and isinstance(data[key][0], dict)]
        if not records and len(lists) == 1:
            records = lists
        chosen = _split_of(source, records, {key: len(data[key]) for key in records})
        if chosen is None:
            found = ", ".join(shown(key) for key in sorted(map(str, data))) or "none"
            raise DatasetError(f"{source.name}: a JSON object without one list of records to read (keys: {found})")
        data = data[chosen]
    if not isinstance(data, list):
        raise DatasetError(f"{source.name}: the top level is {json_type(data)}; expected a JSON list of records")
    if source.split is not None and not isinstance(top, dict):
        raise DatasetError(f"{source.name}: a JSON list holds one list of records; --split is for inputs with several")
    repeated = rows_with_repeats(whole, data) if whole is not None and repeats_a_key(whole, data) else set()
    for number, row in enumerate(data, start=1):
        if number - 1 in repeated:
            yield number, RowError(f"record {number} repeats a key; JSON would keep only its last value")
        else:
            yield number, row


def _head(name: str, path: Path) -> bytes:
    """The first character of a UTF-8 file after its BOM and white space (b"" for UTF-16, which is read whole)."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return b""
    head = head.removeprefix(codecs.BOM_UTF8)
    refuse_bomless_utf16(name, head[:64])
    if BINARY_BYTE.search(head, 0, 1024):
        raise DatasetError(f"{name}: looks like binary data, not a text dataset")
    return head.lstrip(b" \t\r\n")[:1]


def _streamed_rows(source: Source, path: Path, first: bytes) -> Iterator[tuple[int, Any]]:
    """A big JSON list, or a list in a big JSON object, one record at a time (the same rows as ``_json_rows``)."""
    key = None
    try:
        if first == b"{":
            shape = object_shape(path)
            lists = [name for name, (count, _) in shape.items() if count >= 0]
            records = [name for name in lists if shape[name][0] > 0 and shape[name][1]] or lists[:1] * (len(lists) == 1)
            if any(all(f in shape for f in fields) for fields in SCHEMAS.values()) or not records:
                yield from _json_rows(Source.from_bytes(source.name, path.read_bytes()))  # one record, whole
                return
            key = _split_of(source, records, {name: shape[name][0] for name in records})
        elif source.split is not None:
            raise DatasetError(
                f"{source.name}: a JSON list holds one list of records; --split is for inputs with several"
            )
    except StreamError as exc:
        if first == b"{" and not isinstance(exc, NotUtf8Error):  # JSON Lines under a .json name, or not JSON
            yield from _jsonl_rows(source, None)
            return
        raise DatasetError(_said(source.name, exc)) from None
    try:
        for number, (row, repeated) in enumerate(stream_items(path, key), start=1):
            yield (
                number,
                RowError(f"record {number} repeats a key; JSON would keep only its last value") if repeated else row,
            )
    except StreamError as exc:
        raise DatasetError(_said(source.name, exc)) from None


def _said(name: str, exc: StreamError) -> str:
    return f"{name}: {exc}" if isinstance(exc, NotUtf8Error) else f"{name}: not valid JSON ({exc})"


def _split_of(source: Source, lists: list[str], sizes: dict[str, int]) -> str | None:
    """The list to read from an object of several: the one asked for, the only one, or a clear refusal."""
    if source.split is not None:
        if source.split not in lists:
            found = ", ".join(f"{shown(key)} ({sizes[key]:,})" for key in lists) or "none"
            raise DatasetError(f"{source.name}: no split {source.split!r}; it holds {found}")
        return source.split
    if len(lists) > 1:
        found = ", ".join(f"{shown(key)} ({sizes[key]:,} rows)" for key in lists)
        raise DatasetError(f"{source.name}: holds several lists of records: {found}; choose one with --split NAME")
    return next((key for key in _LIST_FIELDS if key in lists), lists[0] if lists else None)


def _parse_json(name: str, text: str) -> Any:
    if not text.strip():
        raise DatasetError(f"{name}: the file is empty")
    try:
        return loads_exact(text)
    except orjson.JSONDecodeError as exc:
        raise DatasetError(f"{name}: not valid JSON ({exc})") from None
    except RecursionError:
        raise DatasetError(f"{name}: nested too deeply to be a dataset") from None


def _jsonl_rows(source: Source, progress: Callable[[int, int], None] | None) -> Iterator[tuple[int, Any]]:
    """Line by line, so a large file is never held as text and records at once."""
    if source.data is not None:
        stream: io.BufferedIOBase = io.BytesIO(source.data)
        size = len(source.data)
    else:
        assert source.path is not None  # noqa: S101
        try:
            stream = source.path.open("rb")
        except FileNotFoundError:
            raise DatasetError(f"{source.name}: no such file") from None
        size = source.path.stat().st_size
    with stream:
        first = stream.read(4)
        stream.seek(0)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            lines: Iterator[bytes | bytearray] = iter(
                decode(source.name, stream.read()).encode("utf-8").splitlines(True)
            )
        else:
            lines = read_lines(stream)
        done = 0
        seen_any = False
        for number, raw_line in enumerate(lines, start=1):
            done += len(raw_line)
            line = raw_line
            if progress is not None and number % 20000 == 0:
                progress(done, size)
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            if not line or line.isspace():
                continue
            if BINARY_BYTE.search(line, 0, 256):
                raise DatasetError(f"{source.name}: line {number} holds binary data, not JSON text")
            if not seen_any:
                refuse_bomless_utf16(source.name, bytes(line[:64]))
            seen_any = True
            try:
                row = loads_exact(line)
                if repeats_a_key(line, row):
                    row = RowError(f"line {number} repeats a key; JSON would keep only its last value")
                yield number, row
            except orjson.JSONDecodeError as exc:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as bad:
                    raise DatasetError(
                        f"{source.name}: line {number} is not UTF-8 text (byte {bad.start}); re-save the file as UTF-8"
                    ) from None
                yield number, RowError(f"line {number} is not valid JSON ({exc})")
        if progress is not None:
            progress(size, size)
        if not seen_any:
            raise DatasetError(f"{source.name}: the file is empty")


def _csv_rows(source: Source) -> Iterator[tuple[int, Any]]:
    import pandas as pd  # noqa: PLC0415 - heavy, only for CSV

    text = decode(source.name, source.read_bytes())
    if not text.strip():
        raise DatasetError(f"{source.name}: the file is empty")
    sep = "\t" if source.name.lower().endswith(".tsv") else ","
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=sep), [])
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:  # pandas would keep both under new names ("a.1"), and the schema would read only one
        raise DatasetError(f"{source.name}: the columns {', '.join(map(shown, twice))} appear more than once")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(f"{source.name}: not a readable CSV file ({str(exc).strip()})") from None
    yield from enumerate(frame.to_dict(orient="records"), start=1)


def _parquet_rows(source: Source) -> Iterator[tuple[int, Any]]:
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        handle = pq.ParquetFile(io.BytesIO(source.read_bytes()))
    except (pa.ArrowInvalid, OSError) as exc:
        raise DatasetError(f"{source.name}: not a readable Parquet file ({exc})") from None
    number = 0
    for batch in handle.iter_batches(batch_size=8192):
        for row in batch.to_pylist():
            number += 1
            yield number, row


def _hf_disk_rows(source: Source) -> Iterator[tuple[int, Any]]:
    import datasets  # noqa: PLC0415

    assert source.path is not None  # noqa: S101
    try:
        loaded = datasets.load_from_disk(str(source.path))
    except (FileNotFoundError, ValueError) as exc:
        raise DatasetError(f"{source.name}: cannot read the save_to_disk folder ({exc})") from None
    if isinstance(loaded, datasets.DatasetDict):
        names = list(loaded)
        split = _split_of(source, names, {name: len(loaded[name]) for name in names})
        loaded = loaded[split]
    yield from enumerate(loaded, start=1)


def iter_rows(
    source: Source, progress: Callable[[int, int], None] | None = None
) -> tuple[str, Iterator[tuple[int, Any]]]:
    """The file kind and an iterator over its rows."""
    kind = sniff_kind(source)
    if source.split is not None and kind in ("jsonl", "csv", "parquet"):
        raise DatasetError(
            f"{source.name}: a {kind} file holds one list of records; --split is for inputs with several"
        )
    readers: dict[str, Callable[[], Iterator[tuple[int, Any]]]] = {
        "json": lambda: _json_rows(source),
        "jsonl": lambda: _jsonl_rows(source, progress),
        "csv": lambda: _csv_rows(source),
        "parquet": lambda: _parquet_rows(source),
        "hf_disk": lambda: _hf_disk_rows(source),
        "hub": lambda: hub_rows(source),
    }
    return kind, readers[kind]()
