"""Training cost of a set of samples: sequences, tokens, padding, optimizer steps and FLOPs.

Each sample is ``prompt + answer`` tokens (a chat template would add a few per
sample), truncated to the training sequence length ``L``. Two ways to batch:

* padding: every epoch is a seeded shuffle cut into batches of ``batch_size``
  sequences (the global batch), each padded to its longest sequence;
* packing: the epoch's tokens are concatenated and cut into rows of ``L``
  tokens (the last row padded), attention running over the whole row.

Approximate training FLOPs, after Kaplan et al. 2020 (forward 2N + 2 n_layers
n_ctx d_model per token, backward twice the forward), over every row the
accelerator processes, padding included::

    FLOPs = 6 * N * padded_tokens + 6 * n_layers * d_model * sum over rows of row_length ** 2

with N the parameter count. The second term is the attention-score work; it
ignores the causal mask, as Kaplan et al. do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mosaic_core.errors import ConfigError, UnknownNameError

__all__ = ["MODEL_PRESETS", "ModelPreset", "TrainingSetup", "compare_cost", "padded_batches", "training_cost"]


@dataclass(frozen=True, slots=True)
class ModelPreset:
    """Size figures of a public model: parameters, layers and hidden size."""

    name: str
    parameters: float
    layers: int
    d_model: int
    like: str


MODEL_PRESETS: dict[str, ModelPreset] = {
    p.name: p
    for p in (
        ModelPreset("1B", 1.24e9, 16, 2048, "Llama 3.2 1B"),
        ModelPreset("3B", 3.21e9, 28, 3072, "Llama 3.2 3B"),
        ModelPreset("7B", 6.74e9, 32, 4096, "Llama 2 7B"),
        ModelPreset("8B", 8.03e9, 32, 4096, "Llama 3.1 8B"),
        ModelPreset("13B", 13.0e9, 40, 5120, "Llama 2 13B"),
        ModelPreset("34B", 33.7e9, 48, 8192, "Code Llama 34B"),
        ModelPreset("70B", 70.6e9, 80, 8192, "Llama 3.1 70B"),
    )
}


@dataclass(frozen=True, slots=True)
class TrainingSetup:
    """How the sets would be trained; validated on construction.

    >>> TrainingSetup(model="8B").preset.layers
    32
    """

    seq_len: int = 2048
    batch_size: int = 64
    original_epochs: int = 3
    mosaic_epochs: int = 1
    model: str | ModelPreset = "7B"
    packing: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("seq_len", "batch_size", "original_epochs", "mosaic_epochs"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
        if isinstance(self.model, str) and self.model not in MODEL_PRESETS:
            raise UnknownNameError("model size", self.model, MODEL_PRESETS)

    @property
    def preset(self) -> ModelPreset:
        return self.model if isinstance(self.model, ModelPreset) else MODEL_PRESETS[self.model]


def padded_batches(lengths: npt.ArrayLike, batch_size: int) -> tuple[int, int]:
    """Tokens after padding each batch to its longest, and the sum over rows of squared row length.

    Batches are taken in the given order; the last may be short.

    >>> padded_batches([1, 2, 3, 4], 2)
    (12, 40)
    """
    array = np.asarray(lengths, dtype=np.int64)
    if not len(array):
        return 0, 0
    starts = np.arange(0, len(array), batch_size)
    longest = np.maximum.reduceat(array, starts)
    sizes = np.diff(np.r_[starts, len(array)])
    return int(np.sum(sizes * longest)), int(np.sum(sizes * longest * longest))


def training_cost(lengths: npt.ArrayLike, setup: TrainingSetup, epochs: int) -> dict[str, Any]:
    """Sequences, real and padded tokens, steps and FLOPs of training ``epochs`` epochs on samples of ``lengths``.

    >>> training_cost([4, 4], TrainingSetup(seq_len=4, batch_size=2), 1)["padded_tokens"]
    8
    """
    raw = np.asarray(lengths, dtype=np.int64)
    kept = np.minimum(raw, setup.seq_len)
    real = int(kept.sum())
    sequences = padded = squares = steps = 0
    if setup.packing:
        rows = math.ceil(real / setup.seq_len)
        sequences, padded = rows * epochs, rows * setup.seq_len * epochs
        squares = rows * setup.seq_len**2 * epochs
        steps = math.ceil(rows / setup.batch_size) * epochs
    else:
        for epoch in range(epochs):
            order = np.random.default_rng([setup.seed, epoch]).permutation(len(kept))
            tokens, square = padded_batches(kept[order], setup.batch_size)
            padded, squares = padded + tokens, squares + square
        sequences = len(kept) * epochs
        steps = math.ceil(len(kept) / setup.batch_size) * epochs
    preset = setup.preset
    dense = 6.0 * preset.parameters * padded
    attention = 6.0 * preset.layers * preset.d_model * squares
    return {
        "epochs": epochs,
        "samples": len(raw),
        "truncated": int(np.sum(raw > setup.seq_len)),
        "sequences": sequences,
        "real_tokens": real * epochs,
        "padded_tokens": padded,
        "padding_share": (padded - real * epochs) / padded if padded else 0.0,
        "steps": steps,
        "flops_dense": dense,
        "flops_attention": attention,
        "flops": dense + attention,
    }


_RATIO_FIELDS = ("sequences", "real_tokens", "padded_tokens", "steps", "flops")


def compare_cost(original: npt.ArrayLike, mosaic: npt.ArrayLike, setup: TrainingSetup) -> dict[str, Any]:
    """Cost of the original set (``original_epochs``) and the mosaic set (``mosaic_epochs``), and mosaic/original.

    >>> found = compare_cost([4, 4, 4, 4], [8, 8], TrainingSetup(seq_len=8, batch_size=2, original_epochs=2))
    >>> found["ratio"]["steps"], found["ratio"]["real_tokens"]
    (0.25, 0.5)
    """
    before = training_cost(original, setup, setup.original_epochs)
    after = training_cost(mosaic, setup, setup.mosaic_epochs)
    ratio = {key: (after[key] / before[key] if before[key] else None) for key in _RATIO_FIELDS}
    return {"original": before, "mosaic": after, "ratio": ratio}
