"""The license ids the Hugging Face Hub accepts in a dataset card's ``license`` field.

A card whose license is not one of them is shown on the Hub without a license. ``other`` stands for any
license not on the list (the card's text then names it).
"""

from __future__ import annotations

import re

from mosaic_core.errors import ConfigError

__all__ = ["HUB_LICENSES", "check_license"]

HUB_LICENSES = frozenset(
    [
        "apache-2.0",
        "mit",
        "openrail",
        "bigscience-openrail-m",
        "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0",
        "bigcode-openrail-m",
        "afl-3.0",
        "artistic-2.0",
        "bsl-1.0",
        "bsd",
        "bsd-2-clause",
        "bsd-3-clause",
        "bsd-3-clause-clear",
        "c-uda",
        "cc",
        "cc0-1.0",
        "cc-by-2.0",
        "cc-by-2.5",
        "cc-by-3.0",
        "cc-by-4.0",
        "cc-by-sa-3.0",
        "cc-by-sa-4.0",
        "cc-by-nc-2.0",
        "cc-by-nc-3.0",
        "cc-by-nc-4.0",
        "cc-by-nd-4.0",
        "cc-by-nc-nd-3.0",
        "cc-by-nc-nd-4.0",
        "cc-by-nc-sa-2.0",
        "cc-by-nc-sa-3.0",
        "cc-by-nc-sa-4.0",
        "cdla-sharing-1.0",
        "cdla-permissive-1.0",
        "cdla-permissive-2.0",
        "wtfpl",
        "ecl-2.0",
        "epl-1.0",
        "epl-2.0",
        "etalab-2.0",
        "eupl-1.1",
        "eupl-1.2",
        "agpl-3.0",
        "gfdl",
        "gpl",
        "gpl-2.0",
        "gpl-3.0",
        "lgpl",
        "lgpl-2.1",
        "lgpl-3.0",
        "isc",
        "h-research",
        "intel-research",
        "lppl-1.3c",
        "ms-pl",
        "apple-ascl",
        "apple-amlr",
        "mpl-2.0",
        "odc-by",
        "odbl",
        "openrail++",
        "osl-3.0",
        "postgresql",
        "ofl-1.1",
        "ncsa",
        "unlicense",
        "zlib",
        "pddl",
        "lgpl-lr",
        "deepfloyd-if-license",
        "fair-noncommercial-research-license",
        "llama2",
        "llama3",
        "llama3.1",
        "llama3.2",
        "llama3.3",
        "llama4",
        "gemma",
        "unknown",
        "other",
    ]
)


def check_license(text: str) -> str:
    """``text`` if it is a Hub license id; else a clear error, with the id it most likely means.

    >>> check_license("cc-by-4.0")
    'cc-by-4.0'
    >>> check_license("CC BY-NC 4.0")
    Traceback (most recent call last):
    ...
    mosaic_core.errors.ConfigError: license 'CC BY-NC 4.0' is not a Hugging Face license id; did you mean cc-by-nc-4.0?
    """
    if text in HUB_LICENSES:
        return text
    guess = re.sub(r"[\s_]+", "-", text.strip().lower())
    hint = (
        f"; did you mean {guess}?" if guess in HUB_LICENSES else " (cc-by-4.0, apache-2.0, mit…; other for any other)"
    )
    raise ConfigError(f"license {text!r} is not a Hugging Face license id{hint}")
