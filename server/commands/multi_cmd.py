"""Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH (multi.c).

The handlers are thin; the state machine -- queueing, the dirty flags, the
watched-key map -- lives in :mod:`server.multi`.
"""

from __future__ import annotations

from .. import multi as tx
from ..protocol.replies import OK
from .registry import command


@command("multi")
def multi(c, argv):
    """MULTI: start queueing this connection's commands (no nesting)."""
    tx.multi(c)
    return OK


@command("exec")
def exec_(c, argv):
    """EXEC: run the queue and reply an array of its replies.

    A null array if a WATCHed key changed, EXECABORT if a command was
    rejected while queueing; either way the transaction is over.
    """
    return tx.exec_(c, c.cmd)


@command("discard")
def discard(c, argv):
    """DISCARD: drop the queue and every WATCH."""
    tx.discard(c)
    return OK


@command("watch")
def watch(c, argv):
    """WATCH key [key ...]: make the next EXEC fail if any of these keys changes first."""
    tx.watch(c, argv[1:])
    return OK


@command("unwatch")
def unwatch(c, argv):
    """UNWATCH: forget every watched key (and that one was touched)."""
    tx.unwatch(c)
    return OK
