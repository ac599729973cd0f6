"""Token counters by name: a lazy registry of constructors.

Nothing is loaded or written until a counter is first asked for; then it is
built once and shared. ``hf:/path/to/tokenizer.json`` names a local Hugging Face
tokenizer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from mosaic_core.errors import UnknownNameError
from mosaic_core.tokenize.counter import TokenCounter

__all__ = ["available_tokenizers", "get_tokenizer", "register_tokenizer"]

_LOADED: dict[str, TokenCounter] = {}
_LOCK = threading.RLock()  # a factory may ask for another counter


def _openai(name: str, slash_merges: bool = False) -> TokenCounter:
    from mosaic_core.tokenize.tiktoken_counter import openai  # noqa: PLC0415  (tiktoken loads on first use)

    return openai(name, slash_merges)


def _llama3() -> TokenCounter:
    from mosaic_core.tokenize.tiktoken_counter import llama3  # noqa: PLC0415

    return llama3()


_REGISTRY: dict[str, Callable[[], TokenCounter]] = {
    "cl100k_base": partial(_openai, "cl100k_base"),
    "o200k_base": partial(_openai, "o200k_base", slash_merges=True),
    "llama3": _llama3,
}


def register_tokenizer(name: str, factory: Callable[[], TokenCounter]) -> None:
    """Make a tokenizer available under ``name`` (built on first use)."""
    _REGISTRY[name] = factory


def available_tokenizers() -> list[str]:
    """Names that ``get_tokenizer`` accepts (besides ``hf:/path/to/tokenizer.json``).

    >>> available_tokenizers()
    ['cl100k_base', 'llama3', 'o200k_base']
    """
    return sorted(_REGISTRY)


def get_tokenizer(name: str) -> TokenCounter:
    """Return the (shared, cached) counter registered under ``name``.

    >>> get_tokenizer("cl100k_base").encode("hello world")
    [15339, 1917]
    """
    with _LOCK:
        if name in _LOADED:
            return _LOADED[name]
        counter: TokenCounter
        if name.startswith("hf:"):
            from mosaic_core.tokenize.hf import load_hf_tokenizer  # noqa: PLC0415  (tokenizers loads on first use)

            counter = load_hf_tokenizer(Path(name[3:]))
        elif name in _REGISTRY:
            counter = _REGISTRY[name]()
        else:
            raise UnknownNameError("tokenizer", name, [*_REGISTRY, "hf:<path to tokenizer.json>"])
        _LOADED[name] = counter
        return counter
