"""A whole recipe file: the generation recipe, how the input is read, how the export is written, the curation.

``MosaicConfig`` is what shapes the mosaics. A recipe file adds three optional sections so that one file
replays a run from the app byte for byte:

- ``load``: ``multi_turn`` (first, skip, keep), ``map`` (role to column, for files no schema fits),
  ``split`` and ``on_invalid`` (skip, fail);
- ``export``: ``to`` (the record format), ``file_type`` (null: from the output's suffix), ``provenance``,
  ``originals`` (the share of source records mixed in), ``card``, ``llama_factory``, ``trainer_configs``
  and ``license``;
- ``curation``: the positions of the mosaics marked ``accepted`` and ``rejected`` in the app's Preview,
  with ``only_accepted`` and ``leave_out_rejected`` (on by default).

A missing section means its defaults, so every earlier recipe still reads. An export's manifest is a
recipe file too: its recipe, its load report's options and its export's options and curation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import ConfigError
from mosaic_core.io.export import FILE_TYPES
from mosaic_core.io.rows import RECORD_FORMATS

__all__ = ["Curation", "ExportSettings", "LoadSettings", "RecipeFile"]

_SIDECARS = ("card", "llama_factory", "trainer_configs", "license")
_ROLES = ("instruction", "output", "input", "id", "system", "category")


def _one_of(name: str, value: object, known: tuple[str, ...]) -> None:
    if value not in known:
        raise ConfigError(f"{name} must be one of {', '.join(known)}, got {value!r}")


def _text_or_none(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{name} must be text or null")


@dataclass(frozen=True)
class LoadSettings:
    """How the input is read (the CLI's ``--multi-turn``, ``--map``, ``--split``, ``--on-invalid``,
    ``--chat-leftovers``)."""

    multi_turn: str = "first"
    map: Mapping[str, str] | None = None
    split: str | None = None
    on_invalid: str = "skip"
    chat_leftovers: str = "keep"

    def __post_init__(self) -> None:
        _one_of("load.multi_turn", self.multi_turn, ("first", "skip", "keep"))
        _one_of("load.chat_leftovers", self.chat_leftovers, ("keep", "strip"))
        _one_of("load.on_invalid", self.on_invalid, ("skip", "fail"))
        _text_or_none("load.split", self.split)
        if self.map is not None:
            if not isinstance(self.map, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.map.items()
            ):
                raise ConfigError("load.map must map roles to column names (text)")
            unknown = set(self.map) - set(_ROLES)
            if unknown:
                known = ", ".join(_ROLES)
                raise ConfigError(f"unknown roles in load.map: {', '.join(sorted(unknown))}; known: {known}")
            if not {"instruction", "output"} <= set(self.map):
                raise ConfigError("load.map needs at least instruction and output")

    def map_flag(self) -> str | None:
        """``map`` as the CLI's ``--map`` text."""
        return None if not self.map else ",".join(f"{role}={column}" for role, column in self.map.items())


@dataclass(frozen=True)
class ExportSettings:
    """How the export is written (the CLI's ``--to``, ``--file-type``, ``--no-provenance`` …)."""

    to: str = "alpaca"
    file_type: str | None = None
    provenance: bool = True
    originals: float = 0.0
    card: bool = False
    llama_factory: bool = False
    trainer_configs: bool = False
    license: str | None = None

    def __post_init__(self) -> None:
        _one_of("export.to", self.to, RECORD_FORMATS)
        if self.file_type is not None:
            _one_of("export.file_type", self.file_type, FILE_TYPES)
        for name in ("provenance", "card", "llama_factory", "trainer_configs"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"export.{name} must be true or false")
        share = self.originals
        if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share):
            raise ConfigError("export.originals must be a number from 0 to 1")
        if not 0.0 <= share <= 1.0:
            raise ConfigError(f"export.originals must be from 0 to 1, got {share}")
        _text_or_none("export.license", self.license)


@dataclass(frozen=True)
class Curation:
    """The app's marks: mosaic positions accepted and rejected in Preview, and how the export uses them."""

    accepted: tuple[int, ...] = ()
    rejected: tuple[int, ...] = ()
    only_accepted: bool = False
    leave_out_rejected: bool = True

    def __post_init__(self) -> None:
        for name in ("accepted", "rejected"):
            values = getattr(self, name)
            if not isinstance(values, tuple) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values
            ):
                raise ConfigError(f"curation.{name} must be a list of mosaic positions (whole numbers from 0)")
        for name in ("only_accepted", "leave_out_rejected"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"curation.{name} must be true or false")
        both = set(self.accepted) & set(self.rejected)
        if both:
            raise ConfigError(f"curation: mosaic #{min(both)} is both accepted and rejected")

    @property
    def kept(self) -> set[int] | None:
        """The positions to keep, or None for every one (``ExportOptions.accepted``)."""
        return set(self.accepted) if self.only_accepted else None

    @property
    def left_out(self) -> set[int] | None:
        """The positions to leave out (``ExportOptions.rejected``)."""
        return set(self.rejected) if self.leave_out_rejected and not self.only_accepted and self.rejected else None


