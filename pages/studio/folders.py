"""Where the app reads and writes: the data folder and the built-in demo dataset."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

__all__ = ["APP_DIR", "DEMO", "data_dir"]

APP_DIR = Path(__file__).resolve().parents[2]
DEMO = APP_DIR / "mosaic_core" / "data" / "demo.jsonl"


def data_dir() -> Path:
    """The folder local paths are confined to (``MOSAIC_DATA_DIR`` or .streamlit/mosaic.toml)."""
    configured = os.environ.get("MOSAIC_DATA_DIR", "")
    settings = APP_DIR / ".streamlit" / "mosaic.toml"
    if not configured and settings.exists():
        configured = str(tomllib.loads(settings.read_text(encoding="utf-8")).get("data_dir", ""))
    return Path(configured).expanduser().resolve() if configured else Path.cwd().resolve()
