"""Data and manifest as one pair: staged under temporary names, then renamed into place under a journal.

An export writes its data and its manifest beside their places under temporary names and flushes
both to disk (``Pair.file``, ``Pair.folder``). ``Pair.commit`` then writes ``.NAME.journal``,
naming each staged file, its final name and its sha256, renames them all and removes the journal.
A run killed between the renames leaves the journal behind; ``recover`` finishes it before anyone
reads or replaces the export: forward when every staged file is still whole (its sha256 matches),
else back (the staged files are removed, an hf folder moved aside is put back). So the target holds
the earlier pair or the new one, and a journal we did not write, or one naming anything but our own
temporary names, is never acted on.

``MOSAIC_TEST_PAUSE_COMMIT`` (seconds) holds a commit between its first and second rename: the
fault tests kill a run there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.digest import file_sha256

__all__ = ["Pair", "journal_path", "recover", "staging_folder", "temp_file", "tree_sha256"]

_TAG = "mosaic-studio"


def journal_path(output: Path) -> Path:
    """``.NAME.journal`` beside the export.

    >>> journal_path(Path("runs/m.jsonl")).name
    '.m.jsonl.journal'
    """
    return output.with_name(f".{output.name}.journal")


_NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def temp_file(target: Path) -> tuple[int, Path]:
    """A new ``.NAME.XXXXXXXX.tmp`` beside ``target`` (an open descriptor and its path), readable like any file.

    Created with mode 0666 less the umask, as any file is (``mkstemp`` makes 0600, and reading the umask means
    setting it, which other threads of the app would see).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        random_part = "".join(secrets.choice(_NAME_CHARACTERS) for _ in range(8))
        temp = target.parent / f".{target.name}.{random_part}.tmp"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue


