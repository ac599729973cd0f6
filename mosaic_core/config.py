"""The recipe: every setting of a run, validated on construction, saved as JSON.

The app downloads a recipe, the CLI replays it (``--recipe``), and the manifest of every export
embeds it, so that the same input, recipe and seed give the same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from mosaic_core.errors import ConfigError
from mosaic_core.generate.kdraw import K_MODES
from mosaic_core.rules.registry import RULES, masks, rules_of
from mosaic_core.text.language import AUTO
from mosaic_core.text.meaning import compatible
from mosaic_core.text.templates import TemplateLibrary, builtin_library
from mosaic_core.tokenize.registry import available_tokenizers

__all__ = ["PRESETS", "RECIPE_SECTIONS", "STRATEGIES", "MosaicConfig", "parse_mix"]

STRATEGIES = ("primary", "format", "permute", "maskout")

# The reference's "format-only" strategy carries wrappers half of the time; we split it into primary
# (no wrapper) and format (wrapper) at one half each, so the presets give the reference's proportions.
PRESETS: dict[str, dict[str, float]] = {
    "both": {"primary": 1 / 6, "format": 1 / 6, "permute": 1 / 3, "maskout": 1 / 3},
    "format": {"primary": 0.5, "format": 0.5, "permute": 0.0, "maskout": 0.0},
    "order": {"primary": 0.25, "format": 0.25, "permute": 0.5, "maskout": 0.0},
    "mask": {"primary": 0.25, "format": 0.25, "permute": 0.0, "maskout": 0.5},
    "primary": {"primary": 1.0, "format": 0.0, "permute": 0.0, "maskout": 0.0},
}
RECIPE_VERSION = 1
RECIPE_SECTIONS = ("load", "export", "curation")
"""Sections of a recipe file beside the generation keys (``mosaic_core/recipe.py`` reads them)."""
MIXED_LANGUAGES = ("main", "separate")
MIXED_CONTEXTS = ("separate", "mix")
CONVERSATION_ITEMS = ("apart", "mix")
CHOICES = dict(mixed_languages=MIXED_LANGUAGES, mixed_contexts=MIXED_CONTEXTS, conversation_items=CONVERSATION_ITEMS)
"""Recipe keys that take one of a few words."""


def parse_mix(text: str) -> dict[str, float]:
    """A preset name or ``primary=W,format=W,permute=W,maskout=W``.

    >>> parse_mix("permute=1,maskout=1")["permute"]
    1.0
    """
    text = text.strip()
    if text in PRESETS:
        return dict(PRESETS[text])
    mix = dict.fromkeys(STRATEGIES, 0.0)
    pairs = [(name.strip(), sep, value) for name, sep, value in (part.partition("=") for part in text.split(","))]
    for name, sep, value in pairs:
        if not sep or name not in mix:
            raise ConfigError(
                f"bad mix {text!r}: use a preset ({', '.join(PRESETS)}) or "
                "strategy=weight pairs with strategies primary, format, permute, maskout"
            )
        if [pair[0] for pair in pairs].count(name) > 1:
            raise ConfigError(f"bad mix {text!r}: {name} is given twice")
        try:
            mix[name] = float(value)
        except ValueError:
            mix[name] = math.nan
        if not math.isfinite(mix[name]) or mix[name] < 0:
            raise ConfigError(f"bad weight {value!r} for {name} in mix {text!r}: a weight is a number >= 0")
    return mix


@dataclass(frozen=True)
class MosaicConfig:
    """All settings of a mosaic run.

    >>> MosaicConfig(max_k=3).max_k
    3
    """

    k_mode: str = "uniform"
    max_k: int = 10
    k_weights: Mapping[int, float] = field(default_factory=dict)
    max_tokens: int = 2000
    tokenizer: str = "cl100k_base"
    epochs: int = 4
    mix: Mapping[str, float] = field(default_factory=lambda: dict(PRESETS["both"]))
    wrapper_rate: float = 0.5
    disabled_rules: tuple[str, ...] = ()
    disabled_templates: tuple[str, ...] = ()
    custom_templates: tuple[Mapping[str, str], ...] = ()
    keep_unusable: bool = False
    seed: int = 0
    meta_language: str = "auto"
    """``auto``: each mosaic in its items' language (``text/language.py``); or one pack's code, e.g. ``en``."""
    mixed_languages: str = "main"
    """Under ``auto``, items of two languages: ``main`` joins them in the main language, ``separate`` never does."""
    mixed_contexts: str = "separate"
    """Items of different system prompts or tools: ``separate`` never joins them; ``mix`` does, carrying neither."""
    conversation_items: str = "apart"
    """Items that speak to the whole conversation ("from now on…", ``text/conversation.py``), point to a text
    they do not hold, or start a later part of a split chat: ``apart`` keeps them out (listed), ``mix`` lets them in."""

    def __post_init__(self) -> None:
        self._check_types()
        if self.k_mode not in K_MODES:
            raise ConfigError(f"unknown k mode {self.k_mode!r}; known: {', '.join(K_MODES)}", key="k_mode")
        if not self.tokenizer.startswith("hf:") and self.tokenizer not in available_tokenizers():
            known = ", ".join([*available_tokenizers(), "hf:<path to tokenizer.json>"])
            raise ConfigError(f"unknown tokenizer {self.tokenizer!r}; known: {known}", key="tokenizer")
        _check_int("max_k", self.max_k, 1, 100_000)
        _check_int("max_tokens", self.max_tokens, 16, 10_000_000)
        _check_int("epochs", self.epochs, 1, 1000)
        _check_int("seed", self.seed, 0, 2**63 - 1)
        try:
            weights = {int(k): float(w) for k, w in self.k_weights.items()}
        except (TypeError, ValueError):
            raise ConfigError("k_weights must map k (a whole number) to a weight (a number)", key="k_weights") from None
        if not all(math.isfinite(w) for w in weights.values()):
            raise ConfigError("k_weights must be finite numbers (no NaN or infinity)", key="k_weights")
        object.__setattr__(self, "k_weights", weights)
        if self.k_mode == "custom":
            if not weights or any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
                raise ConfigError("k mode 'custom' needs non-negative weights, at least one positive", key="k_weights")
            if any(k < 1 for k in weights):
                raise ConfigError("custom k weights must be for k >= 1", key="k_weights")
        try:
            mix = {name: float(self.mix.get(name, 0.0)) for name in STRATEGIES}
        except (TypeError, ValueError):
            raise ConfigError(
                'mix must map strategies to numbers, e.g. {"primary": 1, "permute": 2}', key="mix"
            ) from None
        if not all(math.isfinite(w) for w in mix.values()):
            raise ConfigError("strategy weights must be finite numbers (no NaN or infinity)", key="mix")
        unknown = set(self.mix) - set(STRATEGIES)
        if unknown:
            raise ConfigError(
                f"unknown strategies in mix: {', '.join(sorted(unknown))}; known: {', '.join(STRATEGIES)}", key="mix"
            )
        if any(w < 0 for w in mix.values()) or sum(mix.values()) <= 0:
            raise ConfigError("strategy weights must be non-negative, at least one positive", key="mix")
        object.__setattr__(self, "mix", mix)
        if not 0.0 <= self.wrapper_rate <= 1.0:
            raise ConfigError(f"wrapper_rate must be between 0 and 1, got {self.wrapper_rate}", key="wrapper_rate")
        object.__setattr__(self, "disabled_rules", tuple(sorted(set(self.disabled_rules))))
        object.__setattr__(self, "disabled_templates", tuple(sorted(set(self.disabled_templates))))
        object.__setattr__(self, "custom_templates", tuple(dict(t) for t in self.custom_templates))
        for name in self.disabled_rules:
            if name not in RULES:
                raise ConfigError(f"unknown rule {name!r}; known: {', '.join(RULES)}", key="disabled_rules")
        library = self.library()
        for template_id in self.disabled_templates:
            library.get(template_id)
        if self.meta_language != AUTO and self.meta_language not in library.languages():
            known = ", ".join([AUTO, *library.languages()])
            raise ConfigError(f"unknown meta_language {self.meta_language!r}; known: {known}")
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ConfigError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        for strategy in ("permute", "maskout"):
            if mix[strategy] > 0 and not self.enabled_rules(strategy):
                raise ConfigError(
                    f"strategy {strategy} has weight {mix[strategy]} but all its rules are off", key="disabled_rules"
                )
        for language in self.languages(library):
            self._check_language(library, language)

    def _check_types(self) -> None:
        """Each field of the type it must have: a recipe is JSON from anywhere."""
        for name in ("k_mode", "tokenizer", "meta_language", *CHOICES):
            if not isinstance(getattr(self, name), str):
                raise ConfigError(f"{name} must be a string, got {getattr(self, name)!r}")
        if not isinstance(self.keep_unusable, bool):
            raise ConfigError(f"keep_unusable must be true or false, got {self.keep_unusable!r}")
        for name in ("mix", "k_weights"):
            if not isinstance(getattr(self, name), Mapping):
                raise ConfigError(f"{name} must be a JSON object, got {type(getattr(self, name)).__name__}")
        for name in ("disabled_rules", "disabled_templates"):
            value = getattr(self, name)
            if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
                raise ConfigError(f"{name} must be a list of names, got {type(value).__name__}")
            if not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{name} must be a list of names (strings)")
        value = self.custom_templates
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
            raise ConfigError(f"custom_templates must be a list of templates, got {type(value).__name__}")
        for item in value:
            if not isinstance(item, Mapping) or not all(isinstance(v, str | list | dict) for v in item.values()):
                raise ConfigError("each custom template is an object with id, family and text (strings)")
        rate = self.wrapper_rate
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate):
            raise ConfigError(f"wrapper_rate must be a number from 0 to 1, got {rate!r}")

    def _check_language(self, library: TemplateLibrary, language: str) -> None:
        mix, pack = self.mix, library.pack(language)
        where = "" if language == "en" else f" ({pack.name})"
        families = ["format.plain", "format.wrapper"]
        families += [name for name in RULES if name not in self.disabled_rules and mix[RULES[name].strategy] > 0]
        for family in families:
            enabled = [library.get(t) for t in self.enabled_templates(family, library, language)]
            # A mask may leave one instruction to answer, of two: a mask family keeps a sentence that fits that.
            usable = [t for t in enabled if not masks(family) or compatible(t.claims, "maskout", 2, 1)]
            if pack.uses_family(family) and not usable:
                fitting = " that fits a mask leaving one instruction" if enabled else ""
                raise ConfigError(
                    f"every template of {family}{where}{fitting} is switched off; keep one on", key="disabled_templates"
                )
        # Wrapped mosaics need a wrapper sentence that fits them, on one item as on several (so on one answer too).
        wrapped = [(s, 2) for s in STRATEGIES if mix[s] > 0 and (s == "format" or self.wrapper_rate > 0)]
        wrapped += [("format", 1)] if mix["format"] > 0 or self.wrapper_rate > 0 else []
        enabled = [library.get(t) for t in self.enabled_templates("format.wrapper", library, language)]
        for strategy, k in wrapped:
            if strategy != "primary" and not any(compatible(t.claims_for(k), strategy, k) for t in enabled):
                case = "a single instruction" if k == 1 else f"{strategy} mosaics"
                message = f"no enabled format.wrapper template{where} can stand in {case}; switch one on"
                raise ConfigError(message, key="disabled_templates")

    def languages(self, library: TemplateLibrary | None = None) -> list[str]:
        """The packs this recipe may write in: the fixed one, or every pack under ``auto``."""
        library = library or self.library()
        return library.languages() if self.meta_language == AUTO else [self.meta_language]

    def library(self) -> TemplateLibrary:
        """Built-in templates plus the recipe's own."""
        if not self.custom_templates:
            return builtin_library()
        return builtin_library().with_custom(self.custom_templates)

    def warnings(self) -> list[str]:
        """Settings that are valid but defeat themselves, each said in a sentence (``generate/advice.py``)."""
        from mosaic_core.generate.advice import recipe_warnings  # noqa: PLC0415

        return recipe_warnings(self)

    def enabled_rules(self, strategy: str) -> list[str]:
        return [name for name in rules_of(strategy) if name not in self.disabled_rules]

    def enabled_templates(self, family: str, library: TemplateLibrary | None = None, language: str = "en") -> list[str]:
        library = library or self.library()
        off = set(self.disabled_templates)
        return [t.id for t in library.family(family, language) if t.id not in off]

    def to_recipe(self) -> dict[str, Any]:
        """The JSON-ready recipe.

        >>> MosaicConfig.from_recipe(MosaicConfig(seed=7).to_recipe()).seed
        7
        """
        data = asdict(self)
        data["k_weights"] = {str(k): w for k, w in sorted(self.k_weights.items())}
        data["disabled_rules"] = list(self.disabled_rules)
        data["disabled_templates"] = list(self.disabled_templates)
        data["custom_templates"] = [dict(t) for t in self.custom_templates]
        return {"recipe_version": RECIPE_VERSION, **data}

    def to_json(self) -> str:
        return json.dumps(self.to_recipe(), indent=2, sort_keys=True)

    @classmethod
    def from_recipe(cls, data: Mapping[str, Any], **overrides: Any) -> MosaicConfig:
        """Build from a recipe mapping, or an export's manifest (its recipe); ``overrides`` win (the CLI's flags)."""
        if not isinstance(data, Mapping):
            raise ConfigError("a recipe must be a JSON object")
        if data.get("tool") == "mosaic-studio" and isinstance(data.get("recipe"), Mapping):
            data = data["recipe"]  # a manifest replays its run
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k != "recipe_version" and k not in RECIPE_SECTIONS}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown recipe keys: {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        version = data.get("recipe_version", RECIPE_VERSION)
        if version != RECIPE_VERSION:
            raise ConfigError(f"recipe_version {version} is not supported (this version reads {RECIPE_VERSION})")
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("disabled_rules", "disabled_templates", "custom_templates"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        if "k_weights" in values:
            try:
                values["k_weights"] = {int(k): float(w) for k, w in dict(values["k_weights"]).items()}
            except (TypeError, ValueError):
                raise ConfigError("k_weights must map k (an integer) to a weight") from None
        try:
            return cls(**values)
        except TypeError as exc:
            raise ConfigError(f"bad recipe value: {exc}") from None

    @classmethod
    def from_json(cls, text: str, **overrides: Any) -> MosaicConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"the recipe is not valid JSON: {exc}") from None
        return cls.from_recipe(data, **overrides)


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, got {value!r}", key=name)
