"""A big JSON file read one record at a time, so memory stays bounded by the largest record, not the file.

The whole-file parse (orjson, ``readers.py``) holds the text and every record at once: for
hundreds of megabytes of tiny records that is many times the file's size. Here the text is
decoded a block at a time and each record is parsed on its own by the standard library's C
scanner, which keeps whole numbers exact (a 30-digit id keeps its digits) and hands every
object's pairs to a hook, so a record that repeats a key is caught exactly. Two shapes are
streamed: a list of records, and an object holding lists (one chosen as ``readers.py`` chooses:
the split asked for, or the only list of records); the object is read twice, first to learn
its lists and their sizes.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["NotUtf8Error", "Shape", "StreamError", "object_shape", "sample_items", "stream_items"]

_BLOCK = 1 << 20
_SPACE = re.compile(r"[ \t\r\n]*")


class StreamError(ValueError):
    """The text is not valid JSON; the message says where."""


class NotUtf8Error(StreamError):
    """The file is not UTF-8 text."""


class _Reader:
    """The decoded text of a file, a block at a time, and the values in it one at a time.

    Positions (``at``) count characters from the start of the file; ``repeated`` tells whether the
    last value read holds an object that repeats a key.
    """

    def __init__(self, path: Path, limit: int | None = None) -> None:
        self._stream = path.open("rb")
        self._limit = limit  # read no further than this many bytes (a sample)
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buffer = ""
        self.start = 0  # the position of buffer[0]
        self.ended = False
        self.repeated = False

        def pairs(found: list[tuple[str, Any]]) -> dict[str, Any]:
            built = dict(found)
            if len(built) != len(found):
                self.repeated = True
            return built

        self._decode = json.JSONDecoder(object_pairs_hook=pairs, parse_constant=_no_constant).raw_decode

    def close(self) -> None:
        self._stream.close()

    def _more(self) -> bool:
        """Read another block; False at the end of the file."""
        if self.ended:
            return False
        done = self._stream.tell()
        block = self._stream.read(_BLOCK if self._limit is None else max(0, min(_BLOCK, self._limit - done)))
        try:
            self.buffer += self._decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            raise NotUtf8Error(f"not UTF-8 text (bad byte at offset {done + exc.start}); re-save it as UTF-8") from None
        self.ended = not block
        return True

    def _drop(self, at: int) -> None:
        """Forget the text before ``at`` once it is over half the buffer."""
        cut = at - self.start
        if cut > len(self.buffer) // 2:
            self.buffer = self.buffer[cut:]
            self.start = at

    def peek(self, at: int) -> tuple[str, int]:
        """The first character at or after ``at`` that is not white space ("" at the end), and its position."""
        while True:
            found = _SPACE.match(self.buffer, at - self.start)
            end = found.end() if found else at - self.start
            if end < len(self.buffer):
                return self.buffer[end], self.start + end
            at = self.start + end
            if not self._more():
                return "", at

    def expect(self, at: int, allowed: str) -> tuple[str, int]:
        """The next structural character (one of ``allowed``) and the position after it."""
        found, at = self.peek(at)
        if not found or found not in allowed:
            shown = repr(found) if found else "the end of the file"
            raise StreamError(f"expected {' or '.join(allowed)} at character {at}, found {shown}")
        self._drop(at)
        return found, at + 1

    def end(self, at: int) -> None:
        """Nothing but white space may follow the top-level value."""
        found, at = self.peek(at)
        if found:
            raise StreamError(f"extra data after the top-level value at character {at}")

    def value(self, at: int) -> tuple[Any, int]:
        """The value at ``at`` and the position after it, reading on until it is whole."""
        _, at = self.peek(at)
        while True:
            self.repeated = False
            try:
                value, end = self._decode(self.buffer, at - self.start)
                if end == len(self.buffer) and self._more():  # a number may go on in the next block
                    continue
                return value, self.start + end
            except json.JSONDecodeError as exc:
                if not self._more():  # broken, not merely cut by the end of a block
                    raise StreamError(f"{exc.msg} (character {self.start + exc.pos})") from None

    def items(self, at: int, positions: list[int]) -> Iterator[tuple[Any, bool]]:
        """The items of the list whose ``[`` is just before ``at``; ``positions[0]`` ends after its ``]``."""
        found, after = self.peek(at)
        if found == "]":
            positions[0] = after + 1
            return
        while True:
            item, at = self.value(at)
            yield item, self.repeated
            mark, at = self.expect(at, ",]")
            if mark == "]":
                positions[0] = at
                return


def _no_constant(name: str) -> Any:
    raise StreamError(f"{name} is not JSON")


Shape = dict[str, tuple[int, bool]]
"""The object's keys in order, each with (items, first item is an object); -1 items for a value that is not a list."""


def object_shape(path: Path) -> Shape:
    """First pass over a top-level object: its keys, which hold lists, how many items each, and of what kind."""
    reader = _Reader(path)
    try:
        _, at = reader.expect(0, "{")
        found: Shape = {}
        mark, after = reader.peek(at)
        if mark == "}":
            reader.end(after + 1)
            return found
        while True:
            key, at = reader.value(at)
            _, at = reader.expect(at, ":")
            mark, after = reader.peek(at)
            if mark == "[":
                count, first_is_object, ends = 0, False, [after + 1]
                for item, _ in reader.items(after + 1, ends):
                    first_is_object = first_is_object or (count == 0 and isinstance(item, dict))
                    count += 1
                found[str(key)] = (count, first_is_object)
                at = ends[0]
            else:
                _, at = reader.value(at)
                found[str(key)] = (-1, False)
            mark, at = reader.expect(at, ",}")
            if mark == "}":
                reader.end(at)
                return found
    finally:
        reader.close()


def stream_items(path: Path, key: str | None = None) -> Iterator[tuple[Any, bool]]:
    """The items of the top-level list (``key`` None) or of the list under ``key``: (item, repeats a key).

    An object is read only as far as its list (``object_shape`` has read all of it already).
    """
    reader = _Reader(path)
    try:
        if key is None:
            _, at = reader.expect(0, "[")
        else:
            _, at = reader.expect(0, "{")
            while True:
                name, at = reader.value(at)
                _, at = reader.expect(at, ":")
                mark, after = reader.peek(at)
                if name == key and mark == "[":
                    at = after + 1
                    break
                _, at = reader.value(at)
                _, at = reader.expect(at, ",")
        ends = [at]
        yield from reader.items(at, ends)
        if key is None:
            reader.end(ends[0])
    finally:
        reader.close()


def sample_items(path: Path, limit: int) -> int:
    """How many items of the file's first list (top-level, or the first in a top-level object) lie whole within
    its first ``limit`` bytes: a cheap count to scale up to the whole file."""
    reader = _Reader(path, limit)
    count = 0
    try:
        first, at = reader.peek(0)
        at += 1
        while first == "{":  # keys and values up to the first list
            _, at = reader.value(at)
            _, at = reader.expect(at, ":")
            mark, after = reader.peek(at)
            if mark == "[":
                at = after + 1
                break
            _, at = reader.value(at)
            _, at = reader.expect(at, ",")
        for _ in reader.items(at, [at]):
            count += 1
    except StreamError:
        pass  # the sample ends inside a value
    finally:
        reader.close()
    return count
