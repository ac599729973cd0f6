"""What an export may write: never over what the product did not make, never onto its own input.

An existing path is *ours* when the manifest beside it was written by Mosaic
Studio for that very file: an earlier export, which a new one may replace.
Anything else (a user's file or folder, the input itself, a device, a FIFO)
is refused unless the user says ``--force`` (the app: a confirmation); a
device, a FIFO or the input is refused even then. The sidecars follow the
same rule: ``dataset_info.json`` is merged entry by entry, and a README.md
that is not our card is left alone.

One export at a time may write a path: a lock file beside it holds the
writer's process id, and a lock whose process is gone is taken over. Whoever
takes the lock first finishes a commit a killed run left half done
(``io/journal.py``), then removes the temporary files of dead runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.digest import file_sha256
from mosaic_core.io.exported import manifest_path
from mosaic_core.io.journal import journal_path, recover

__all__ = [
    "CARD_MARK",
    "carries_mark",
    "check_output",
    "export_lock",
    "finish_interrupted",
    "is_card",
    "is_earlier_export",
    "remove_stale",
]

CARD_MARK = "<!-- dataset card written by Mosaic Studio -->"
"""The line that tells our dataset card from any other README.md."""
_NAME_MAX = 255


def _our_manifest(path: Path) -> dict[str, object] | None:
    """The manifest at ``path`` if Mosaic Studio wrote it (a small JSON object saying so), else None."""
    try:
        if not path.is_file() or path.stat().st_size > 256 << 20:
            return None
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "mosaic-studio" else None


def is_earlier_export(output: Path) -> bool:
    """Whether ``output`` is an earlier export: a Mosaic Studio manifest beside it names it."""
    export = (_our_manifest(manifest_path(output)) or {}).get("export")
    return isinstance(export, dict) and export.get("file") == output.name


def carries_mark(path: Path, mark: str, head: int = 1 << 16) -> bool:
    """Whether the regular file ``path`` holds ``mark`` in its first ``head`` bytes: how we tell a file we wrote
    (a dataset card, a trainer recipe) from anyone else's, before replacing it."""
    try:
        if not path.is_file():  # never open a FIFO or a device: reading it could block or never end
            return False
        with path.open("r", encoding="utf-8", errors="replace") as stream:
            return mark in stream.read(head)
    except OSError:
        return False


def is_card(path: Path) -> bool:
    """Whether ``path`` is a dataset card we wrote (so a new one may replace it)."""
    return carries_mark(path, CARD_MARK)


def _special(path: Path) -> str | None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return kind


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


_SUFFIXES = {".jsonl": "jsonl", ".json": "json", ".parquet": "parquet"}
"""The file types an export's name tells by its suffix."""


def check_output(output: Path, file_type: str, force: bool = False, inputs: Sequence[Path] = ()) -> None:
    """Raise ConfigError unless an export of ``file_type`` may be written at ``output`` (and its manifest)."""
    name = output.name
    if not name or name in (".", ".."):
        raise ConfigError(f"{output}: give a file name for the export")
    if len((name + ".manifest.json").encode("utf-8", "surrogateescape")) > _NAME_MAX:
        raise ConfigError(
            f"{name[:40]}…: the file name is too long (with '.manifest.json' it passes {_NAME_MAX} bytes)"
        )
    suffix = output.suffix.lower()
    if suffix in _SUFFIXES and _SUFFIXES[suffix] != file_type:
        raise ConfigError(
            f"{output} ends in {suffix}, but the file type is {file_type}: readers go by the name, so name it "
            f"for its type or give --file-type {_SUFFIXES[suffix]}"
        )
    parent = output.parent
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{output}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"{output}: the folder {existing} is not writable")
    for path in (output, manifest_path(output)):
        kind = _special(path)
        if kind is not None:
            raise ConfigError(f"{path} is {kind}; an export writes regular files only")
    for source in inputs:
        for path in (output, manifest_path(output)):  # the manifest too: it is written even over a forced path
            if _same(path, source):
                raise ConfigError(f"{path} is the input; write the export elsewhere")
        if output.is_dir() and source.resolve().is_relative_to(output.resolve()):
            raise ConfigError(f"the folder {output} holds the input {source}; write the export elsewhere")
    manifest = manifest_path(output)
    if manifest.is_dir():
        raise ConfigError(f"{manifest} is a folder; the export's manifest would go there")
    if os.path.lexists(journal_path(output)):  # ours was finished by finish_interrupted; this one is not
        raise ConfigError(f"{journal_path(output)} is not a journal of Mosaic Studio; move it away and run again")
    if not (output.exists() or output.is_symlink()):
        if manifest.exists() and not force and _our_manifest(manifest) is None:
            raise ConfigError(f"{manifest} exists and was not written by Mosaic Studio; use --force to replace it")
        return
    if file_type != "hf" and output.is_dir():
        raise ConfigError(f"{output} is a folder; give a file name for a {file_type} export")
    if file_type == "hf" and not output.is_dir():
        raise ConfigError(f"{output} is a file; an hf export is a folder")
    what = "folder" if output.is_dir() else "file"
    if not force and not is_earlier_export(output):
        raise ConfigError(
            f"{output} exists and is not an earlier export (no Mosaic Studio manifest names it); "
            f"it is left alone: choose another path, or use --force to replace this {what}"
        )
    changed = None if force else _changed_since(output)
    if changed is not None:
        raise ConfigError(
            f"{output} is an earlier export, but {changed}; it is left alone: choose another path, or use "
            f"--force to replace this {what}"
        )


