"""Fixtures for the encoding tests: one real redis-server per test module."""

from __future__ import annotations

import pytest

from tests import support


@pytest.fixture(scope="module")
def real_redis():
    """A redis-py client on a private real redis-server (skipped when absent)."""
    if support.REDIS_SERVER is None:
        pytest.skip(support.NO_REDIS_REASON)
    server = support.start_real_redis()
    try:
        yield server.client()
    finally:
        server.stop()
