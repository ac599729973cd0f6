"""Rows of a Hugging Face hub dataset, only where the hub is meant to be reached and answers.

Offline (the default here), ``datasets`` is told so and reads its cache alone; without
that it retries for about 23 s before failing. With ``MOSAIC_HUB_ONLINE=1`` the hub's
host is tried first, a few seconds at most, so that no network fails fast and clearly.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from mosaic_core.errors import DatasetError, OfflineError
from mosaic_core.io.source import Source

__all__ = ["hub_rows", "unreachable"]

PROBE_SECONDS = 3.0


def unreachable(endpoint: str, seconds: float = PROBE_SECONDS) -> str | None:
    """Why ``endpoint`` (a URL) cannot be reached, or None where a connection to its host opens in time.

    >>> unreachable("not a url") is not None
    True
    """
    parts = urlsplit(endpoint)
    if not parts.hostname:
        return f"{endpoint!r} is not a URL"
    port = parts.port or (80 if parts.scheme == "http" else 443)
    try:
        with socket.create_connection((parts.hostname, port), timeout=seconds):
            return None
    except OSError as exc:
        return f"{parts.hostname}:{port} did not answer ({exc.strerror or exc})"


def hub_rows(source: Source) -> Iterator[tuple[int, Any]]:
    """The rows of ``source``'s hub dataset: from the local cache, or with ``MOSAIC_HUB_ONLINE=1`` from the hub."""
    online = os.environ.get("MOSAIC_HUB_ONLINE") == "1"
    if not online:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["HF_DATASETS_OFFLINE"] = "1"
    else:
        endpoint = os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
        why = unreachable(endpoint)
        if why is not None:
            raise DatasetError(f"{source.name}: the hub cannot be reached from here: {why}")
    import datasets  # noqa: PLC0415

    try:
        loaded = datasets.load_dataset(source.hub_id, split=source.split or "train")
    except Exception as exc:
        if online:
            raise DatasetError(f"{source.name}: the hub could not provide it ({exc})") from None
        raise OfflineError(
            f"{source.name}: Hugging Face hub datasets need network access, and this machine is offline "
            "(no cached copy either); download it elsewhere and load the file or a save_to_disk folder, "
            "or set MOSAIC_HUB_ONLINE=1 where the hub is reachable"
        ) from None
    yield from enumerate(loaded, start=1)
