"""Offline tiktoken vocabularies, rebuilt from the ``quicktok-v1`` package.

tiktoken downloads its BPE files on first use; these machines cannot. The
``quicktok-v1`` wheel ships the same vocabularies in its own binary format
(u32 count, then per token: u16 length, the bytes, u32 rank; little-endian).
We rewrite them once into tiktoken's text format inside a project-local cache
folder, under the file name tiktoken looks for, and let tiktoken's own sha256
check confirm the bytes are right.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from pathlib import Path

from mosaic_core.errors import OfflineError

__all__ = ["BLOB_URLS", "LLAMA3_SHA256", "ensure_offline_vocabularies", "read_quicktok_vocab"]

BLOB_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}
_QUICKTOK_NAMES = {"cl100k_base": "cl100k", "o200k_base": "o200k", "llama3": "llama3"}
# sha256 of Meta's Llama-3 tokenizer.model, which our rewrite reproduces byte for byte.
LLAMA3_SHA256 = "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55"

_DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "tiktoken"


def _quicktok_data_dir() -> Path:
    try:
        import quicktok  # noqa: PLC0415  (optional at import time of this module)
    except ImportError as exc:  # pragma: no cover - the package is pinned
        raise OfflineError(
            "tiktoken vocabularies are not cached and quicktok-v1 is not installed; "
            "run `make run` or `pip install -r requirements.txt`"
        ) from exc
    return Path(quicktok.__file__).resolve().parent / "data"


def read_quicktok_vocab(path: Path) -> list[tuple[bytes, int]]:
    """Parse a quicktok ``.vocab`` file into (token bytes, rank) pairs."""
    data = path.read_bytes()
    (count,) = struct.unpack_from("<I", data, 0)
    offset = 4
    pairs: list[tuple[bytes, int]] = []
    for _ in range(count):
        (length,) = struct.unpack_from("<H", data, offset)
        offset += 2
        token = data[offset : offset + length]
        offset += length
        (rank,) = struct.unpack_from("<I", data, offset)
        offset += 4
        pairs.append((token, rank))
    return pairs


def tiktoken_text(pairs: list[tuple[bytes, int]]) -> bytes:
    """Render (token, rank) pairs in tiktoken's ``.tiktoken`` text format."""
    ordered = sorted(pairs, key=lambda pair: pair[1])
    return b"".join(base64.b64encode(tok) + b" " + str(rank).encode() + b"\n" for tok, rank in ordered)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def cache_dir() -> Path:
    """The folder tiktoken reads from (``TIKTOKEN_CACHE_DIR``, set here if unset)."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    folder = Path(configured) if configured else _DEFAULT_CACHE
    os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
    return folder


def llama3_vocab_path() -> Path:
    """Path of the Llama-3 vocabulary in tiktoken format (written on first call)."""
    folder = cache_dir()
    target = folder / "llama3.tiktoken"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        pairs = read_quicktok_vocab(_quicktok_data_dir() / "llama3.vocab")
        _write_atomic(target, tiktoken_text(pairs))
    return target


def ensure_offline_vocabularies() -> Path:
    """Place cl100k_base and o200k_base where tiktoken looks, once per machine.

    >>> ensure_offline_vocabularies().is_dir()
    True
    """
    folder = cache_dir()
    missing = [
        name
        for name, url in BLOB_URLS.items()
        if not (folder / hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()).exists()
    ]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        data_dir = _quicktok_data_dir()
        for name in missing:
            key = hashlib.sha1(BLOB_URLS[name].encode(), usedforsecurity=False).hexdigest()
            pairs = read_quicktok_vocab(data_dir / f"{_QUICKTOK_NAMES[name]}.vocab")
            _write_atomic(folder / key, tiktoken_text(pairs))
    return folder
