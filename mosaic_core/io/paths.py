"""Keep user-given paths inside one data folder (the app may be served to a team)."""

from __future__ import annotations

import os
from pathlib import Path

from mosaic_core.errors import ConfigError

__all__ = ["confine"]


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
