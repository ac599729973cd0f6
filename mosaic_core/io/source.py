"""Where rows come from: a file, a folder, bytes or a hub id, and what kind of file it is.

A ``Source`` names the input; ``sniff_kind`` decides its format from its name
and first bytes; ``decode`` turns bytes into text with the encodings we accept.
``readers.py`` then yields its rows.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from mosaic_core.errors import DatasetError
from mosaic_core.io.jsonstream import sample_items

__all__ = [
    "BINARY_BYTE",
    "BINARY_CONTROL",
    "MEMORY_BASE",
    "MEMORY_FACTOR",
    "MEMORY_PER_RECORD",
    "RowError",
    "Source",
    "available_memory",
    "check_fits",
    "check_regular",
    "count_records",
    "decode",
    "refuse_bomless_utf16",
    "sniff_kind",
]

BINARY_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))
BINARY_BYTE = re.compile(b"[" + re.escape(bytes(sorted(BINARY_CONTROL))) + b"]")
"""Finds a byte of BINARY_CONTROL: one search, where a loop over the bytes cost half of reading JSON Lines."""
_HUB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}")
_SPLIT = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not even be parsed (e.g. a broken JSONL line)."""

    message: str


@dataclass(frozen=True, slots=True)
class Source:
    """Where a dataset comes from: a path, a hub id, or uploaded bytes with their name."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    hub_id: str | None = None
    split: str | None = None
    """The split to read where the input holds several (a JSON object of lists, a DatasetDict, the hub);
    None: the input must hold one, or the reader says which there are."""

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], split: str | None = None) -> Source:
        file = Path(path)
        if split is not None and not _SPLIT.fullmatch(split):
            raise DatasetError(f"{split!r} is not a split name (letters, digits, _ - .)")
        return cls(name=str(file), path=file, split=split)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        return cls(name=name, data=data)

    @classmethod
    def from_hub(cls, hub_id: str, split: str = "train") -> Source:
        """A hub dataset named ``owner/name``; anything else (a path, a builder name such as ``json``) is refused.

        >>> Source.from_hub("tatsu-lab/alpaca").name
        'hf://tatsu-lab/alpaca'
        """
        if not _HUB_ID.fullmatch(hub_id) or ".." in hub_id:
            raise DatasetError(f"{hub_id!r} is not a hub dataset id; give owner/name, e.g. tatsu-lab/alpaca")
        if not _SPLIT.fullmatch(split):
            raise DatasetError(f"{split!r} is not a split name (letters, digits, _ - .)")
        return cls(name=f"hf://{hub_id}", hub_id=hub_id, split=split)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None  # noqa: S101 - one of the two is always set by the constructors
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise DatasetError(f"{self.name}: no such file") from None
        except IsADirectoryError:
            raise DatasetError(f"{self.name}: is a folder but not a save_to_disk dataset") from None
        except OSError as exc:
            raise DatasetError(f"{self.name}: cannot read ({exc.strerror})") from None


def check_regular(path: Path, what: str = "input") -> os.stat_result:
    """The file's status if it is a regular file or a folder; a clear error for anything else, before any read.

    A FIFO would block the reader and a device never ends, so neither is opened.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise DatasetError(f"{path}: is {kind}, not a file; give a regular {what} file")
    if stat.S_ISREG(info.st_mode) and not os.access(path, os.R_OK):
        raise DatasetError(f"{path}: cannot read the {what} (permission denied)")
    return info


MEMORY_FACTOR = 3
MEMORY_BASE = 500 << 20
MEMORY_PER_RECORD = 1 << 10
"""Loading holds about 2 x the file size + MEMORY_BASE for records of ordinary size, up to 3 x for one huge line
(the parser holds the line, a buffer and the string it builds; bench_load.py measures both). Each record costs
besides its text a fixed amount, as a SourceRecord and then in the table a run builds (token counts, features,
language): about 1 KB measured on tiny records (10 M of them peaked at 10.8 GB end to end), which dominates
when records are small. The check assumes BASE + max(3 x size, 2 x size + 1 KB x records)."""
_SAMPLE = 4 << 20
_COUNT_FROM = 64 << 20
"""Smaller files hold too few records for them to matter beside the size (64 MB of 30-byte records: 2 M, 2 GB)."""


