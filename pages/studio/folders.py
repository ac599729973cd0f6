"""Where the app reads and writes: the data folder and the built-in demo dataset."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from mosaic_core import ConfigError

__all__ = ["APP_DIR", "DEFAULT_DATA_DIR", "DEMO", "data_dir", "inside_app"]

APP_DIR = Path(__file__).resolve().parents[2]
DEMO = APP_DIR / "mosaic_core" / "data" / "demo.jsonl"


DEFAULT_DATA_DIR = Path("~/mosaic-studio-data")
"""Where the app reads and writes unless told otherwise: a folder of its own, never the code's."""


def data_dir() -> Path:
    """The folder local paths are confined to (``MOSAIC_DATA_DIR``, .streamlit/mosaic.toml, or the default).

    It is created on first use; a folder that is the app's own code folder, or inside it, is refused.
    """
    configured = os.environ.get("MOSAIC_DATA_DIR", "")
    settings = APP_DIR / ".streamlit" / "mosaic.toml"
    if not configured and settings.exists():
        configured = str(tomllib.loads(settings.read_text(encoding="utf-8")).get("data_dir", ""))
    folder = Path(configured or DEFAULT_DATA_DIR).expanduser().resolve()
    if folder == APP_DIR or folder.is_relative_to(APP_DIR):
        raise ConfigError(
            f"the data folder {folder} is the app's own code folder (or inside it); set MOSAIC_DATA_DIR to "
            "a folder of its own"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def inside_app(path: Path) -> bool:
    """Whether ``path`` is the app's code folder or inside it: never written, whatever the data folder."""
    resolved = path.resolve()
    return resolved == APP_DIR or resolved.is_relative_to(APP_DIR)
