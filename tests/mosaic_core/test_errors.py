"""The error tree: one base class, each error also the builtin it resembles."""

from __future__ import annotations

import pytest

from mosaic_core.errors import ConfigError, DatasetError, MosaicError, OfflineError, TemplateError, UnknownNameError


class TestErrorTree:
    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (ConfigError, ValueError),
            (DatasetError, ValueError),
            (TemplateError, ValueError),
            (OfflineError, RuntimeError),
        ],
    )
    def test_each_error_is_a_mosaic_error_and_its_builtin(
        self, error: type[Exception], builtin: type[Exception]
    ) -> None:
        """Callers can catch MosaicError, or the builtin the error resembles."""
        assert issubclass(error, MosaicError) and issubclass(error, builtin)

    def test_unknown_name_lists_the_known_ones_sorted(self) -> None:
        """The message names the kind, the name asked for and the known names in order, without KeyError's quotes."""
        error = UnknownNameError("rule", "permute.sideways", ["permute.reverse", "maskout.fix"])
        assert isinstance(error, KeyError) and isinstance(error, MosaicError)
        assert str(error) == "unknown rule 'permute.sideways'; known: maskout.fix, permute.reverse"
        assert (error.kind, error.name, error.known) == ("rule", "permute.sideways", ["maskout.fix", "permute.reverse"])