def available_memory() -> int | None:
    """Bytes of memory the system can still give (Linux's MemAvailable), None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def count_records(path: Path, size: int, kind: str) -> int:
    """Records in a JSON Lines file (its lines, counted a block at a time), or about how many in a JSON file
    (those in its first 4 MB, scaled to its size); 0 for other kinds."""
    if kind == "jsonl":
        lines = 0
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                lines += block.count(b"\n")
        return lines + 1
    if kind == "json" and size > 0:
        return -(-sample_items(path, _SAMPLE) * size // min(size, _SAMPLE))
    return 0


def check_fits(path: Path, size: int, records: int = 0) -> None:
    """Refuse early, with a way out, an input whose loading (and the table built from it) would not fit in memory."""
    free = available_memory()
    need = MEMORY_BASE + max(MEMORY_FACTOR * size, 2 * size + MEMORY_PER_RECORD * records)
    if free is not None and need > free:
        held = f" holding about {records:,} records" if records else ""
        raise DatasetError(
            f"{path}: {size / 2**30:.1f} GB{held}; loading it needs about {need / 2**30:.1f} GB of memory and "
            f"{free / 2**30:.1f} GB is free; use --engine ray, or split the file"
        )


def sniff_kind(source: Source) -> str:
    """``json``, ``jsonl``, ``csv``, ``parquet``, ``hf_disk`` or ``hub``, from name and content.

    A file that would not fit in memory is refused here, before it is read (``check_fits``).
    """
    if source.hub_id is not None:
        return "hub"
    if source.path is None:
        return _sniff(source)
    info = check_regular(source.path)
    if not stat.S_ISREG(info.st_mode):
        return _sniff(source)
    check_fits(source.path, info.st_size)  # by size alone first: nothing is read from a file far too big
    kind = _sniff(source)
    if info.st_size >= _COUNT_FROM:
        check_fits(source.path, info.st_size, count_records(source.path, info.st_size, kind))
    return kind


def _sniff(source: Source) -> str:
    if source.path is not None and source.path.is_dir():
        if (source.path / "dataset_info.json").exists() or (source.path / "dataset_dict.json").exists():
            return "hf_disk"
        raise DatasetError(f"{source.name}: a folder, but not one written by datasets' save_to_disk")
    suffix = Path(source.name).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        # Many ".json" files (Ray's shards among them) are JSON Lines: one object per line.
        head = (source.data[:65536] if source.data is not None else _head(source, 65536)).lstrip(b"\xef\xbb\xbf \t\r\n")
        return "jsonl" if head.startswith(b"{") and b"}\n{" in head.replace(b"\r\n", b"\n") else "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    head = source.read_bytes()[:4096] if source.data is not None else _head(source)
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl" if b"\n{" in text else "json"
    raise DatasetError(f"{source.name}: cannot tell the file type; use a .json, .jsonl, .csv or .parquet file name")


def _head(source: Source, size: int = 4096) -> bytes:
    assert source.path is not None  # noqa: S101 - only called for path sources
    try:
        with source.path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise DatasetError(f"{source.name}: no such file") from None


def decode(name: str, raw: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DatasetError(f"{name}: claims UTF-16 (byte order mark) but does not decode as UTF-16") from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    refuse_bomless_utf16(name, raw[:64])
    if BINARY_BYTE.search(raw, 0, 1024):
        raise DatasetError(f"{name}: looks like binary data, not a text dataset")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{name}: not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8") from None


def refuse_bomless_utf16(name: str, head: bytes) -> None:
    """UTF-16 text without a byte order mark has a NUL in every other byte of ASCII text."""
    half = len(head) // 2
    if len(head) >= 8 and max(head[1::2].count(0), head[0::2].count(0)) >= half - 1:
        raise DatasetError(f"{name}: looks like UTF-16 without a byte order mark; re-save it as UTF-8")
