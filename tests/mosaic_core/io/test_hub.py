"""Hub datasets: offline by default, and with MOSAIC_HUB_ONLINE=1 a hub that does not answer fails fast."""

from __future__ import annotations

import socket
import time

import pytest

from mosaic_core.errors import DatasetError
from mosaic_core.io.hub import hub_rows, unreachable
from mosaic_core.io.source import Source


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TestReach:
    def test_a_listening_host_is_reachable(self) -> None:
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen()
            assert unreachable(f"http://127.0.0.1:{server.getsockname()[1]}") is None

    def test_a_closed_port_says_why(self) -> None:
        port = _closed_port()
        why = unreachable(f"http://127.0.0.1:{port}")
        assert why is not None and f"127.0.0.1:{port}" in why

    def test_online_without_a_hub_fails_fast(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """MOSAIC_HUB_ONLINE=1 and a hub that does not answer: a clear error in seconds, not datasets' retries."""
        monkeypatch.setenv("MOSAIC_HUB_ONLINE", "1")
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
        start = time.monotonic()
        with pytest.raises(DatasetError, match="the hub cannot be reached from here"):
            list(hub_rows(Source.from_hub("owner/name")))
        assert time.monotonic() - start < 5