def staging_folder(target: Path) -> Path:
    """A new ``.NAME.XXXXXXXX`` folder beside ``target``, where a folder export is built before it moves."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))


def tree_sha256(path: Path, flush: bool = False) -> str:
    """The sha256 of a file, or of a folder's files (names and contents, in name order); ``flush`` fsyncs them."""
    if path.is_file():
        if flush:
            _fsync(path)
        return file_sha256(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        if flush:
            _fsync(file)
        digest.update(f"{file.relative_to(path).as_posix()}\0{file_sha256(file)}\0".encode())
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (a directory's entries are flushed through the directory itself)."""
    with contextlib.suppress(OSError):
        _fsync(folder)


@dataclass(frozen=True)
class _Move:
    temp: str
    """Relative to the export's folder: ``.NAME.XXXXXXXX.tmp``, or ``.NAME.XXXXXXXX/data`` for a folder."""
    final: str
    sha256: str
    folder: bool


class Pair:
    """The staged files of one export, renamed into place together by ``commit`` (or removed by ``discard``)."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.moves: list[_Move] = []
        self._leftovers: list[Path] = []

    @contextlib.contextmanager
    def file(self, target: Path) -> Iterator[BinaryIO]:
        """A binary stream for ``target``, staged (written and flushed to disk) when the block ends."""
        handle, temp = temp_file(target)
        self._leftovers.append(temp)
        try:
            with os.fdopen(handle, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            self.moves.append(_Move(temp.name, target.name, file_sha256(temp), folder=False))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise

    def folder(self, built: Path, target: Path) -> None:
        """Stage the folder ``built`` (``.NAME.XXXXXXXX/data``, from ``staging_folder``) for ``target``."""
        self._leftovers.append(built.parent)
        relative = f"{built.parent.name}/{built.name}"
        self.moves.append(_Move(relative, target.name, tree_sha256(built, flush=True), folder=True))

    def sha256(self, target: Path) -> str | None:
        """The staged file's sha256 for ``target`` (None for a folder, or nothing staged)."""
        return next((m.sha256 for m in self.moves if m.final == target.name and not m.folder), None)

    def commit(self) -> None:
        """Write the journal, rename every staged file into place, remove the journal."""
        journal = journal_path(self.output)
        if os.path.lexists(journal):  # ours would have been finished when the lock was taken
            raise ConfigError(f"{journal} is not a journal of Mosaic Studio; move it away and run again")
        body = {"tool": _TAG, "journal": 1, "moves": [m.__dict__ for m in self.moves]}
        handle, temp = temp_file(journal)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(orjson.dumps(body) + b"\n")
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, journal)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise
        folder = self.output.parent
        _sync_folder(folder)
        try:
            for number, move in enumerate(self.moves):
                if number == 1 and os.environ.get("MOSAIC_TEST_PAUSE_COMMIT"):
                    time.sleep(float(os.environ["MOSAIC_TEST_PAUSE_COMMIT"]))
                _forward(folder, move)
            _sync_folder(folder)
            journal.unlink()
            _sync_folder(folder)
        except BaseException:
            with contextlib.suppress(OSError):
                recover(self.output)  # the journal decides: forward if the staged files are whole
            raise
        self._leftovers.clear()

    def discard(self) -> None:
        """Remove what was staged and not committed (an error or an interrupt stopped the export)."""
        for path in self._leftovers:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        self._leftovers.clear()


def _forward(folder: Path, move: _Move) -> None:
    temp, final = folder / move.temp, folder / move.final
    if not move.folder:
        if temp.exists():
            os.replace(temp, final)
        return
    staging = temp.parent
    if temp.exists():
        if os.path.lexists(final):  # the earlier export (io/guard.py checked): moved aside, removed below
            os.replace(final, staging / "old")
        os.replace(temp, final)
    shutil.rmtree(staging, ignore_errors=True)


def _back(folder: Path, move: _Move) -> None:
    temp = folder / move.temp
    if not move.folder:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        return
    staging, final = temp.parent, folder / move.final
    if not os.path.lexists(final) and (staging / "old").exists():
        os.replace(staging / "old", final)
    shutil.rmtree(staging, ignore_errors=True)


def _whole(folder: Path, move: _Move) -> bool:
    """The staged file is complete, or was already moved and is complete in its place."""
    for path in (folder / move.temp, folder / move.final):
        if path.exists():
            return tree_sha256(path) == move.sha256
    return False


def _read(output: Path) -> list[_Move] | None:
    """The journal's moves if it is ours and names only our temporary names beside ``output``; else None."""
    journal = journal_path(output)
    try:
        if journal.is_symlink() or not journal.is_file() or journal.stat().st_size > 1 << 20:
            return None
        body = orjson.loads(journal.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(body, dict) or body.get("tool") != _TAG or not isinstance(body.get("moves"), list):
        return None
    name = re.escape(output.name)
    patterns = {
        (output.name, False): re.compile(rf"\.{name}\.[A-Za-z0-9_]{{8}}\.tmp"),
        (f"{output.name}.manifest.json", False): re.compile(rf"\.{name}\.manifest\.json\.[A-Za-z0-9_]{{8}}\.tmp"),
        (output.name, True): re.compile(rf"\.{name}\.[A-Za-z0-9_]{{8}}/data"),
    }
    moves = []
    for item in body["moves"]:
        try:
            move = _Move(str(item["temp"]), str(item["final"]), str(item["sha256"]), bool(item["folder"]))
        except (KeyError, TypeError):
            return None
        pattern = patterns.get((move.final, move.folder))
        if pattern is None or not pattern.fullmatch(move.temp):
            return None
        moves.append(move)
    return moves


def recover(output: Path) -> str | None:
    """Finish an interrupted commit on ``output``: ``"forward"``, ``"back"``, or None (no journal of ours).

    Call it with the export's lock held (``io/guard.py``), so no live run is renaming the same files.
    """
    moves = _read(output)
    if moves is None:
        return None
    folder = output.parent
    outcome = "forward" if all(_whole(folder, move) for move in moves) else "back"
    for move in moves:
        (_forward if outcome == "forward" else _back)(folder, move)
    _sync_folder(folder)
    journal_path(output).unlink()
    _sync_folder(folder)
    return outcome