@dataclass(frozen=True)
class RecipeFile:
    """A recipe file read whole."""

    config: MosaicConfig = field(default_factory=MosaicConfig)
    load: LoadSettings = LoadSettings()
    export: ExportSettings = ExportSettings()
    curation: Curation = Curation()
    input_sha256: str | None = None
    """Read from a manifest: the sha256 of the input it was made from (a replay on another input says so)."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], **overrides: Any) -> RecipeFile:
        """Read a recipe file or a manifest; ``overrides`` are the generation keys the CLI's flags set.

        >>> RecipeFile.from_mapping({"seed": 3, "export": {"to": "messages"}}).export.to
        'messages'
        """
        if not isinstance(data, Mapping):
            raise ConfigError("a recipe must be a JSON object")
        if data.get("tool") == "mosaic-studio" and isinstance(data.get("recipe"), Mapping):
            return cls._from_manifest(data, overrides)
        return cls(
            MosaicConfig.from_recipe(data, **overrides),
            _section(LoadSettings, data.get("load"), "load"),
            _section(ExportSettings, data.get("export"), "export"),
            _section(Curation, data.get("curation"), "curation"),
        )

    @classmethod
    def _from_manifest(cls, manifest: Mapping[str, Any], overrides: Mapping[str, Any]) -> RecipeFile:
        report = (manifest.get("input") or {}).get("load_report") or {}
        export = manifest.get("export") or {}
        mapping = report.get("mapping")
        sidecars = export.get("sidecars") or {}
        marks = export.get("curation") or {}
        accepted, rejected = marks.get("accepted"), marks.get("rejected")
        digest = (manifest.get("input") or {}).get("sha256")
        try:
            return cls(
                MosaicConfig.from_recipe(manifest["recipe"], **overrides),
                LoadSettings(
                    multi_turn=report.get("multi_turn_policy", "first"),
                    map={k: v for k, v in mapping.items() if v} if isinstance(mapping, Mapping) else None,
                    split=report.get("split"),
                    chat_leftovers=report.get("chat_leftovers_policy", "keep"),
                ),
                ExportSettings(
                    to=export.get("record_format", "alpaca"),
                    file_type=export.get("file_type"),
                    provenance=export.get("provenance", True),
                    originals=export.get("originals_share", 0.0),
                    **{k: sidecars[k] for k in _SIDECARS if k in sidecars},
                ),
                Curation(
                    accepted=tuple(accepted or ()),
                    rejected=tuple(rejected or ()),
                    only_accepted=accepted is not None,
                    leave_out_rejected=rejected is not None,
                ),
                digest if isinstance(digest, str) else None,
            )
        except (AttributeError, TypeError):
            raise ConfigError("the manifest's export or load report is not what this version writes") from None

    def to_recipe(self) -> dict[str, Any]:
        """The JSON-ready file: the generation keys, then the three sections.

        >>> list(RecipeFile().to_recipe())[-3:]
        ['load', 'export', 'curation']
        """
        load = {f.name: getattr(self.load, f.name) for f in fields(LoadSettings)}
        load["map"] = dict(self.load.map) if self.load.map else None
        curation = {f.name: getattr(self.curation, f.name) for f in fields(Curation)}
        curation["accepted"], curation["rejected"] = sorted(self.curation.accepted), sorted(self.curation.rejected)
        return {
            **self.config.to_recipe(),
            "load": load,
            "export": {f.name: getattr(self.export, f.name) for f in fields(ExportSettings)},
            "curation": curation,
        }


def _section(kind: type[Any], value: object, name: str) -> Any:
    if value is None:
        return kind()
    if not isinstance(value, Mapping):
        raise ConfigError(f"the recipe's {name} section must be a JSON object")
    known = {f.name for f in fields(kind)}
    unknown = set(value) - known
    if unknown:
        raise ConfigError(f"unknown keys in the recipe's {name} section: {', '.join(sorted(map(str, unknown)))}")
    values = dict(value)
    for key in ("accepted", "rejected"):
        if key in values and isinstance(values[key], list):
            values[key] = tuple(values[key])
    return kind(**values)
