"""How many instructions a mosaic aims for: the k modes of the specification.

Each draw takes the mosaic's own ``random.Random``. ``None`` means "no target:
fill the token budget" (``max_length``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping

from mosaic_core.errors import ConfigError, UnknownNameError

__all__ = ["K_MODES", "draw_k", "k_distribution"]


def _uniform(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    return 1 + int(rng.random() * top)


def _fix_max(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    return top


def _below(top: int, draw: Callable[[], float], positive: bool = False) -> int:
    """k = top - floor(x), redrawing x until it lies below top (and above 0 if ``positive``)."""
    while True:
        x = draw()
        if x < top and (x > 0 or not positive):
            return top - math.floor(x)


def _exp(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    return _below(top, lambda: rng.expovariate(1.0))


def _pareto(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    # numpy's pareto(1) is a Lomax draw: a classic Pareto(1) minus one.
    while True:
        x = rng.paretovariate(1.0) - 1.0
        if x - 1.0 < top:
            return top - math.trunc(x - 1.0)


def _lognormal(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    return _below(top, lambda: rng.lognormvariate(0.0, 1.0))


def _logistic(rng: random.Random) -> float:
    u = rng.random()
    while u <= 0.0:
        u = rng.random()
    return 2.0 * math.log(u / (1.0 - u))


def _logistic2(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    return _below(top, lambda: _logistic(rng), positive=True)


def _custom(rng: random.Random, top: int, weights: Mapping[int, float]) -> int:
    ks = sorted(k for k, w in weights.items() if w > 0)
    return rng.choices(ks, weights=[weights[k] for k in ks])[0]


K_MODES: dict[str, Callable[[random.Random, int, Mapping[int, float]], int] | None] = {
    "uniform": _uniform,
    "fix_max": _fix_max,
    "max_length": None,
    "exp": _exp,
    "pareto": _pareto,
    "lognormal": _lognormal,
    "logistic2": _logistic2,
    "custom": _custom,
}


def draw_k(mode: str, rng: random.Random, top: int, weights: Mapping[int, float] | None = None) -> int | None:
    """Draw a target k for one mosaic.

    >>> draw_k("fix_max", random.Random(0), 10)
    10
    """
    try:
        draw = K_MODES[mode]
    except KeyError:
        raise UnknownNameError("k mode", mode, K_MODES) from None
    if draw is None:
        return None
    if mode == "custom" and not weights:
        raise ConfigError("k mode 'custom' needs a weight for at least one k")
    return draw(rng, top, weights or {})


def k_distribution(
    mode: str, top: int, weights: Mapping[int, float] | None = None, samples: int = 20000, seed: int = 0
) -> dict[int, float]:
    """Share of each k under ``mode``, estimated from seeded draws (for charts).

    >>> k_distribution("fix_max", 4)
    {4: 1.0}
    """
    rng = random.Random(seed)
    counts: dict[int, int] = {}
    for _ in range(samples):
        k = draw_k(mode, rng, top, weights)
        if k is None:
            return {}
        counts[k] = counts.get(k, 0) + 1
    return {k: counts[k] / samples for k in sorted(counts)}
