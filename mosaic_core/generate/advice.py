"""Settings that are valid but defeat themselves: the warnings the app and the CLI show before a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mosaic_core.config import MosaicConfig

__all__ = ["COMMON_CONTEXT", "recipe_warnings"]

COMMON_CONTEXT = 32_768
"""Budgets above this many tokens get a warning: beyond the context most instruction tuning uses."""


def recipe_warnings(config: MosaicConfig) -> list[str]:
    """Each self-defeating setting of ``config``, said in a sentence.

    >>> from mosaic_core.config import MosaicConfig
    >>> recipe_warnings(MosaicConfig(max_k=1))[0][:40]
    'With at most 1 item per mosaic, the orde'
    >>> recipe_warnings(MosaicConfig())
    []
    """
    found = []
    largest = config.max_k
    if config.k_mode == "custom" and config.k_weights:
        largest = max((k for k, w in config.k_weights.items() if w > 0), default=1)
    ordered = [s for s in ("permute", "maskout") if config.mix[s] > 0]
    if largest < 2 and ordered and config.k_mode != "max_length":
        share = sum(config.mix[s] for s in ordered) / max(sum(config.mix.values()), 1e-12)
        found.append(
            f"With at most 1 item per mosaic, the order and mask rules never apply: their {share:.0%} of the "
            "mix gives plain format-only samples instead (raise the maximum k, or set their weights to 0)"
        )
    if config.max_tokens > COMMON_CONTEXT:
        found.append(
            f"A budget of {config.max_tokens:,} tokens per mosaic is beyond common training context lengths "
            f"(up to {COMMON_CONTEXT:,}); check that your model and trainer take samples that long"
        )
    return found
