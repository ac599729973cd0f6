"""Mosaic-IT instruction augmentation: the core library of Mosaic Studio.

The public API is the names in ``__all__``; each is imported on first use, so
``import mosaic_core`` loads nothing heavy and does no work. The app's pages
import from here only.

>>> from mosaic_core import MosaicConfig
>>> MosaicConfig().k_mode
'uniform'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_PUBLIC: dict[str, str] = {
    # recipe and records
    "PRESETS": "mosaic_core.config",
    "STRATEGIES": "mosaic_core.config",
    "MosaicConfig": "mosaic_core.config",
    "parse_mix": "mosaic_core.config",
    "Curation": "mosaic_core.recipe",
    "ExportSettings": "mosaic_core.recipe",
    "LoadSettings": "mosaic_core.recipe",
    "RecipeFile": "mosaic_core.recipe",
    "Decoration": "mosaic_core.records",
    "Mosaic": "mosaic_core.records",
    "Plan": "mosaic_core.records",
    "SourceRecord": "mosaic_core.records",
    # errors
    "ConfigError": "mosaic_core.errors",
    "DatasetError": "mosaic_core.errors",
    "MosaicError": "mosaic_core.errors",
    "OfflineError": "mosaic_core.errors",
    "TemplateError": "mosaic_core.errors",
    "UnknownNameError": "mosaic_core.errors",
    # load and export
    "ColumnMapping": "mosaic_core.io.schemas",
    "LoadReport": "mosaic_core.io.load",
    "LoadResult": "mosaic_core.io.load",
    "load_dataset": "mosaic_core.io.load",
    "Source": "mosaic_core.io.source",
    "FILE_TYPES": "mosaic_core.io.export",
    "RECORD_FORMATS": "mosaic_core.io.export",
    "confine": "mosaic_core.io.paths",
    "output_text": "mosaic_core.io.paths",
    "is_earlier_export": "mosaic_core.io.guard",
    "dataset_card": "mosaic_core.io.card",
    "ExportOptions": "mosaic_core.pipeline",
    "ExportSummary": "mosaic_core.pipeline",
    "export_mosaics": "mosaic_core.pipeline",
    # tokens and the table
    "available_tokenizers": "mosaic_core.tokenize.registry",
    "get_tokenizer": "mosaic_core.tokenize.registry",
    "SourceTable": "mosaic_core.table",
    "dataset_fingerprint": "mosaic_core.table",
    # rules, templates, generation
    "RULES": "mosaic_core.rules.registry",
    "get_rule": "mosaic_core.rules.registry",
    "PLACEHOLDERS": "mosaic_core.text.templates",
    "Template": "mosaic_core.text.templates",
    "TemplateLibrary": "mosaic_core.text.templates",
    "builtin_library": "mosaic_core.text.templates",
    "validate_text": "mosaic_core.text.templates",
    "validate_template": "mosaic_core.text.templates",
    "template_from": "mosaic_core.text.templates",
    "SINGULAR_FAMILIES": "mosaic_core.text.templates",
    "BUILTIN_LANGUAGES": "mosaic_core.text.templates",
    "Pack": "mosaic_core.text.pack",
    "detect_languages": "mosaic_core.text.language",
    "language_mix": "mosaic_core.text.language",
    "talking_items": "mosaic_core.generate.sources",
    "annotate": "mosaic_core.text.annotate",
    "K_MODES": "mosaic_core.generate.kdraw",
    "k_distribution": "mosaic_core.generate.kdraw",
    "MosaicRun": "mosaic_core.generate.walk",
    "RunReport": "mosaic_core.generate.report",
    "Unusable": "mosaic_core.generate.report",
    # verification
    "Verdict": "mosaic_core.verify.mosaic",
    "verify_mosaic": "mosaic_core.verify.mosaic",
    "verify_export": "mosaic_core.verify.export",
    # statistics
    "EPOCHS_EXPLANATION": "mosaic_core.stats.glossary",
    "MATCHING_EXPLANATION": "mosaic_core.stats.glossary",
    "METRICS": "mosaic_core.stats.glossary",
    "MODEL_PRESETS": "mosaic_core.stats.cost",
    "TrainingSetup": "mosaic_core.stats.cost",
    "SampleSet": "mosaic_core.stats.sets",
    "StatsOptions": "mosaic_core.stats.report",
    "core_stats": "mosaic_core.stats.report",
    "self_bleu_stats": "mosaic_core.stats.report",
    "summarize": "mosaic_core.stats.tokens",
}

__all__ = [
    "BUILTIN_LANGUAGES",
    "EPOCHS_EXPLANATION",
    "FILE_TYPES",
    "K_MODES",
    "MATCHING_EXPLANATION",
    "METRICS",
    "MODEL_PRESETS",
    "PLACEHOLDERS",
    "PRESETS",
    "RECORD_FORMATS",
    "RULES",
    "SINGULAR_FAMILIES",
    "STRATEGIES",
    "ColumnMapping",
    "ConfigError",
    "Curation",
    "DatasetError",
    "Decoration",
    "ExportOptions",
    "ExportSettings",
    "ExportSummary",
    "LoadReport",
    "LoadResult",
    "LoadSettings",
    "Mosaic",
    "MosaicConfig",
    "MosaicError",
    "MosaicRun",
    "OfflineError",
    "Pack",
    "Plan",
    "RecipeFile",
    "RunReport",
    "SampleSet",
    "Source",
    "SourceRecord",
    "SourceTable",
    "StatsOptions",
    "Template",
    "TemplateError",
    "TemplateLibrary",
    "TrainingSetup",
    "UnknownNameError",
    "Unusable",
    "Verdict",
    "__version__",
    "annotate",
    "available_tokenizers",
    "builtin_library",
    "confine",
    "core_stats",
    "dataset_card",
    "dataset_fingerprint",
    "detect_languages",
    "export_mosaics",
    "get_rule",
    "get_tokenizer",
    "is_earlier_export",
    "k_distribution",
    "language_mix",
    "load_dataset",
    "output_text",
    "parse_mix",
    "self_bleu_stats",
    "summarize",
    "talking_items",
    "template_from",
    "validate_template",
    "validate_text",
    "verify_export",
    "verify_mosaic",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'mosaic_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # the same names, for type checkers
    from mosaic_core.config import PRESETS, STRATEGIES, MosaicConfig, parse_mix
    from mosaic_core.errors import (
        ConfigError,
        DatasetError,
        MosaicError,
        OfflineError,
        TemplateError,
        UnknownNameError,
    )
    from mosaic_core.generate.kdraw import K_MODES, k_distribution
    from mosaic_core.generate.report import RunReport, Unusable
    from mosaic_core.generate.sources import talking_items
    from mosaic_core.generate.walk import MosaicRun
    from mosaic_core.io.card import dataset_card
    from mosaic_core.io.export import FILE_TYPES, RECORD_FORMATS
    from mosaic_core.io.guard import is_earlier_export
    from mosaic_core.io.load import LoadReport, LoadResult, load_dataset
    from mosaic_core.io.paths import confine, output_text
    from mosaic_core.io.schemas import ColumnMapping
    from mosaic_core.io.source import Source
    from mosaic_core.pipeline import ExportOptions, ExportSummary, export_mosaics
    from mosaic_core.recipe import Curation, ExportSettings, LoadSettings, RecipeFile
    from mosaic_core.records import Decoration, Mosaic, Plan, SourceRecord
    from mosaic_core.rules.registry import RULES, get_rule
    from mosaic_core.stats.cost import MODEL_PRESETS, TrainingSetup
    from mosaic_core.stats.glossary import EPOCHS_EXPLANATION, MATCHING_EXPLANATION, METRICS
    from mosaic_core.stats.report import StatsOptions, core_stats, self_bleu_stats
    from mosaic_core.stats.sets import SampleSet
    from mosaic_core.stats.tokens import summarize
    from mosaic_core.table import SourceTable, dataset_fingerprint
    from mosaic_core.text.annotate import annotate
    from mosaic_core.text.language import detect_languages, language_mix
    from mosaic_core.text.pack import Pack
    from mosaic_core.text.templates import (
        BUILTIN_LANGUAGES,
        PLACEHOLDERS,
        SINGULAR_FAMILIES,
        Template,
        TemplateLibrary,
        builtin_library,
        template_from,
        validate_template,
        validate_text,
    )
    from mosaic_core.tokenize.registry import available_tokenizers, get_tokenizer
    from mosaic_core.verify.export import verify_export
    from mosaic_core.verify.mosaic import Verdict, verify_mosaic
