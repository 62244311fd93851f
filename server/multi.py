"""Transactions: MULTI/EXEC/DISCARD and optimistic locking with WATCH (multi.c).

A transaction is a queue, not a lock. After ``MULTI`` the client's commands
are checked exactly as :meth:`Server.execute` (``processCommand``) checks any
command -- the name, the arity, authentication, ``no_multi`` -- and, instead
of running, stored in the client's :class:`MultiState` with a ``+QUEUED``
reply. ``EXEC`` then runs the queue through :meth:`Server.call`, one command
after another, with no other client's command in between: that is the whole
atomicity guarantee, and it comes for free from a single-threaded server.

Two things can stop a transaction, and they answer differently:

- **A command was rejected while queueing** (unknown name, wrong arity, a
  ``no_multi`` command such as SAVE...). The error is replied at once and the
  transaction is flagged (``CLIENT_DIRTY_EXEC``); EXEC answers ``EXECABORT``
  and runs nothing. An error that happens *while EXEC runs* (WRONGTYPE, a
  syntax error the dispatcher could not see) is not a rejection: it becomes
  one element of EXEC's reply array and the other commands still run. Redis
  has no rollback.
- **A WATCHed key was touched** (``CLIENT_DIRTY_CAS``): EXEC replies a null
  array (RESP2 ``*-1``, RESP3 ``_``) -- "somebody changed what you read, read
  it again and retry" -- and runs nothing.

**WATCH.** ``server.watched_keys`` maps (db id, key) to the
:class:`WatchedKey` records of every client watching it; each client keeps its
own list of records too, so UNWATCH, EXEC, DISCARD and a disconnect can leave
every queue without scanning the others. Every write calls
:meth:`Server.signal_modified` (``signalModifiedKey``), which costs one empty
check while nobody watches anything; when somebody does, it marks the
watchers of that key dirty and unwatches them (a dirty client has nothing
more to learn). FLUSHDB, FLUSHALL and SWAPDB do not touch keys one by one:
:func:`touch_all_watched_keys_in_db` marks the watchers of keys that existed
(or, for SWAPDB, that exist in the database swapped in).

**Expiry.** A key that expires between WATCH and EXEC counts as modified even
if nobody looked at it (``isWatchedKeyExpired``). A key that was *already*
expired when WATCHed is logically absent, so its lazy or active deletion is
not a change: its record carries ``expired`` and the deletion only clears it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import errors
from .errors import CommandError
from .protocol.replies import NULL_ARRAY, QUEUED

if TYPE_CHECKING:
    from .commands.registry import Command
    from .keyspace import Database
    from .net.client import Client
    from .server import Server

# Commands processCommand runs at once even inside MULTI instead of queueing.
RUN_INSIDE_MULTI = frozenset(("exec", "discard", "multi", "watch", "quit", "reset"))

# sizeof(robj*): each queued argument's pointer counts in multi-mem (argv_len_sums).
POINTER_SIZE = 8


class MultiState:
    """``client->mstate``: the queued commands and what CLIENT LIST reports about them."""

    __slots__ = ("commands", "argv_len_sums", "dirty_exec", "may_replicate", "denyoom")

    def __init__(self) -> None:
        self.commands: list[tuple[Command, list[bytes]]] = []
        self.argv_len_sums = 0  # CLIENT LIST multi-mem
        self.dirty_exec = False  # CLIENT_DIRTY_EXEC: EXEC will answer EXECABORT
        self.may_replicate = False  # a queued write: CLIENT PAUSE WRITE holds the EXEC
        self.denyoom = False  # a queued denyoom command: over maxmemory, EXEC gets OOM


class WatchedKey:
    """``watchedKey``: one key one client watches, in the client's list and the server's map."""

    __slots__ = ("client", "dbid", "key", "expired")

    def __init__(self, client: Client, dbid: int, key: bytes, expired: bool) -> None:
        self.client = client
        self.dbid = dbid
        self.key = key
        self.expired = expired  # already logically expired when WATCHed


# -- queueing (the MULTI branch of processCommand) -------------------------------------


def queue_or_run(server: Server, c: Client, cmd: Command, argv: list[bytes]) -> None:
    """A command from a client in MULTI: reject it, run it (EXEC, DISCARD...), or queue it."""
    c.last_cmd = cmd
    if "no_multi" in cmd.spec.flags:
        # Redis checks this just after authentication; we check it here, after
        # the Pub/Sub-context and pause checks, so that a client outside MULTI
        # pays nothing for it. Only an already-paused client could tell.
        server.reject(c, cmd, CommandError(errors.NO_MULTI))
        return
    if cmd.fullname in RUN_INSIDE_MULTI:
        server.call(c, cmd, argv)
        return
    ms = c.mstate
    # queueMultiCommand: a transaction that will not run keeps nothing more.
    if not (ms.dirty_exec or c.dirty_cas):
        ms.commands.append((cmd, argv))
        ms.argv_len_sums += sum(map(len, argv)) + POINTER_SIZE * len(argv)
        if cmd.may_pause:
            ms.may_replicate = True
        if cmd.denyoom:
            ms.denyoom = True
    c.add_reply(QUEUED)


def flag_transaction(c: Client) -> None:
    """``flagTransaction``: a rejected command makes the next EXEC fail with EXECABORT."""
    if c.mstate is not None:
        c.mstate.dirty_exec = True


def exec_is_write(c: Client, cmd: Command) -> bool:
    """EXEC counts as a write for CLIENT PAUSE WRITE when it would run a write."""
    return c.mstate is not None and cmd.fullname == "exec" and c.mstate.may_replicate


def discard_transaction(c: Client) -> None:
    """``discardTransaction``: leave MULTI, forget the queue and the dirty flags, unwatch."""
    c.mstate = None
    c.dirty_cas = False
    unwatch_all_keys(c)


# -- MULTI, EXEC, DISCARD ------------------------------------------------------------------


def multi(c: Client) -> None:
    if c.mstate is not None:
        raise CommandError(errors.MULTI_NESTED)
    c.mstate = MultiState()


def discard(c: Client) -> None:
    if c.mstate is None:
        raise CommandError(errors.DISCARD_WITHOUT_MULTI)
    discard_transaction(c)


def exec_(c: Client, exec_cmd: Command) -> object:
    """``execCommand``: run the queue, writing an array of replies; or a null array / EXECABORT.

    Returns what the dispatcher should reply: ``NO_REPLY`` after running (the
    array is written piece by piece, each command's reply by its own
    :meth:`Server.call`), a null array when a watched key changed.
    """
    from .server import NO_REPLY

    ms = c.mstate
    if ms is None:
        raise CommandError(errors.EXEC_WITHOUT_MULTI)
    if c.watched and is_watched_key_expired(c):
        c.dirty_cas = True
    if ms.dirty_exec or c.dirty_cas:
        aborted = ms.dirty_exec
        discard_transaction(c)
        if aborted:
            raise CommandError(errors.EXECABORT)
        return NULL_ARRAY

    server = c.server
    # Blocking commands answer as if their timeout expired (CLIENT_DENY_BLOCKING).
    old_deny = c.deny_blocking
    c.deny_blocking = True
    unwatch_all_keys(c)  # nothing can touch them now; stop paying for them
    server.in_exec = True
    if not c.mute:
        c.out.append(b"*%d\r\n" % len(ms.commands))
    try:
        for cmd, argv in ms.commands:
            server.call(c, cmd, argv)
    finally:
        server.in_exec = False
        c.deny_blocking = old_deny
        server.current_client = c
        c.cmd = exec_cmd
        discard_transaction(c)
    return NO_REPLY


# -- WATCH -----------------------------------------------------------------------------------


def watch(c: Client, keys: list[bytes]) -> None:
    """``watchCommand``: WATCH inside MULTI is an error; a dirty client need not watch more."""
    if c.mstate is not None:
        raise CommandError(errors.WATCH_INSIDE_MULTI)
    if c.dirty_cas:
        return
    for key in keys:
        watch_for_key(c, key)


def watch_for_key(c: Client, key: bytes) -> None:
    db = c.db
    dbid = db.id
    for wk in c.watched:
        if wk.dbid == dbid and wk.key == key:
            return  # already watched
    wk = WatchedKey(c, dbid, key, db.dict.find(key) is not None and db.is_expired(key))
    c.server.watched_keys.setdefault((dbid, key), []).append(wk)
    c.watched.append(wk)


def unwatch_all_keys(c: Client) -> None:
    """``unwatchAllKeys``: leave the server's map; clearing dirty_cas is up to the caller."""
    if not c.watched:
        return
    watched_keys = c.server.watched_keys
    for wk in c.watched:
        k = (wk.dbid, wk.key)
        records = watched_keys.get(k)
        if records is not None:
            records.remove(wk)
            if not records:
                del watched_keys[k]
    c.watched = []


