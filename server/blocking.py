"""Blocking operations: BLPOP & co. wait for data (blocked.c, t_list.c).

A client that runs ``BLPOP k1 k2 5`` on empty keys does not get a reply; it
is *blocked*: its connection stays open, it stops reading further requests
(its pipeline waits behind the blocking command), and it sits in a queue per
key until one of three things happens:

1. **Data arrives.** Any command that creates the key (LPUSH, LMOVE, RENAME,
   RESTORE...) calls :meth:`Server.signal_key_as_ready`, which appends the
   key to ``server.ready_keys``. After that command, the server calls
   :func:`handle_clients_blocked_on_keys`, which serves the waiters of each
   ready key **in the order they blocked** (FIFO), as long as the key still
   holds data. Serving may create other keys (BLMOVE pushes into its
   destination), which are signalled in turn and served in a following round,
   so chains of BLMOVE clients resolve within one command.
2. **The timeout passes.** A cron hook compares each deadline with the
   server clock (so ``LAB CLOCK ADVANCE`` can time a client out). A timed-out
   list client gets a null array (RESP2 ``*-1``, RESP3 ``_``) -- in Redis
   7.0.15 that includes BRPOPLPUSH and BLMOVE.
3. **CLIENT UNBLOCK** id [TIMEOUT | ERROR] from another connection, or the
   client disconnects.

Why a queue per key and not one global list: a push on ``k`` must find the
first client waiting *for k* without scanning every blocked client, and a
client blocked on several keys sits in several queues and leaves all of them
when served (``unblockClientWaitingData``).

The server keeps the queues in ``server.blocking_keys`` ((db id, key) ->
[Client]); this module keeps each blocked client's request (keys, deadline,
directions, target, count) in :class:`BlockState`. What "serving" means is
type-specific, so each family registers a function in :data:`SERVE` (lists:
:func:`server.commands.lists.serve_blocked_list_client`).

After a client is served its reply is written at once and its pipeline is
resumed on the next event-loop turn (Redis resumes it in ``beforeSleep``),
never re-entrantly inside the command that woke it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from . import errors, longdouble
from .errors import CommandError
from .keyspace import type_name
from .numbers import LLONG_MAX, LLONG_MIN
from .protocol.replies import NULL_ARRAY, ErrorReply

if TYPE_CHECKING:
    from .net.client import Client
    from .server import Server

# serve(receiver, key, value, state) -> True when the key was emptied and
# deleted (stop serving this key). Registered per blocking type ("list", ...).
SERVE: dict[str, Callable[..., bool]] = {}


class BlockState:
    """``client->bpop``: what a blocked client waits for."""

    __slots__ = ("kind", "keys", "dbid", "timeout", "wherefrom", "whereto", "target", "count")

    def __init__(
        self,
        kind: str,
        keys: list[bytes],
        dbid: int,
        timeout: int,
        wherefrom: int = 0,
        whereto: int = 0,
        target: bytes | None = None,
        count: int = -1,
    ) -> None:
        self.kind = kind  # "list" (BLOCKED_LIST); other families may add theirs
        self.keys = keys
        self.dbid = dbid
        self.timeout = timeout  # absolute ms on the server clock, 0 = forever
        self.wherefrom = wherefrom
        self.whereto = whereto
        self.target = target  # BLMOVE / BRPOPLPUSH destination
        self.count = count  # BLMPOP COUNT, -1 for BLPOP/BRPOP


def _states(server: Server) -> dict[int, BlockState]:
    """Blocked clients' requests by client id (kept on the server object)."""
    states = getattr(server, "blocked_states", None)
    if states is None:
        states = server.blocked_states = {}  # type: ignore[attr-defined]
        server.cron_hooks.append(lambda now_ms: timeout_cron(server, now_ms))
    return states


def state_of(c: Client) -> BlockState | None:
    return _states(c.server).get(c.id)


# -- timeouts ------------------------------------------------------------------------


def parse_timeout(c: Client, arg: bytes) -> int:
    """``getTimeoutFromObjectOrReply`` (UNIT_SECONDS): an absolute deadline in ms, 0 = forever.

    The seconds are a C ``long double``, multiplied by 1000 and rounded up
    (``ceill``), so 0.0001 is 1 ms but -0.0001 is 0 (= forever, as in Redis).
    A value too big for a long long becomes LLONG_MIN on x86 and is reported
    as negative -- that is what Redis 7.0 answers for ``inf`` or ``1e16``.
    """
    ld = longdouble.parse(arg)
    if ld is None:
        raise CommandError(errors.TIMEOUT_NOT_FLOAT)
    if ld.inf:
        raise CommandError(errors.TIMEOUT_NEGATIVE)
    ms_ld = longdouble._round(ld.value * 1000)
    ms = math.ceil(Fraction(ms_ld.value)) if not ms_ld.inf else LLONG_MIN
    if ms > LLONG_MAX or ms < LLONG_MIN:
        ms = LLONG_MIN
    if ms < 0:
        raise CommandError(errors.TIMEOUT_NEGATIVE)
    if ms > 0:
        ms += c.server.clock.ms()
    return ms


def timeout_cron(server: Server, now_ms: int) -> None:
    """``handleBlockedClientsTimeout``: reply to clients whose deadline passed."""
    states = _states(server)
    if not states:
        return
    expired = [cid for cid, st in states.items() if st.timeout and st.timeout < now_ms]
    for cid in expired:
        c = server.clients.get(cid)
        if c is None:
            states.pop(cid, None)
            continue
        reply_timed_out(c)
        unblock_client(c)


