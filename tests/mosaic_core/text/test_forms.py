"""A template's words: placeholders, one well-formed sentence, and forms that fit their counts (``text/forms.py``)."""

from __future__ import annotations

import pytest

from mosaic_core.errors import TemplateError
from mosaic_core.text.forms import check_forms, check_text, placeholders
from mosaic_core.text.pack import Pack
from mosaic_core.text.templates import Template, builtin_library


def _en() -> Pack:
    return builtin_library().pack("en")


class TestText:
    def test_placeholders_in_order(self) -> None:
        assert placeholders("Put {open} before and {close} after.") == ["open", "close"]

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("Put {open} before and {close} after", "must end with"),
            ("Put {open} before and {open} after.", "each placeholder once"),
            ("Put {open:>3} before and {close} after.", "no format spec"),
            ("Put {open before and {close} after.", "unbalanced"),
        ],
    )
    def test_a_bad_sentence_is_refused(self, text: str, problem: str) -> None:
        with pytest.raises(TemplateError, match=problem):
            check_text("format.wrapper", text, _en())


class TestForms:
    def test_a_format_sentence_may_carry_a_form_for_one_answer(self) -> None:
        template = Template(
            "x.1",
            "format.wrapper",
            "Open each answer with {open} and shut it with {close}.",
            claims=("each",),
            one="Open your answer with {open} and shut it with {close}.",
        )
        check_forms(template, _en())
        assert template.claims_for(1) == () and template.claims_for(3) == ("each",)

    def test_the_form_for_one_answer_claims_nothing(self) -> None:
        template = Template(
            "x.1",
            "format.wrapper",
            "Open each answer with {open} and shut it with {close}.",
            claims=("each",),
            one="Open your answers with {open} and shut them with {close}.",
        )
        with pytest.raises(TemplateError, match=r"one answer only.*answers"):
            check_forms(template, _en())

    def test_other_families_have_no_form_for_one_answer(self) -> None:
        template = Template("x.1", "permute.reverse", "Answer them backwards.", one="Answer it backwards.")
        with pytest.raises(TemplateError, match="only count-naming families"):
            check_forms(template, _en())

    def test_a_size_mask_needs_its_singular(self) -> None:
        template = Template("x.1", "maskout.longest_words", "Skip the {m} longest {noun}.")
        with pytest.raises(TemplateError, match="singular"):
            check_forms(template, _en())
