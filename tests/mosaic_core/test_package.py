"""The package's public surface and its boundaries."""

from __future__ import annotations
import __future__

import subprocess
import sys

import mosaic_core
from tests.conftest import REPO


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

    def test_all_is_honest(self) -> None:
        """Every name in __all__ exists, and every public top-level name is in __all__."""
        for name in mosaic_core.__all__:
            assert hasattr(mosaic_core, name), name
        public = {
            name
            for name, value in vars(mosaic_core).items()
            if not name.startswith("_") and not isinstance(value, (type(sys), __future__._Feature))
        }
        assert public <= set(mosaic_core.__all__), public - set(mosaic_core.__all__)
