"""The k modes of the specification."""

from __future__ import annotations

import random

import pytest

from mosaic_core.errors import ConfigError, UnknownNameError
from mosaic_core.generate.kdraw import K_MODES, draw_k, k_distribution


class TestKModes:
    @pytest.mark.parametrize("mode", [m for m in K_MODES if m not in ("max_length", "custom")])
    @pytest.mark.parametrize("top", [1, 3, 10, 64])
    def test_range(self, mode: str, top: int) -> None:
        """Every draw lies in 1..K."""
        rng = random.Random(1)
        assert all(1 <= (draw_k(mode, rng, top) or 0) <= top for _ in range(2000))

    def test_fix_max(self) -> None:
        """fix_max always gives K."""
        assert k_distribution("fix_max", 7) == {7: 1.0}

    def test_uniform_is_flat(self) -> None:
        """uniform gives each k about 1/K."""
        shares = k_distribution("uniform", 4, samples=40000)
        assert all(abs(share - 0.25) < 0.02 for share in shares.values())

    def test_pareto_top_share(self) -> None:
        """pareto: any x < 2 gives k = K, about 73% of draws (spec section 3)."""
        assert abs(k_distribution("pareto", 10, samples=40000)[10] - 0.73) < 0.02

    def test_exp_top_share(self) -> None:
        """exp: k = K when x < 1, i.e. 1 - 1/e of the accepted draws."""
        assert abs(k_distribution("exp", 10, samples=40000)[10] - 0.632) < 0.02

    def test_logistic_never_gives_k_above_top(self) -> None:
        """logistic2 redraws unless 0 < x < K, so k = K is the most likely value."""
        shares = k_distribution("logistic2", 10, samples=20000)
        assert max(shares, key=shares.__getitem__) == 10 and max(shares) <= 10

    def test_max_length_has_no_target(self) -> None:
        """max_length fills the budget instead of aiming for a k."""
        assert draw_k("max_length", random.Random(0), 10) is None

    def test_custom_weights(self) -> None:
        """custom follows the user's weights."""
        shares = k_distribution("custom", 10, {2: 1, 5: 3}, samples=40000)
        assert set(shares) == {2, 5} and abs(shares[5] - 0.75) < 0.02

    def test_custom_needs_weights(self) -> None:
        """custom without weights is a config error."""
        with pytest.raises(ConfigError):
            draw_k("custom", random.Random(0), 10, {})

    def test_unknown_mode(self) -> None:
        """Unknown modes list the known ones."""
        with pytest.raises(UnknownNameError, match="lognormal"):
            draw_k("poisson", random.Random(0), 10)
