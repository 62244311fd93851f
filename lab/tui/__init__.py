"""The redis-lab TUI (Textual). ``redis-lab`` with no arguments opens it.

    app.py          RedisLabApp: start-up, modes, event stream, shutdown
    app.tcss        the styles
    screens/        one screen per view: console, explorer, inspector, events,
                    dashboard, eviction, home (lessons), lesson, help
    widgets/        one widget per visualization (listpack, intset, quicklist,
                    skiplist, hashtable, strings) + the console's pieces

The TUI talks to the server only through :mod:`lab.client` (RESP).
"""

from .app import RedisLabApp, run

__all__ = ["RedisLabApp", "run"]
