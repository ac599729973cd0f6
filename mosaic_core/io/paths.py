"""Keep user-given paths inside one data folder (the app may be served to a team)."""

from __future__ import annotations

import os
from pathlib import Path

from mosaic_core.errors import ConfigError

__all__ = ["confine", "output_text"]


def confine(root: str | os.PathLike[str], user_path: str) -> Path:
    """``user_path`` resolved inside ``root``; anything that leads out is refused.

    Absolute paths are allowed only when they lie inside ``root``; ``..`` and
    symbolic links are followed before the check, so neither can escape.

    >>> confine("/srv/data", "runs/out.jsonl").as_posix()
    '/srv/data/runs/out.jsonl'
    """
    text = user_path.strip()
    if not text:
        raise ConfigError("give a path inside the data folder")
    if "\x00" in text:
        raise ConfigError("a path cannot contain a NUL character")
    base = Path(root).expanduser().resolve()
    candidate = Path(text).expanduser()
    full = (candidate if candidate.is_absolute() else base / candidate).resolve()
    if full != base and base not in full.parents:
        raise ConfigError(f"{user_path!r} is outside the data folder {base}; paths must stay inside it")
    return full


def output_text(text: str, folder: bool = False) -> str:
    """An export's path as the user typed it, refused where it cannot name what is written.

    ``-`` is not standard output (an export writes its manifest beside it); a path that ends in a separator
    names a folder, which only a ``folder`` export (an hf dataset, a Ray run) is.

    >>> output_text("runs/out.jsonl")
    'runs/out.jsonl'
    """
    if text.strip() == "-":
        raise ConfigError("an export cannot go to standard output ('-'): its manifest is written beside it")
    if not folder and text.endswith(tuple(filter(None, (os.sep, os.altsep)))):
        raise ConfigError(
            f"{text} ends in {text[-1]!r}, so it names a folder; give a file name (a folder is for --file-type hf "
            "or --engine ray)"
        )
    return text
