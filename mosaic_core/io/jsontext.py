"""JSON text as the readers need it: exact big numbers, keys an object repeats, lines of any length.

orjson is fast but quiet in three places a dataset tool must not be: it turns a whole
number past 64 bits into a float (a 30-digit id loses its digits), it keeps the last of
two equal keys, and reading a long line through a file object holds it twice.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import orjson

__all__ = ["loads_exact", "read_lines", "repeats_a_key", "rows_with_repeats"]


def _rounded(value: Any) -> bool:
    """Whether orjson turned a whole number past 64 bits into a float in this row (or list of rows)."""
    rows = value if isinstance(value, list) else [value]
    for row in rows:
        items = row.values() if isinstance(row, dict) else ()
        if any(type(v) is float and abs(v) >= 9.2e18 and v.is_integer() for v in items):
            return True
    return False


def loads_exact(raw: bytes | bytearray | str) -> Any:
    """JSON, fast; a whole number past 64 bits is parsed again exactly (orjson makes it a float, and a
    30-digit id would lose its digits)."""
    data = orjson.loads(raw)
    if _rounded(data):
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise orjson.JSONDecodeError(str(exc), "", 0) from None
    return data


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"([ \t\r\n]*:)?')
"""A JSON string literal (its escapes unrolled, so a long one is read in one pass) and, for a key, its colon."""


def _keys(value: Any) -> int:
    """Keys of every object in a parsed value."""
    if isinstance(value, dict):
        return len(value) + sum(_keys(v) for v in value.values() if isinstance(v, dict | list))
    if isinstance(value, list):
        return sum(_keys(v) for v in value if isinstance(v, dict | list))
    return 0


def repeats_a_key(raw: bytes | bytearray, parsed: Any) -> bool:
    """Whether the text holds more keys than the parsed value: an object repeated a key, and JSON kept the last.

    Strings are read left to right, so each match starts at a real opening quote; a key is a string
    followed by a colon.

    >>> repeats_a_key(b'{"a": 1, "a": 2}', {"a": 2}), repeats_a_key(b'{"a": "x: 1", "b": ":"}', {"a": 0, "b": 0})
    (True, False)
    """
    colons = _STRING.findall(raw)
    found = len(colons) - colons.count(b"")
    return found > _keys(parsed)


def rows_with_repeats(raw: bytes, rows: list[Any]) -> set[int]:
    """Positions of the rows (0-based) in which some object repeats a key, read again to find them."""
    marked: list[bool] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        found = dict(pairs)
        if len(set(keys)) != len(keys):
            marked.append(True)
            found["\x00repeated"] = True
        return found

    again = json.loads(raw, object_pairs_hook=hook)
    listed = again if isinstance(again, list) else next((v for v in again.values() if isinstance(v, list)), [])

    def has_mark(value: Any) -> bool:
        if isinstance(value, dict):
            return "\x00repeated" in value or any(has_mark(v) for v in value.values())
        return isinstance(value, list) and any(has_mark(v) for v in value)

    return {i for i, row in enumerate(listed[: len(rows)]) if has_mark(row)} if marked else set()


def read_lines(stream: io.BufferedIOBase, block: int = 1 << 20) -> Iterator[bytes | bytearray]:
    """The lines of a binary stream, each with its newline, read a block at a time.

    A line longer than a block grows in one bytearray and is handed over as it is: iterating the
    stream itself would hold it twice while it joins the pieces.

    >>> [bytes(line) for line in read_lines(io.BytesIO(b"ab\\ncd\\nlong" + b"x" * 9), block=4)]
    [b'ab\\n', b'cd\\n', b'longxxxxxxxxx']
    """
    pending: bytearray | None = None
    for chunk in iter(lambda: stream.read(block), b""):
        parts = chunk.split(b"\n")
        last = parts.pop()  # the text after the block's last newline: a line still open
        for part in parts:
            if pending is not None:
                pending += part
                pending += b"\n"
                yield pending
                pending = None
            else:
                yield part + b"\n"
        if last:
            if pending is None:
                pending = bytearray(last)
            else:
                pending += last
    if pending:
        yield pending
