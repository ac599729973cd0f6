"""The decoration layer's building blocks: numbering tags and wrappers."""

from __future__ import annotations

import pytest

from mosaic_core.text.decoration import SEPARATORS, TAG_PUNCTUATION, TAG_STYLES, looks_numbered, number_tag
from mosaic_core.text.wrappers import BRACKETS, CHAT_TOKENS, WRAPPER_WORDS, wrapper_tags

ALL_WRAPPERS = [
    wrapper_tags(w, b, low) for w in range(len(WRAPPER_WORDS)) for b in range(len(BRACKETS)) for low in (False, True)
]
ALL_TAGS = [number_tag(s, p, n) for s in range(len(TAG_STYLES)) for p in TAG_PUNCTUATION for n in (1, 9, 10, 65, 120)]


class TestMarkers:
    def test_no_wrapper_spells_a_chat_token_or_a_placeholder(self) -> None:
        """No wrapper tag is a chat special token ("<|end|>") or reads as an unfilled placeholder ("{reply}")."""
        tags = [tag for pair in ALL_WRAPPERS for tag in pair]
        assert not set(tags) & CHAT_TOKENS
        assert not [tag for tag in tags if tag.startswith("{")]
        assert "<|START|>" in tags and "[open]" in tags  # the stand-ins are used

    def test_no_slash_and_no_outer_whitespace(self) -> None:
        """No tag or wrapper holds "/" or starts or ends with whitespace (the exact token arithmetic relies on it)."""
        for marker in ALL_TAGS + [tag for pair in ALL_WRAPPERS for tag in pair]:
            assert "/" not in marker and marker == marker.strip(), marker

    def test_tags_name_their_number(self) -> None:
        """A tag holds its number, and different numbers give different tags."""
        for style in range(len(TAG_STYLES)):
            for punct in TAG_PUNCTUATION:
                tags = [number_tag(style, punct, n) for n in range(1, 60)]
                assert len(set(tags)) == len(tags)
                assert all(str(n) in tag for n, tag in enumerate(tags, start=1))

    def test_wrapper_tags_differ(self) -> None:
        """The begin and end tags of a wrapper are never the same, and lowercase ones are lower case."""
        for begin, end in ALL_WRAPPERS:
            assert begin != end
        assert wrapper_tags(0, 0, True) == ("[start]", "[end]")

    @pytest.mark.parametrize("sep", SEPARATORS)
    def test_separators_are_newline_runs(self, sep: str) -> None:
        """Separators are runs of newlines only."""
        assert sep and set(sep) == {"\n"}


@pytest.mark.parametrize(
    ("text", "numbered"),
    [
        ("Rate these:\n1. Service", True),
        ("Best picks:\n1) Endurance\n2) Check your fridge", True),
        ("Albums:\n3.”Speak Now” (2010)", True),
        ("3 colors", True),
        ("Values:\n2:", True),
        ("Pi is about\n3.14", False),
        ("Meet at\n12:30", False),
        ("In 1990 and 2000.", False),
        ("About\n1,000 people", False),
    ],
)
def test_lines_a_bare_number_tag_could_be_taken_for(text: str, numbered: bool) -> None:
    """A line that starts like a list number ("1.", "1)", "3.”Song”", "3 colors") rules out the bare tag beside
    it; a decimal, a time or a thousands separator does not."""
    assert looks_numbered(text) is numbered