def unwatch(c: Client) -> None:
    unwatch_all_keys(c)
    c.dirty_cas = False


def is_watched_key_expired(c: Client) -> bool:
    """``isWatchedKeyExpired``: a watched key expired since WATCH (even if nobody read it)."""
    dbs = c.server.dbs
    for wk in c.watched:
        if not wk.expired and dbs[wk.dbid].is_expired(wk.key):
            return True
    return False


def touch_watched_key(server: Server, db: Database, key: bytes) -> None:
    """``touchWatchedKey``: mark every client watching ``key`` dirty (and unwatch it)."""
    records = server.watched_keys.get((db.id, key))
    if not records:
        return
    for wk in list(records):
        if wk.expired:
            if db.dict.find(key) is None:
                # An already-expired key was deleted: logically nothing changed.
                wk.expired = False
                continue
        c = wk.client
        c.dirty_cas = True
        unwatch_all_keys(c)


def touch_all_watched_keys_in_db(
    server: Server, emptied: Database, replaced_with: Database | None
) -> None:
    """``touchAllWatchedKeysInDb``: FLUSHDB / FLUSHALL (replaced_with None) and SWAPDB.

    Called before the contents change: a watcher is dirty if its key exists
    now, or exists in the database about to take this one's place.
    """
    dbid = emptied.id
    for (kdb, key), records in list(server.watched_keys.items()):
        if kdb != dbid:
            continue
        exists_in_emptied = emptied.dict.find(key) is not None
        exists_in_replacement = (
            replaced_with is not None and replaced_with.dict.find(key) is not None
        )
        if not (exists_in_emptied or exists_in_replacement):
            continue
        for wk in list(records):
            if wk.expired:
                if not exists_in_replacement:
                    wk.expired = False  # the expired key is deleted: no logical change
                    continue
                if replaced_with.is_expired(key):  # type: ignore[union-attr]
                    continue  # an expired key replaced by an expired key
            elif not exists_in_emptied and replaced_with.is_expired(key):  # type: ignore[union-attr]
                wk.expired = True  # a missing key replaced by an expired one
                continue
            # Redis does not unwatch here (it iterates the very lists it would free).
            wk.client.dirty_cas = True


def forget_client(c: Client) -> None:
    """freeClient: a disconnecting client leaves every watch queue."""
    c.mstate = None
    unwatch_all_keys(c)
