"""Recipes: validation on construction and the JSON round trip."""

from __future__ import annotations

import pytest

from mosaic_core.config import PRESETS, MosaicConfig, parse_mix
from mosaic_core.errors import ConfigError, UnknownNameError


class TestMosaicConfig:
    def test_round_trip(self) -> None:
        """A recipe written and read back is the same config."""
        config = MosaicConfig(
            k_mode="custom",
            k_weights={2: 1.0, 4: 2.0},
            max_k=4,
            seed=9,
            disabled_rules=("permute.fix",),
            disabled_templates=("format.plain.01",),
            custom_templates=({"id": "u.1", "family": "permute.reverse", "text": "Go from the last to the first."},),
        )
        assert MosaicConfig.from_json(config.to_json()) == config

    def test_overrides_win(self) -> None:
        """CLI flags override recipe values."""
        assert MosaicConfig.from_recipe({"epochs": 2}, epochs=5).epochs == 5

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"max_k": 0}, "max_k"),
            ({"epochs": "4"}, "epochs"),
            ({"k_mode": "poisson"}, "unknown k mode"),
            ({"mix": {"primary": -1}}, "non-negative"),
            ({"mix": {"shuffle": 1}}, "unknown strategies"),
            ({"k_mode": "custom"}, "custom"),
            ({"wrapper_rate": 2}, "wrapper_rate"),
            ({"disabled_rules": ("permute.sideways",)}, "unknown rule"),
        ],
    )
    def test_invalid_values(self, values: dict[str, object], message: str) -> None:
        """Bad settings fail on construction with a clear message."""
        with pytest.raises(ConfigError, match=message):
            MosaicConfig.from_recipe(values)

    def test_all_rules_off(self) -> None:
        """A strategy with weight but no enabled rule is refused."""
        rules = [f"maskout.{r}" for r in ("fix", "longest_words", "shortest_words", "odd", "even")]
        with pytest.raises(ConfigError, match="maskout"):
            MosaicConfig(disabled_rules=tuple(rules))

    def test_all_templates_off(self) -> None:
        """Turning off every template of a used family is refused."""
        ids = [t.id for t in MosaicConfig().library().family("permute.reverse")]
        with pytest.raises(ConfigError, match=r"permute\.reverse"):
            MosaicConfig(disabled_templates=tuple(ids))

    def test_unknown_template_id(self) -> None:
        """Switching off a template that does not exist is an error."""
        with pytest.raises(UnknownNameError):
            MosaicConfig(disabled_templates=("nope.1",))

    def test_unknown_recipe_key(self) -> None:
        """Misspelt recipe keys are not ignored."""
        with pytest.raises(ConfigError, match=r"max_kk"):
            MosaicConfig.from_recipe({"max_kk": 3})

    def test_bad_json(self) -> None:
        """A broken recipe file is a config error."""
        with pytest.raises(ConfigError, match="JSON"):
            MosaicConfig.from_json("{nope")


class TestMix:
    def test_presets_match_reference(self) -> None:
        """'both' is a third each of format-only, permute, maskout (format-only split by wrapper)."""
        both = PRESETS["both"]
        assert both["primary"] + both["format"] == pytest.approx(1 / 3)
        assert both["permute"] == pytest.approx(1 / 3) and both["maskout"] == pytest.approx(1 / 3)

    def test_weights(self) -> None:
        """Explicit weights parse; unknown names are refused."""
        assert parse_mix("primary=1,maskout=3")["maskout"] == 3.0
        with pytest.raises(ConfigError):
            parse_mix("shuffle=1")


class TestWrapperSentences:
    def test_refuses_wrappers_with_no_sentence_for_one_item(self) -> None:
        """Switching off every wrapper sentence that reads right for one instruction is refused, naming the case."""
        from mosaic_core.text.templates import builtin_library

        singular = [t.id for t in builtin_library().family("format.wrapper") if not {"all", "plural"} & set(t.claims)]
        with pytest.raises(ConfigError, match="single instruction"):
            MosaicConfig(disabled_templates=tuple(singular))

    def test_refuses_a_mask_family_that_only_speaks_of_the_remaining_ones(self) -> None:
        """A mask may leave one instruction to answer: switching off every sentence that fits that is refused;
        with one kept on, or masks off, it is not."""
        from mosaic_core.text.templates import builtin_library

        neutral = [t.id for t in builtin_library().family("maskout.fix") if "rest" not in t.claims]
        assert neutral and len(neutral) < len(builtin_library().family("maskout.fix"))
        with pytest.raises(ConfigError, match=r"maskout\.fix that fits a mask leaving one instruction"):
            MosaicConfig(disabled_templates=tuple(neutral))
        MosaicConfig(disabled_templates=tuple(neutral[1:]))
        MosaicConfig(disabled_templates=tuple(neutral), mix=PRESETS["order"])

    def test_refuses_wrappers_that_all_claim_every_answer_beside_masks(self) -> None:
        """With masks on, at least one wrapper sentence must not claim that every instruction is answered."""
        from mosaic_core.text.templates import builtin_library

        not_all = [t.id for t in builtin_library().family("format.wrapper") if "all" not in t.claims]
        with pytest.raises(ConfigError, match="maskout"):
            MosaicConfig(disabled_templates=tuple(not_all))


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"mix": {"primary": 0, "format": 0, "permute": 0, "maskout": 0}}, "mix"),
        ({"max_k": 0}, "max_k"),
        ({"k_mode": "custom", "k_weights": {1: -1.0}}, "k_weights"),
        ({"disabled_rules": ("permute.reverse", "nonsense")}, "disabled_rules"),
        ({"wrapper_rate": 2.0}, "wrapper_rate"),
    ],
)
def test_an_error_names_the_key_at_fault(changes: dict[str, object], key: str) -> None:
    """The app shows an invalid setting beside its own control, by the error's key, not by its words."""
    with pytest.raises(ConfigError) as caught:
        MosaicConfig(**changes)  # type: ignore[arg-type]
    assert caught.value.key == key
