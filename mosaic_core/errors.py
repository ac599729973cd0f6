"""Errors raised by mosaic_core.

Every error the library raises on purpose derives from ``MosaicError``, so a
caller (the CLI, the app) can show it as one line and treat anything else as a
bug::

    MosaicError
    ├── ConfigError        (also ValueError)  a recipe or setting is invalid
    ├── DatasetError       (also ValueError)  an input file or record is unusable
    ├── TemplateError      (also ValueError)  a template is malformed
    ├── UnknownNameError   (also KeyError)    a registry has no such name
    └── OfflineError       (also RuntimeError) something needs a network we do not have
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ConfigError",
    "DatasetError",
    "MosaicError",
    "OfflineError",
    "TemplateError",
    "UnknownNameError",
]


class MosaicError(Exception):
    """Base class of every error mosaic_core raises on purpose."""


class ConfigError(MosaicError, ValueError):
    """A recipe, setting or command-line value is invalid; ``key`` names the recipe key at fault, where one is
    (the app shows the error beside that key's control).

    >>> ConfigError("strategy weights must be non-negative", key="mix").key
    'mix'
    """

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class DatasetError(MosaicError, ValueError):
    """An input file, or a record in it, cannot be used."""


class TemplateError(MosaicError, ValueError):
    """A template sentence is malformed (placeholders, punctuation, duplicates)."""


class OfflineError(MosaicError, RuntimeError):
    """A resource would have to be downloaded, and this machine is offline."""


class UnknownNameError(MosaicError, KeyError):
    """A registry was asked for a name it does not hold."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError would add quotes around the message
        return str(self.args[0])