_HF_FILES = re.compile(r"data-\d{5}-of-\d{5}\.arrow|dataset_info\.json|state\.json")
"""What a ``save_to_disk`` folder of ours holds."""


def _changed_since(output: Path) -> str | None:
    """What changed in an earlier export since it was written, if anything: a file someone put in its folder,
    or data whose sha256 is no longer the manifest's (an edit a new export would lose)."""
    if output.is_dir():
        foreign = sorted(entry.name for entry in output.iterdir() if not _HF_FILES.fullmatch(entry.name))
        return f"its folder holds files an export does not write ({', '.join(foreign[:3])})" if foreign else None
    export = (_our_manifest(manifest_path(output)) or {}).get("export")
    recorded = export.get("sha256") if isinstance(export, dict) else None
    if isinstance(recorded, str) and _sha256_as_now(output) != recorded:
        return "it was changed since (its sha256 is not the one its manifest records)"
    return None


_HASHED: dict[tuple[str, int, int, int], str] = {}
"""The sha256 of files as they stood (path, inode, size, mtime): a run checks its output before it loads and
again before it writes, and should read an earlier export of 100 MB once, not twice."""


def _sha256_as_now(path: Path) -> str:
    status = path.stat()
    key = (str(path.resolve()), status.st_ino, status.st_size, status.st_mtime_ns)
    if key not in _HASHED:
        _HASHED.clear()  # one output at a time: nothing to keep for others
        _HASHED[key] = file_sha256(path)
    return _HASHED[key]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(output: Path) -> list[str]:
    """Remove what dead runs on ``output`` left beside it (temporary files and folders); the names removed.

    Only names this product makes are touched: ``.NAME.XXXXXXXX.tmp`` (a file being written),
    ``.NAME.manifest.json.XXXXXXXX.tmp``, ``.NAME.journal.XXXXXXXX.tmp``, ``.NAME.parts.XXXXXXXX`` and
    ``.NAME.XXXXXXXX`` (folders of parts and of an hf export being staged). Called with the lock held, so no
    live run owns them, and after ``recover``, so no journal still needs them.
    """
    name = re.escape(output.name)
    stale = re.compile(
        rf"\.{name}\.(?:manifest\.json\.|journal\.)?[A-Za-z0-9_]{{8}}\.tmp|\.{name}\.(?:parts\.)?[A-Za-z0-9_]{{8}}"
    )
    removed: list[str] = []
    try:
        entries = list(output.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not stale.fullmatch(entry.name) or entry.is_symlink():
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
        removed.append(entry.name)
    return removed


@contextlib.contextmanager
def export_lock(output: Path, tidy: bool = True) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside the export while it is written; a second writer is refused.

    Taking it finishes an interrupted commit, and with ``tidy`` removes what dead runs left (``remove_stale``).
    """
    lock = output.with_name(f".{output.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(lock.read_text(encoding="ascii").strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise ConfigError(
                    f"another export (process {pid}) is writing {output}; wait for it to finish"
                ) from None
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()  # left by a run that died: take it over
            continue
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(str(os.getpid()))
        try:
            recover(output)
            if tidy:
                remove_stale(output)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
            raise
        break
    else:
        raise ConfigError(f"could not lock {output} for writing; try again")
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def finish_interrupted(output: Path) -> None:
    """Before ``output`` is read or replaced: finish a commit a killed export left half done (``io/journal.py``).

    Does nothing, and touches nothing, unless a journal is there; a live writer's lock is an error.
    """
    if output.name not in ("", "..") and journal_path(output).is_file():  # check_output names a bad name
        with export_lock(output, tidy=False):
            pass
