"""What the engine, the verifier and the statistics need from a tokenizer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["UNKNOWN", "TokenCounter"]

UNKNOWN = -1
"""In a list of counts: the fast path cannot tell; ask ``SourceCounts.count`` (which may encode)."""


class TokenCounter(Protocol):
    """A tokenizer seen as a counter. Special tokens (BOS, EOS) are never added."""

    @property
    def name(self) -> str: ...

    @property
    def additive(self) -> bool:
        """True when piece-wise counting (``pieces.py``) is exact; False means every count is an encode."""
        ...

    def encode(self, text: str) -> list[int]: ...

    def count(self, text: str) -> int: ...

    def count_many(self, texts: Sequence[str]) -> list[int]: ...

    def count_literal(self, text: str) -> int:
        """Count a decoration string, remembering the answer."""
        ...
