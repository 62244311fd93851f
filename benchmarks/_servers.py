"""Start our server and a real redis-server side by side for a benchmark run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import (  # noqa: E402
    REDIS_BENCHMARK,
    REDIS_CLI,
    REDIS_SERVER,
    ServerProcess,
    start_lab_server,
    start_real_redis,
)

__all__ = [
    "REDIS_BENCHMARK",
    "REDIS_CLI",
    "REDIS_SERVER",
    "ServerProcess",
    "start_lab_server",
    "start_real_redis",
]
