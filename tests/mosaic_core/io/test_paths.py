"""Confining user paths to the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from mosaic_core.errors import ConfigError
from mosaic_core.io.paths import confine


class TestConfine:
    def test_relative_inside(self, tmp_path: Path) -> None:
        """A relative path lands inside the root."""
        assert confine(tmp_path, "a/b.jsonl") == tmp_path.resolve() / "a" / "b.jsonl"

    @pytest.mark.parametrize("path", ["../x.json", "a/../../x.json", "/etc/passwd", "", "a\x00b"])
    def test_escapes_refused(self, tmp_path: Path, path: str) -> None:
        """Parent steps, absolute paths elsewhere, empty and NUL paths are refused."""
        with pytest.raises(ConfigError):
            confine(tmp_path, path)

    def test_absolute_inside_allowed(self, tmp_path: Path) -> None:
        """An absolute path inside the root is fine."""
        assert confine(tmp_path, str(tmp_path / "x.json")) == (tmp_path / "x.json").resolve()

    def test_link_out_refused(self, tmp_path: Path) -> None:
        """A symbolic link that leads out of the root is refused."""
        outside = tmp_path / "outside"
        outside.mkdir()
        root = tmp_path / "root"
        root.mkdir()
        (root / "link").symlink_to(outside)
        with pytest.raises(ConfigError, match="outside"):
            confine(root, "link/data.json")
