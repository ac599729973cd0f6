"""Dataset text is shown as text: never interpreted as HTML or Markdown."""

from __future__ import annotations

from pages.studio.html import pieces_html


class TestPiecesHtml:
    def test_script_is_escaped(self) -> None:
        """HTML in a record appears literally, escaped."""
        shown = pieces_html([("<script>alert(1)</script> **bold** $x$", "source", 0)])
        assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
        assert "**bold** $x$" in shown

    def test_meta_and_numbers_marked(self) -> None:
        """Meta-instructions and numbers get their own marks; quotes are escaped too."""
        shown = pieces_html([('Answer "all".', "meta", None), ("(1) ", "number", 0)])
        assert 'class="meta">Answer &quot;all&quot;.' in shown and 'class="mark">(1) ' in shown
