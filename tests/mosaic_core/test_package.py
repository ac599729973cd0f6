"""The package's public surface and its boundaries."""

from __future__ import annotations

import importlib
import subprocess
import sys

import mosaic_core
from mosaic_core.io.load import load_dataset
from tests.conftest import DEMO, REPO


class TestPackage:
    def test_core_never_imports_streamlit(self) -> None:
        """Importing the whole library (and running the CLI) leaves streamlit unimported."""
        code = (
            "import sys, mosaic_core, mosaic_core.cli, mosaic_core.pipeline, mosaic_core.verify.export\n"
            "import mosaic_core.stats\n"
            "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
        )
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr

    def test_all_is_exactly_the_public_table(self) -> None:
        """__all__ lists exactly the lazily imported public names and the version, each once."""
        assert set(mosaic_core.__all__) == {*mosaic_core._PUBLIC, "__version__"}
        assert len(mosaic_core.__all__) == len(set(mosaic_core.__all__))

    def test_every_public_name_is_its_module_object(self) -> None:
        """Each public name resolves to the very object its module defines."""
        for name, module in mosaic_core._PUBLIC.items():
            assert getattr(mosaic_core, name) is getattr(importlib.import_module(module), name), name

    def test_unknown_name_is_an_attribute_error(self) -> None:
        """A name outside the API fails like any missing attribute."""
        try:
            _ = mosaic_core.no_such_name  # type: ignore[attr-defined]
        except AttributeError as exc:
            assert "no_such_name" in str(exc)
        else:
            raise AssertionError("no AttributeError")

    def test_import_does_no_work(self) -> None:
        """`import mosaic_core` loads no submodule, sets no environment variable and writes no file."""
        code = (
            "import os, sys\n"
            "before = dict(os.environ)\n"
            "import mosaic_core\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('mosaic_core.'))\n"
            "assert not loaded, loaded\n"
            "assert dict(os.environ) == before\n"
            "assert 'tiktoken' not in sys.modules and 'numpy' not in sys.modules\n"
        )
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


class TestDemoData:
    def test_demo_texts_hold_no_stray_control_characters(self) -> None:
        """The built-in demo holds no control character but newline and tab (a "\\frac" once read as form feed)."""
        for record in load_dataset(DEMO).records:
            for text in (record.instruction, record.input, record.output):
                strays = {c for c in text if c < " " and c not in "\n\t"}
                assert not strays, (record.id, strays)
