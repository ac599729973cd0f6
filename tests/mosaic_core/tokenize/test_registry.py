"""Token counters by name: a lazy registry of constructors."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from mosaic_core.errors import UnknownNameError
from mosaic_core.tokenize import registry
from mosaic_core.tokenize.registry import available_tokenizers, get_tokenizer, register_tokenizer
from tests.conftest import TOKENIZERS


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """Whatever a test registers or loads is forgotten afterwards."""
    names, loaded = dict(registry._REGISTRY), dict(registry._LOADED)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(names)
    registry._LOADED.clear()
    registry._LOADED.update(loaded)


class TestRegistry:
    def test_registry_lists_names(self) -> None:
        """All three tokenizers are registered."""
        assert set(TOKENIZERS) <= set(available_tokenizers())

    def test_unknown_name_lists_known(self) -> None:
        """An unknown tokenizer names the ones that exist."""
        with pytest.raises(UnknownNameError, match="cl100k_base"):
            get_tokenizer("gpt-17")

    def test_unknown_name_mentions_hf_paths(self) -> None:
        """The message also says how to name a local Hugging Face tokenizer."""
        with pytest.raises(UnknownNameError, match="hf:"):
            get_tokenizer("gpt-17")

    def test_one_shared_counter_per_name(self) -> None:
        """Asking twice gives the very same counter."""
        assert get_tokenizer("cl100k_base") is get_tokenizer("cl100k_base")

    def test_registered_factory_runs_once_on_first_use(self, clean_registry: None) -> None:
        """A registered constructor is not called on registration, and only once however often it is asked for."""
        calls: list[str] = []
        counter = get_tokenizer("cl100k_base")

        def factory() -> object:
            calls.append("built")
            return counter

        register_tokenizer("test-only", factory)  # type: ignore[arg-type]
        assert calls == [] and "test-only" in available_tokenizers()
        assert get_tokenizer("test-only") is counter
        assert get_tokenizer("test-only") is counter and calls == ["built"]

    def test_factory_may_ask_for_another_counter(self, clean_registry: None) -> None:
        """A constructor that itself asks the registry for a counter does not deadlock."""
        register_tokenizer("test-nested", lambda: get_tokenizer("cl100k_base"))
        found: list[object] = []
        worker = threading.Thread(target=lambda: found.append(get_tokenizer("test-nested")), daemon=True)
        worker.start()
        worker.join(timeout=30)
        assert found == [get_tokenizer("cl100k_base")], "get_tokenizer blocked inside a factory"
