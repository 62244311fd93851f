"""``python -m server [redis.conf] [--port N ...]``: run the reference server."""

from __future__ import annotations

import sys

from .main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
