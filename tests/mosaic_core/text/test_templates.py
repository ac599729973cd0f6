"""The template library, tested as data."""

from __future__ import annotations

import pytest

from mosaic_core.errors import TemplateError, UnknownNameError
from mosaic_core.rules.registry import RULES
from mosaic_core.text.templates import PLACEHOLDERS, Template, TemplateLibrary, builtin_library, validate_text

# Reference template counts per family (spec section 2); ours must be at least as many.
MINIMUM = {
    "format.wrapper": 30,
    "format.plain": 7,
    "permute.fix": 7,
    "permute.reverse": 7,
    "permute.alphabetical": 8,
    "permute.reverse_alphabetical": 8,
    "permute.shortest_words": 7,
    "permute.longest_words": 5,
    "permute.shortest_chars": 8,
    "permute.longest_chars": 8,
    "permute.odd_first": 9,
    "permute.even_first": 9,
    "maskout.fix": 9,
    "maskout.longest_words": 7,
    "maskout.shortest_words": 6,
    "maskout.odd": 11,
    "maskout.even": 10,
}
TIE_BREAK_FAMILIES = [
    f
    for f in PLACEHOLDERS
    if f.startswith("permute.") and f.split(".")[1] not in ("fix", "reverse", "odd_first", "even_first")
]


class TestBuiltinLibrary:
    def test_every_family_has_its_placeholders(self) -> None:
        """Each rule has a template family, and vice versa."""
        assert set(RULES) | {"format.wrapper", "format.plain"} == set(PLACEHOLDERS)

    @pytest.mark.parametrize("family", sorted(MINIMUM))
    def test_at_least_the_reference_count(self, family: str) -> None:
        """No family has fewer templates than the reference."""
        assert len(builtin_library().family(family)) >= MINIMUM[family]

    @pytest.mark.parametrize("family", TIE_BREAK_FAMILIES)
    def test_sorting_templates_state_the_tie_break(self, family: str) -> None:
        """Every sort-based order sentence says what happens on a tie."""
        for template in builtin_library().family(family):
            assert "original" in template.text or "earlier" in template.text, template.id

    def test_ids_follow_family(self) -> None:
        """Template ids start with their family name."""
        for family, items in builtin_library().families().items():
            assert all(t.id.startswith(family + ".") for t in items)

    def test_renders_with_rule_values(self) -> None:
        """Templates render with exactly the values their rule provides."""
        template = builtin_library().family("maskout.fix")[0]
        assert "2 and 5" in template.render(noun="instructions", positions="2 and 5")


class TestValidation:
    @pytest.mark.parametrize(
        ("family", "text", "problem"),
        [
            ("permute.reverse", "answer backwards.", "capital"),
            ("permute.reverse", "Answer backwards. Then stop.", "one sentence"),
            ("permute.reverse", " Answer backwards.", "whitespace"),
            ("permute.reverse", "Answer  backwards.", "whitespace"),
            ("permute.fix", "Answer in this order.", "placeholder"),
            ("permute.fix", "Answer in order {order} and {order}.", "placeholder"),
            ("permute.reverse", "Answer {wrong} backwards.", "placeholder"),
            ("format.wrapper", "Wrap answers in {open} and {close.", "braces"),
            ("permute.reverse", "Answer backwards\u2028now.", "printable"),
            ("permute.fix", "Answer in this order: {order:>99}.", "format spec"),
        ],
    )
    def test_rejects_malformed(self, family: str, text: str, problem: str) -> None:
        """Malformed sentences are refused with the reason."""
        with pytest.raises(TemplateError, match=problem):
            validate_text(family, text)

    def test_unknown_family(self) -> None:
        """An unknown family lists the known ones."""
        with pytest.raises(UnknownNameError, match=r"permute\.reverse"):
            validate_text("permute.sideways", "Answer sideways.")

    def test_duplicates_refused(self) -> None:
        """Two sentences equal up to case and spacing cannot both be in a library."""
        with pytest.raises(TemplateError, match="repeats"):
            TemplateLibrary(
                [Template("a", "format.plain", "Answer all."), Template("b", "format.plain", "ANSWER ALL.")],
                builtin_library().packs,
            )

    def test_custom_template_joins_library(self) -> None:
        """A user's template is validated and added."""
        library = builtin_library().with_custom(
            [{"id": "mine.1", "family": "permute.reverse", "text": "Go from last to first."}]
        )
        assert library.get("mine.1").builtin is False
        assert len(library) == len(builtin_library()) + 1
