"""Mosaic-IT instruction augmentation: the core library of Mosaic Studio.

>>> from mosaic_core import MosaicConfig
>>> MosaicConfig().k_mode
'uniform'
"""

from __future__ import annotations

__version__ = "0.1.0"

from mosaic_core.config import PRESETS, MosaicConfig, parse_mix
from mosaic_core.engine import MosaicRun, RunReport, Unusable
from mosaic_core.errors import ConfigError, DatasetError, MosaicError, OfflineError, TemplateError, UnknownNameError
from mosaic_core.io.load import LoadReport, LoadResult, load_dataset
from mosaic_core.io.readers import Source
from mosaic_core.io.schemas import ColumnMapping
from mosaic_core.records import Decoration, Mosaic, Plan, SourceRecord
from mosaic_core.sources import SourceTable, dataset_fingerprint
from mosaic_core.templates import Template, TemplateLibrary, builtin_library
from mosaic_core.tokenizers import available_tokenizers, get_tokenizer
from mosaic_core.verify import Verdict, verify_mosaic

__all__ = [
    "PRESETS",
    "ColumnMapping",
    "ConfigError",
    "DatasetError",
    "Decoration",
    "LoadReport",
    "LoadResult",
    "Mosaic",
    "MosaicConfig",
    "MosaicError",
    "MosaicRun",
    "OfflineError",
    "Plan",
    "RunReport",
    "Source",
    "SourceRecord",
    "SourceTable",
    "Template",
    "TemplateError",
    "TemplateLibrary",
    "UnknownNameError",
    "Unusable",
    "Verdict",
    "__version__",
    "available_tokenizers",
    "builtin_library",
    "dataset_fingerprint",
    "get_tokenizer",
    "load_dataset",
    "parse_mix",
    "verify_mosaic",
]