def reply_timed_out(c: Client) -> None:
    """``replyToBlockedClientTimedOut``: a null array for every list command."""
    c.add_reply(NULL_ARRAY)


# -- blocking and unblocking -----------------------------------------------------------


def block_for_keys(
    c: Client,
    keys: list[bytes],
    timeout: int,
    kind: str = "list",
    wherefrom: int = 0,
    whereto: int = 0,
    target: bytes | None = None,
    count: int = -1,
) -> None:
    """``blockForKeys``: queue ``c`` on each key (once per key) and mark it blocked.

    A client that may not block (CLIENT_DENY_BLOCKING: inside EXEC) gets the
    timeout reply at once instead: a null array, or for BLMOVE/BRPOPLPUSH the
    null bulk their ``addReplyNull`` sends (RESP2 ``$-1``; RESP3 ``_`` for both).
    """
    if c.deny_blocking:
        c.add_reply(None if target is not None else NULL_ARRAY)
        return
    server = c.server
    states = _states(server)
    unique: list[bytes] = []
    for k in keys:
        if k not in unique:
            unique.append(k)
    dbid = c.db.id
    for k in unique:
        server.blocking_keys.setdefault((dbid, k), []).append(c)
    states[c.id] = BlockState(kind, unique, dbid, timeout, wherefrom, whereto, target, count)
    c.blocked = True
    server.blocked_clients += 1
    if timeout:
        _arm_timer(server, timeout)


def _arm_timer(server: Server, deadline_ms: int) -> None:
    """Check timeouts just after ``deadline_ms`` too, not only at the next cron tick.

    Redis checks deadlines before every sleep; the cron alone (``hz`` 10) would
    answer up to 100 ms late. The timer is in wall-clock time: if the lab clock
    is frozen or advanced it fires at the wrong moment, which is harmless,
    because the check itself reads the server clock (the cron still runs).
    """
    loop = getattr(server.listener, "loop", None)
    if loop is None:
        return
    delay = max(0, deadline_ms - server.clock.ms()) / 1000 + 0.001
    loop.call_later(delay, lambda: timeout_cron(server, server.clock.ms()))


def unblock_client(c: Client) -> None:
    """``unblockClient``: leave every key queue, then resume the client's pipeline."""
    server = c.server
    st = _states(server).pop(c.id, None)
    if st is not None:
        for k in st.keys:
            waiters = server.blocking_keys.get((st.dbid, k))
            if waiters is None:
                continue
            if c in waiters:
                waiters.remove(c)
            if not waiters:
                del server.blocking_keys[(st.dbid, k)]
    if c.blocked:
        c.blocked = False
        server.blocked_clients = max(0, server.blocked_clients - 1)
    _resume(c)


def _resume(c: Client) -> None:
    """Send the reply now; run the rest of the pipeline on the next loop turn."""
    if c.closed:
        return
    c.flush()
    loop = getattr(c.server.listener, "loop", None)
    if loop is None:
        c.process_input()
    else:
        loop.call_soon(_continue, c)


def _continue(c: Client) -> None:
    if not (c.closed or c.blocked):
        c.process_input()


def client_unblock(target: Client, error: bool) -> bool:
    """CLIENT UNBLOCK id [TIMEOUT | ERROR]: False when ``target`` is not blocked by us."""
    server = target.server
    if not target.blocked or target.id not in _states(server):
        return False
    if error:
        server.stats.count_error("UNBLOCKED")
        target.add_reply(ErrorReply(errors.UNBLOCKED))
    else:
        reply_timed_out(target)
    unblock_client(target)
    return True


def on_disconnect(c: Client) -> None:
    """A blocked client closed its connection: forget it (no reply, no resume)."""
    server = c.server
    st = _states(server).pop(c.id, None)
    if st is not None:
        for k in st.keys:
            waiters = server.blocking_keys.get((st.dbid, k))
            if waiters and c in waiters:
                waiters.remove(c)
                if not waiters:
                    del server.blocking_keys[(st.dbid, k)]
    if c.blocked:
        c.blocked = False
        server.blocked_clients = max(0, server.blocked_clients - 1)


# -- serving -----------------------------------------------------------------------------


def handle_clients_blocked_on_keys(server: Server) -> None:
    """``handleClientsBlockedOnKeys``: serve the waiters of every ready key.

    The list of ready keys is swapped for a fresh one before each round, so
    keys signalled while serving (a BLMOVE's destination) are handled in the
    next round of the same call.
    """
    states = _states(server)
    while server.ready_keys:
        batch, server.ready_keys = server.ready_keys, []
        for dbid, key in batch:
            db = server.dbs[dbid]
            entry = db.lookup_entry(key)
            if entry is None:
                continue
            serve = SERVE.get(type_name(entry.value))
            if serve is None:
                continue
            waiters = server.blocking_keys.get((dbid, key))
            if not waiters:
                continue
            for receiver in list(waiters):
                st = states.get(receiver.id)
                if st is None or receiver.closed:
                    on_disconnect(receiver)
                    continue
                if st.kind != type_name(entry.value):
                    continue
                previous = server.current_client
                server.current_client = receiver
                try:
                    deleted = serve(receiver, key, entry.value, st)
                finally:
                    server.current_client = previous
                unblock_client(receiver)
                if deleted:
                    break


def waiting_clients(server: Server, dbid: int, key: bytes) -> list[Any]:
    """The clients queued on a key, first to be served first (for LAB views and tests)."""
    return list(server.blocking_keys.get((dbid, key), ()))
