"""``python -m lab.repl [redis-cli flags] [command ...]``."""

import sys

from . import main

sys.exit(main(sys.argv[1:]))
