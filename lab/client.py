"""The lab's connection to a server, and the introspection API on top of it.

Shared by the TUI, the notebooks and scripts. Two ways to get a server:

* :class:`EmbeddedServer` starts the reference server as a **child process**
  (``python -m server`` on a free loopback port, persistence off) and makes
  sure it dies with us: on :meth:`~EmbeddedServer.stop`, at interpreter exit,
  and — on Linux — even when we are killed, through ``PR_SET_PDEATHSIG``;
* :meth:`LabClient.from_url` attaches to any server
  (``redis://[user:pass@]host:port/db``): ours, a real Redis or Valkey.

:class:`LabClient` speaks RESP through :mod:`lab.repl.resp` (blocking, one
socket, guarded by a lock so a UI can share it between worker threads) and
never imports ``server/`` (DESIGN principle 3). Every command a lab
connection sends is tallied in a :class:`LabTraffic` shared by the
connections cloned from one another, so the Dashboard can take the lab's own
traffic out of the server's counters. Its typed calls
(:meth:`~LabClient.inspect`, :meth:`~LabClient.keyspace`,
:meth:`~LabClient.events`, :meth:`~LabClient.clock`,
:meth:`~LabClient.memory`) return plain dicts in the shapes of
``docs/lab-command.md``. On a server without ``LAB`` they fall back to what
Redis does show — ``OBJECT ENCODING``, ``MEMORY USAGE``, ``PTTL``, ``INFO`` —
and to the bytes inside ``DUMP`` payloads (listpacks, intsets, quicklist
nodes are real there), and put a plain ``"not_visible"`` sentence in the
reply for what stays hidden.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lab.repl.resp import BigNumber, Connection, Double, Error, Map, Push, Verbatim

__all__ = [
    "EmbeddedServer",
    "LabClient",
    "LabError",
    "LabTraffic",
    "ServerAddress",
    "Traffic",
    "decode_dump",
    "decode_intset",
    "decode_listpack",
    "lzf_decompress",
    "parse_url",
    "plain",
]

EVENTS_CHANNEL = "__lab__:events"

# Lab connections that carry the learner's own commands: what goes through
# execute() and pipeline() on them is the learner's, not the lab's (their
# handshake and the typed introspection calls still are the lab's).
LEARNER_CONNECTIONS = frozenset({"redis-lab:console", "redis-lab:fill"})


class LabError(Exception):
    """An error reply to one of the lab's own calls."""


# -- addresses ------------------------------------------------------------------------------


@dataclass
class ServerAddress:
    host: str = "127.0.0.1"
    port: int = 6379
    db: int = 0
    username: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        auth = ""
        if self.password is not None:
            auth = f"{self.username or ''}:***@"
        return f"redis://{auth}{self.host}:{self.port}/{self.db}"


def parse_url(url: str) -> ServerAddress:
    """``redis://[user:password@]host[:port][/db]`` (also ``host:port``)."""
    if "://" not in url:
        url = "redis://" + url
    parsed = urlparse(url)
    if parsed.scheme not in ("redis",):
        raise ValueError(f"unsupported URL scheme in {url!r} (use redis://host:port/db)")
    db = parsed.path.lstrip("/")
    return ServerAddress(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 6379,
        db=int(db) if db else 0,
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password is not None else None,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the embedded server --------------------------------------------------------------------


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """In the child, before exec: get SIGTERM when the parent dies (Linux only)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class EmbeddedServer:
    """The reference server as a child process on a free loopback port.

    The child gets its own process group (so a Ctrl-C typed in the TUI's
    terminal reaches us, not it: we decide when it stops) and is stopped with
    SIGTERM, then SIGKILL after ``grace`` seconds.
    """

    def __init__(self, extra_args: list[str] | tuple[str, ...] = (), port: int = 0) -> None:
        self.extra_args = list(extra_args)
        self.port = port
        self.proc: subprocess.Popen | None = None
        self.workdir = ""

    @property
    def address(self) -> ServerAddress:
        return ServerAddress("127.0.0.1", self.port)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def argv(self) -> list[str]:
        return [
            sys.executable, "-m", "server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            *self.extra_args,
        ]  # fmt: skip

    def start(self, timeout: float = 20.0) -> EmbeddedServer:
        """Spawn the server and wait until it answers PING."""
        self.spawn()
        return self.wait_ready(timeout)

    def spawn(self) -> EmbeddedServer:
        """Start the child process (fast; call it from the main thread)."""
        if not self.port:
            self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="redis-lab-")
        env = dict(os.environ)
        root = Path(__file__).resolve().parent.parent  # a source checkout: server/ beside lab/
        if (root / "server" / "__main__.py").exists():
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
        log = open(Path(self.workdir, "server.log"), "wb")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            self.argv(),
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        log.close()
        atexit.register(self.stop)
        return self

    def wait_ready(self, timeout: float = 20.0) -> EmbeddedServer:
        """Wait until the server answers (any thread)."""
        proc = self.proc
        if proc is None:
            raise RuntimeError("the lab server was not started")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                text = self.log()
                self.stop()
                raise RuntimeError(f"the lab server exited early:\n{text}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the lab server did not start on port {self.port}")

    def log(self) -> str:
        try:
            return Path(self.workdir, "server.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(grace)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(grace)
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = ""
        atexit.unregister(self.stop)

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- replies as plain Python ----------------------------------------------------------------

_BINARY_FIELDS = {"raw"}


def plain(value, field: str | None = None):
    """A typed reply as plain Python for the introspection shapes.

    Maps become dicts with ``str`` keys; bulk strings become ``str`` when they
    are UTF-8 (keys, members) and stay ``bytes`` otherwise — and always for
    the ``raw`` fields, which are byte layouts.
    """
    if isinstance(value, Error):
        return value
    if isinstance(value, Double):
        return value.value
    if isinstance(value, BigNumber):
        return int(value)
    if isinstance(value, bytes) and not isinstance(value, Verbatim):
        if field in _BINARY_FIELDS:
            return bytes(value)
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return bytes(value)
    if isinstance(value, Verbatim):
        return value.decode("utf-8", "replace")
    if isinstance(value, Map):
        out = {}
        for k, v in value:
            name = k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k)
            out[name] = plain(v, name)
        return out
    if isinstance(value, list):
        return [plain(v, field) for v in value]
    return value


def parse_info(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


# -- the lab's own traffic ------------------------------------------------------------------
#
# Redis 7.0 counts a command in INFO's total_commands_processed when call() runs
# it: a pipeline of N counts N, SUBSCRIBE counts, an error raised by the command
# itself counts (WRONGTYPE, "not an integer", OBJECT FREQ without an LFU policy,
# NOPROTO), but a command processCommand() rejects before call() does not: an
# unknown command or subcommand, a wrong number of arguments, NOAUTH, NOPERM,
# OOM, LOADING, BUSY, a protected command not allowed (DEBUG), a command not
# allowed in the RESP2 subscribed context. (An arity error a command finds
# itself, HSET with an odd count, is counted; its text is processCommand's, so
# it is taken as rejected here: the lab never sends one.)
#
# keyspace_hits/misses move once per key lookup: TYPE, OBJECT <sub>, TTL/PTTL,
# DUMP, EXISTS, GET, the length commands and SCAN ... TYPE (once per key it
# looks at, which its reply does not tell: the lab filters by type itself)
# count; SCAN, MEMORY USAGE, INFO, CLIENT LIST, CONFIG GET and LAB (ours) do
# not. Checked on redis-server 7.0.15 and on ours (tests/tui/test_dashboard.py).

_REJECTED_CODES = frozenset(
    "NOAUTH NOPERM OOM LOADING BUSY MASTERDOWN MISCONF READONLY NOREPLICAS "
    "MOVED ASK CROSSSLOT CLUSTERDOWN TRYAGAIN".split()
)
_REJECTED_ERR = (
    "ERR unknown command",
    "ERR unknown subcommand",
    "ERR wrong number of arguments",
    "ERR Can't execute",
)
_OBJECT_LOOKUPS = frozenset({b"ENCODING", b"IDLETIME", b"FREQ", b"REFCOUNT"})
_TTL_LOOKUPS = frozenset({b"TTL", b"PTTL", b"EXPIRETIME", b"PEXPIRETIME"})
_NIL_LOOKUPS = frozenset({b"DUMP", b"GET"})
# 0 for a missing key; a list, hash, set or zset that exists is never empty. STRLEN's
# 0 could be an empty string too: counted as a miss (the lab does not send it).
_LEN_LOOKUPS = frozenset({b"LLEN", b"HLEN", b"SCARD", b"ZCARD", b"STRLEN"})
_LOST = object()  # the reply of a command whose connection failed: sent, so maybe run


def _word(value) -> bytes:
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogateescape")
    elif not isinstance(value, bytes):
        value = str(value).encode()
    return value.upper()


def rejected(reply) -> bool:
    """Whether an error reply is one Redis gives before running the command."""
    if not isinstance(reply, Error):
        return False
    text = reply.decode("utf-8", "replace")
    code = text.split(" ", 1)[0]
    return (
        code in _REJECTED_CODES
        or text.startswith(_REJECTED_ERR)
        or (code == "ERR" and "command not allowed. If the" in text)
    )


def server_counts(args, reply) -> tuple[int, int, int]:
    """(commands, keyspace hits, keyspace misses) one command adds to INFO, by its reply."""
    if reply is _LOST:
        return 1, 0, 0
    if rejected(reply):
        return 0, 0, 0
    name = _word(args[0]) if args else b""
    is_err = isinstance(reply, Error)  # a command that failed after its lookup (WRONGTYPE ...)
    if name == b"TYPE":
        miss = not is_err and _word(reply) == b"NONE"
    elif name == b"OBJECT" and len(args) > 2 and _word(args[1]) in _OBJECT_LOOKUPS:
        miss = reply is None
    elif name in _TTL_LOOKUPS:
        miss = reply == -2
    elif name in _NIL_LOOKUPS:
        miss = reply is None
    elif name in _LEN_LOOKUPS:
        miss = reply == 0
    elif name == b"EXISTS" and isinstance(reply, int):
        return 1, reply, len(args) - 1 - reply
    else:
        return 1, 0, 0
    return (1, 0, 1) if miss else (1, 1, 0)


@dataclass(frozen=True)
class Traffic:
    """The lab's own commands so far, as the server counts them."""

    commands: int = 0
    hits: int = 0
    misses: int = 0
    by_name: dict[str, int] = field(default_factory=dict)  # commands per connection name


class LabTraffic:
    """A thread-safe tally of what this process's lab connections sent.

    Every lab connection (:class:`LabClient` and its clones) reports each
    command it sends, with its reply, to the tally it shares. :meth:`quiet`
    lets a poller read the server's counters at an instant when none of the
    lab's commands is in flight: it waits for the ones already sent to be
    answered and holds new ones back until its own block ends, so the tally it
    returns lines up exactly with the INFO read inside the block.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = 0
        self._owner: int | None = None
        self.commands = 0
        self.hits = 0
        self.misses = 0
        self.by_name: dict[str, int] = {}

    def snapshot(self) -> Traffic:
        with self._cond:
            return self._tally()

    def _tally(self) -> Traffic:  # with self._cond held
        return Traffic(self.commands, self.hits, self.misses, dict(self.by_name))

    @contextmanager
    def sending(self, name: str) -> Iterator[list]:
        """Around one command or pipeline: append ``(args, reply)`` pairs to the list."""
        me = threading.get_ident()
        with self._cond:
            while self._owner is not None and self._owner != me:
                self._cond.wait()
            self._busy += 1
        done: list = []
        try:
            yield done
        finally:
            with self._cond:
                self._busy -= 1
                for args, reply in done:
                    n, hits, misses = server_counts(args, reply)
                    self.commands += n
                    self.hits += hits
                    self.misses += misses
                    if n:
                        self.by_name[name] = self.by_name.get(name, 0) + n
                self._cond.notify_all()

    @contextmanager
    def quiet(self, timeout: float = 2.0) -> Iterator[Traffic | None]:
        """No other lab command in flight inside the block; the tally at its start.

        Yields None when the lab's commands already in flight were not all
        answered within ``timeout`` (the tally would not line up). Inside the
        block, use only the connection of the thread that entered it.
        """
        me = threading.get_ident()
        with self._cond:
            while self._owner is not None:
                self._cond.wait()
            self._owner = me
            clean = self._cond.wait_for(lambda: self._busy == 0, timeout)
            snap = self._tally()
        try:
            yield snap if clean else None
        finally:
            with self._cond:
                self._owner = None
                self._cond.notify_all()


class _CountedConnection(Connection):
    """A :class:`Connection` that reports each command it sends to a :class:`LabTraffic`."""

    def __init__(self, *args, traffic: LabTraffic, name: str, **kw) -> None:
        super().__init__(*args, **kw)
        self.traffic = traffic
        self.name = name

    def execute(self, *args):
        with self.traffic.sending(self.name) as done:
            try:
                reply = super().execute(*args)
            except BaseException:
                done.append((args, _LOST))
                raise
            done.append((args, reply))
        return reply

    def pipeline(self, commands: list[tuple]) -> list:
        with self.traffic.sending(self.name) as done:
            try:
                replies = super().pipeline(commands)
            except BaseException:
                done.extend((c, _LOST) for c in commands)
                raise
            done.extend(zip(commands, replies, strict=True))
        return replies

    def execute_uncounted(self, *args):
        return Connection.execute(self, *args)

    def pipeline_uncounted(self, commands: list[tuple]) -> list:
        return Connection.pipeline(self, commands)


# -- the client ------------------------------------------------------------------------------


class LabClient:
    """One RESP3 (or RESP2) connection plus the lab's introspection calls.

    Everything it sends is tallied in :attr:`traffic` (a :class:`LabTraffic`
    shared with its clones), except what a *learner* connection sends through
    :meth:`execute` and :meth:`pipeline`: those are the learner's commands
    (the console's, the eviction screen's fill). ``learner`` defaults to
    whether ``name`` is one of :data:`LEARNER_CONNECTIONS`.
    """

    def __init__(
        self,
        address: ServerAddress,
        name: str | None = None,
        timeout=10.0,
        *,
        traffic: LabTraffic | None = None,
        learner: bool | None = None,
    ) -> None:
        self.address = address
        self.name = name
        self.timeout = timeout
        self.conn: Connection | None = None
        self.lock = threading.RLock()
        self.has_lab = False
        self.resp3 = False
        self.server_name = "redis"
        self.version = ""
        self.traffic = traffic if traffic is not None else LabTraffic()
        self.learner = name in LEARNER_CONNECTIONS if learner is None else learner

    @classmethod
    def from_url(cls, url: str, name: str | None = None) -> LabClient:
        return cls(parse_url(url), name).connect()

    def clone(self, name: str | None = None, learner: bool | None = None) -> LabClient:
        """Another connection to the same server (the poller, the subscriber ...),
        tallied in the same :attr:`traffic`."""
        return LabClient(
            self.address, name, self.timeout, traffic=self.traffic, learner=learner
        ).connect()

    def connect(self) -> LabClient:
        a = self.address
        conn = _CountedConnection(
            a.host, a.port, timeout=self.timeout, traffic=self.traffic, name=self.name or ""
        ).connect()
        hello = ["HELLO", "3"]
        if a.password is not None:
            hello += ["AUTH", a.username or "default", a.password]
        reply = conn.execute(*hello)
        if isinstance(reply, Error):
            if a.password is not None:  # old server without HELLO: plain AUTH
                auth = ("AUTH", a.username, a.password) if a.username else ("AUTH", a.password)
                reply = conn.execute(*auth)
                if isinstance(reply, Error):
                    conn.close()
                    raise LabError(reply.text)
        else:
            self.resp3 = True
            conn.protocol = 3
            info = plain(reply) if isinstance(reply, Map) else {}
            self.server_name = str(info.get("server", "redis"))
            self.version = str(info.get("version", ""))
        if a.db:
            reply = conn.execute("SELECT", a.db)
            if isinstance(reply, Error):
                conn.close()
                raise LabError(reply.text)
        if self.name:
            conn.execute("CLIENT", "SETNAME", self.name)
        self.conn = conn
        probe = conn.execute("COMMAND", "INFO", "LAB")
        self.has_lab = isinstance(probe, list) and bool(probe) and probe[0] is not None
        if self.has_lab:
            self.server_name = "redis-lab"
        return self

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self.conn.close()
                self.conn = None

    @property
    def description(self) -> str:
        what = f"{self.server_name} {self.version}".strip()
        return f"{what} at {self.address.host}:{self.address.port}/{self.address.db}"

    # -- raw calls --

    def _connected(self) -> _CountedConnection:
        if self.conn is None:
            self.connect()
        assert isinstance(self.conn, _CountedConnection)
        return self.conn

    def execute(self, *args):
        """Send one command; the typed reply (errors returned, not raised).

        On a learner connection the command is the learner's: not tallied."""
        with self.lock:
            conn = self._connected()
            return conn.execute_uncounted(*args) if self.learner else conn.execute(*args)

    def _execute(self, *args):
        """Send one of the lab's own commands (tallied on every connection)."""
        with self.lock:
            return self._connected().execute(*args)

    def call(self, *args):
        """One of the lab's commands; its reply as plain Python, an error raised as LabError."""
        reply = self._execute(*args)
        if isinstance(reply, Error):
            raise LabError(reply.text)
        return plain(reply)

    def pipeline(self, commands: list[tuple]) -> list:
        """Several commands in one write (the learner's on a learner connection)."""
        with self.lock:
            conn = self._connected()
            replies = conn.pipeline_uncounted(commands) if self.learner else conn.pipeline(commands)
            return [plain(r) for r in replies]

    def _pipeline(self, commands: list[tuple]) -> list:
        with self.lock:
            return [plain(r) for r in self._connected().pipeline(commands)]

    def info(self, section: str | None = None) -> dict[str, str]:
        reply = self.call("INFO", section) if section else self.call("INFO")
        return parse_info(reply if isinstance(reply, str) else str(reply))

    def info_and_traffic(
        self, section: str | None = None, timeout: float = 2.0
    ) -> tuple[dict[str, str], Traffic | None]:
        """INFO, and the lab's own traffic the server had counted when it ran INFO.

        The tally covers every command of this process's lab connections sent
        before the INFO (not the INFO itself, which the server counts after
        replying): none is in flight while it runs (:meth:`LabTraffic.quiet`).
        None instead of the tally when they did not quiet down within
        ``timeout`` seconds.
        """
        with self.lock, self.traffic.quiet(timeout) as before:
            return self.info(section), before

    def client_id(self) -> int:
        return int(self.call("CLIENT", "ID"))

    # -- LAB --

    def inspect(
        self, key: str | bytes, window: tuple[int, int] | None = None, path: str | None = None
    ) -> dict | None:
        """``LAB INSPECT``; on other servers the same shape from OBJECT/MEMORY/DUMP."""
        if not self.has_lab:
            return self.inspect_fallback(key)
        args: list = ["LAB", "INSPECT", key]
        if window is not None:
            args += ["WINDOW", window[0], window[1]]
        if path is not None:
            args += ["PATH", path]
        reply = self.call(*args)
        if isinstance(reply, list):  # RESP2: flat pairs
            reply = _pairs(reply)
        return reply

    def keyspace(self, db: int | None = None) -> dict:
        if not self.has_lab:
            return self._keyspace_fallback(db)
        return self.call("LAB", "KEYSPACE", *([] if db is None else [db]))

    def events(self, since: int = 0, count: int = 100) -> dict:
        if not self.has_lab:
            return {"last_id": since, "events": [], "not_visible": NO_EVENTS}
        return self.call("LAB", "EVENTS", "SINCE", since, "COUNT", count)

    def newest_event_id(self) -> int:
        if not self.has_lab:
            return 0
        reply = self.events(2**62, 1)
        return int(reply.get("newest_id", reply.get("last_id", 0)))

    def clock(self, action: str = "GET", ms: int | None = None) -> dict:
        if not self.has_lab:
            now = int(time.time() * 1000)
            return {"now_ms": now, "frozen": 0, "offset_ms": 0, "not_visible": NO_CLOCK}
        args = ["LAB", "CLOCK", action] + ([ms] if ms is not None else [])
        reply = self.call(*args)
        return reply if isinstance(reply, dict) else self.clock("GET")

    def memory(self) -> dict:
        """``LAB MEMORY`` when the server has it; otherwise INFO memory + CONFIG."""
        if self.has_lab:
            try:
                reply = self.call("LAB", "MEMORY")
                if isinstance(reply, dict):
                    return reply
            except LabError:
                pass
        info = self.info("memory")
        policy = self._config("maxmemory-policy") or info.get("maxmemory_policy", "")
        out = {
            "used_memory": int(info.get("used_memory", 0)),
            "maxmemory": int(self._config("maxmemory") or info.get("maxmemory", 0) or 0),
            "maxmemory_policy": policy,
            "maxmemory_samples": int(self._config("maxmemory-samples") or 5),
            "not_visible": "the eviction pool lives inside the server: only redis-lab's "
            "LAB MEMORY shows it",
        }
        stats = self.info("stats")
        out["evicted_keys"] = int(stats.get("evicted_keys", 0))
        return out

    def _config(self, name: str) -> str | None:
        try:
            reply = self.call("CONFIG", "GET", name)
        except LabError:
            return None
        if isinstance(reply, dict):
            return str(reply.get(name)) if name in reply else None
        if isinstance(reply, list) and len(reply) >= 2:
            return str(reply[1])
        return None

    config_get = _config

    # -- the keyspace --

    def scan(self, cursor: int = 0, match: str | None = None, count: int = 100, type_=None):
        """One SCAN step: (next cursor, keys), of one type when ``type_`` is given.

        The type is filtered here, with a TYPE per key, rather than by SCAN's
        TYPE option: that one is a keyspace lookup per key it looks at, which
        its reply does not tell, so the lab's own hits could not be taken out
        of the Dashboard's hit ratio.
        """
        args: list = ["SCAN", cursor]
        if match:
            args += ["MATCH", match]
        args += ["COUNT", count]
        reply = self.call(*args)
        keys = list(reply[1])
        if type_ and keys:
            types = self._pipeline([("TYPE", k) for k in keys])
            wanted = str(type_).lower()
            keys = [k for k, t in zip(keys, types, strict=True) if t == wanted]
        return int(reply[0]), keys

    def describe_keys(self, keys: list) -> list[dict]:
        """Type, encoding, TTL and modelled size of many keys, in one round trip."""
        commands = []
        for key in keys:
            commands += [
                ("TYPE", key),
                ("OBJECT", "ENCODING", key),
                ("PTTL", key),
                ("MEMORY", "USAGE", key),
            ]
        replies = self._pipeline(commands)
        out = []
        for i, key in enumerate(keys):
            t, enc, pttl, mem = replies[4 * i : 4 * i + 4]
            out.append(
                {
                    "key": key,
                    "type": t if isinstance(t, str) else "?",
                    "encoding": enc if isinstance(enc, str) else "?",
                    "ttl_ms": pttl if isinstance(pttl, int) else -1,
                    "memory": mem if isinstance(mem, int) else None,
                }
            )
        return out

    # -- fallbacks for servers without LAB --

    def inspect_fallback(self, key) -> dict | None:
        replies = self._pipeline(
            [
                ("TYPE", key),
                ("OBJECT", "ENCODING", key),
                ("PTTL", key),
                ("MEMORY", "USAGE", key),
                ("OBJECT", "IDLETIME", key),
                ("OBJECT", "FREQ", key),
                ("DUMP", key),
            ]
        )
        t, enc, pttl, mem, idle, freq, payload = replies
        if t == "none":
            return None
        out: dict = {
            "key": key if isinstance(key, str) else key.decode("utf-8", "replace"),
            "db": self.address.db,
            "type": t,
            "encoding": enc if isinstance(enc, str) else "?",
            "ttl_ms": pttl if isinstance(pttl, int) else -1,
            "memory": mem if isinstance(mem, int) else None,
            "source": "fallback",
        }
        if isinstance(idle, int):
            out["idle_seconds"] = idle
        if isinstance(freq, int):
            out["lfu_freq"] = freq
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        layout: dict
        try:
            layout = decode_dump(payload) if isinstance(payload, bytes) else {}
        except ValueError as exc:
            layout = {"not_visible": f"the DUMP payload could not be decoded: {exc}"}
        # A string's length is in its DUMP payload; not STRLEN, whose 0 would not
        # say whether it was a keyspace hit or a miss (the Dashboard tallies them).
        length_cmd = {"list": "LLEN", "set": "SCARD", "zset": "ZCARD", "hash": "HLEN"}
        if t == "string":
            out["length"] = layout.get("bytes")
        elif t in length_cmd:
            length = self._execute(length_cmd[t], key)
            out["length"] = length if isinstance(length, int) else None
        if t == "string" and "value_preview" not in layout:
            layout.setdefault("encoding", out["encoding"])
        if t == "hash" and layout.get("entries"):
            for i, entry in enumerate(layout["entries"]):
                entry["role"] = "field" if i % 2 == 0 else "value"
            layout["fields"] = len(layout["entries"]) // 2
        if out["encoding"] in ("hashtable", "skiplist"):
            layout.update(
                not_visible="this server has no LAB command: hashtable buckets, rehashing and skiplist "
                "towers live only in its memory (DUMP carries just the elements)",
            )
        layout.setdefault(
            "not_visible_always",
            "no LAB command: no events, no LRU clock stamp, memory is MEMORY USAGE's estimate",
        )
        out["layout"] = layout
        return out

    def _keyspace_fallback(self, db: int | None) -> dict:
        info = self.info("keyspace")
        db = self.address.db if db is None else db
        fields = dict(
            part.split("=", 1) for part in info.get(f"db{db}", "").split(",") if "=" in part
        )
        return {
            "db": db,
            "keys": int(fields.get("keys", 0)),
            "expires": int(fields.get("expires", 0)),
            "avg_ttl": int(fields.get("avg_ttl", 0)),
            "not_visible": "this server has no LAB command: dict sizes and rehashing are hidden",
        }

    # -- events --

    def subscribe_events(self) -> None:
        """Turn this connection into an ``__lab__:events`` subscriber."""
        with self.lock:
            # Through execute, which reads the confirmation: the SUBSCRIBE is
            # tallied and answered before this returns.
            self._connected().execute("SUBSCRIBE", EVENTS_CHANNEL)

    def read_event(self, timeout: float = 0.5) -> dict | None:
        """The next published event (a dict), or None when nothing came in time."""
        import json

        from lab.repl.resp import NEED_MORE

        assert self.conn is not None
        reply = self.conn.read(timeout)
        if reply is NEED_MORE or not isinstance(reply, list):
            return None
        items = list(reply)
        if isinstance(reply, Push) or len(items) == 3:
            kind = items[0].decode() if isinstance(items[0], bytes) else str(items[0])
            if kind == "message" and isinstance(items[2], bytes):
                try:
                    return json.loads(items[2])
                except ValueError:
                    return None
        return None


def client_fields(line: str) -> dict[str, str]:
    """One ``CLIENT LIST`` (or ``CLIENT INFO``) line as a dict; ``name`` is '' when unset."""
    fields: dict[str, str] = {}
    for part in line.split():
        k, sep, v = part.partition("=")
        if sep:
            fields[k] = v
    fields.setdefault("name", "")
    return fields


def parse_client_list(text: str) -> list[dict[str, str]]:
    """``CLIENT LIST`` as one dict per connection."""
    return [f for f in map(client_fields, text.splitlines()) if "id" in f]


def info_numbers(info: dict[str, str]) -> dict[str, float]:
    """The numeric fields of an ``INFO`` reply (as a dict of strings), as floats."""
    out = {}
    for k, v in info.items():
        try:
            out[k] = float(v)
        except ValueError:
            pass
    return out


NO_EVENTS = (
    "this server has no LAB command: its internal events (conversions, rehashing, "
    "expiry, eviction) are not visible"
)
NO_CLOCK = "this server has no LAB clock: time runs at its own pace"


def _pairs(items: list) -> dict:
    out = {}
    for k, v in zip(items[0::2], items[1::2], strict=False):
        out[str(k)] = _pairs(v) if isinstance(v, list) and k in ("layout", "path", "dict") else v
    return out


# -- DUMP payloads ---------------------------------------------------------------------------

RDB_TYPE_STRING = 0
RDB_TYPE_SET_INTSET = 11
RDB_TYPE_HASH_LISTPACK = 16
RDB_TYPE_ZSET_LISTPACK = 17
RDB_TYPE_LIST_QUICKLIST_2 = 18
RDB_ENC_INT8, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_LZF = 0, 1, 2, 3
QUICKLIST_NODE_CONTAINER_PLAIN = 1
QUICKLIST_NODE_CONTAINER_PACKED = 2


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError("truncated payload")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def length(self) -> tuple[int, bool]:
        """(length, is_special_encoding) as ``rdbLoadLenByRef`` reads it."""
        first = self.take(1)[0]
        kind = first >> 6
        if kind == 0:
            return first & 0x3F, False
        if kind == 1:
            return ((first & 0x3F) << 8) | self.take(1)[0], False
        if kind == 3:
            return first & 0x3F, True
        if first == 0x80:
            return struct.unpack(">I", self.take(4))[0], False
        if first == 0x81:
            return struct.unpack(">Q", self.take(8))[0], False
        raise ValueError(f"bad length byte {first:#x}")

    def string(self) -> tuple[bytes, str]:
        """(bytes, how it was stored): ``raw``, ``int8/16/32`` or ``lzf``."""
        n, special = self.length()
        if not special:
            return self.take(n), "raw"
        if n == RDB_ENC_INT8:
            return str(struct.unpack("<b", self.take(1))[0]).encode(), "int8"
        if n == RDB_ENC_INT16:
            return str(struct.unpack("<h", self.take(2))[0]).encode(), "int16"
        if n == RDB_ENC_INT32:
            return str(struct.unpack("<i", self.take(4))[0]).encode(), "int32"
        if n == RDB_ENC_LZF:
            clen, _ = self.length()
            ulen, _ = self.length()
            return lzf_decompress(self.take(clen), ulen), "lzf"
        raise ValueError(f"unknown string encoding {n}")


def lzf_decompress(data: bytes, expected: int) -> bytes:
    """LZF (liblzf's ``lzf_decompress``): literal runs and back references."""
    out = bytearray()
    i = 0
    while i < len(data):
        ctrl = data[i]
        i += 1
        if ctrl < 32:  # a literal run of ctrl + 1 bytes
            out += data[i : i + ctrl + 1]
            i += ctrl + 1
            continue
        length = ctrl >> 5
        if length == 7:
            length += data[i]
            i += 1
        ref = len(out) - ((ctrl & 0x1F) << 8) - data[i] - 1
        i += 1
        if ref < 0:
            raise ValueError("LZF back reference before the start")
        for _ in range(length + 2):  # byte by byte: references may overlap
            out.append(out[ref])
            ref += 1
    if len(out) != expected:
        raise ValueError(f"LZF gave {len(out)} bytes, expected {expected}")
    return bytes(out)


def decode_dump(payload: bytes) -> dict:
    """The layout inside a DUMP payload, as far as its bytes show it.

    Layout: type byte, object body, RDB version (u16 LE), CRC64 (u64 LE).
    The CRC is not checked here: the server produced it, and we only read.
    """
    if len(payload) < 11:
        raise ValueError("too short for a DUMP payload")
    version = struct.unpack("<H", payload[-10:-8])[0]
    body = _Reader(payload[:-10])
    rdb_type = body.take(1)[0]
    out: dict = {"rdb_type": rdb_type, "rdb_version": version, "source": "DUMP"}
    if rdb_type == RDB_TYPE_STRING:
        value, stored = body.string()
        out.update(
            {
                "bytes": len(value),
                "value_preview": value[:64].decode("utf-8", "replace"),
                "truncated": int(len(value) > 64),
                "rdb_string": stored,
            }
        )
    elif rdb_type == RDB_TYPE_SET_INTSET:
        blob, stored = body.string()
        out.update(decode_intset(blob))
        out["rdb_string"] = stored
    elif rdb_type in (RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK):
        blob, stored = body.string()
        out.update(decode_listpack(blob))
        out["rdb_string"] = stored
    elif rdb_type == RDB_TYPE_LIST_QUICKLIST_2:
        count, _ = body.length()
        nodes = []
        for index in range(count):
            container, _ = body.length()
            blob, stored = body.string()
            node: dict = {
                "index": index,
                "container": "PLAIN" if container == QUICKLIST_NODE_CONTAINER_PLAIN else "PACKED",
                "sz": len(blob),
                "compressed": 0,  # in the payload; whether it is compressed in memory is hidden
                "rdb_string": stored,
            }
            if container == QUICKLIST_NODE_CONTAINER_PLAIN:
                node["count"] = 1
                node["value_preview"] = blob[:64].decode("utf-8", "replace")
            else:
                lp = decode_listpack(blob)
                node["count"] = lp["length"]
                node["entries"] = lp["entries"]
                node["raw"] = lp["raw"]
            nodes.append(node)
        out.update({"node_count": count, "window_start": 0, "nodes": nodes})
        out["not_visible"] = (
            "DUMP writes nodes uncompressed unless they were compressed in memory; "
            "list-compress-depth decides which are"
        )
    else:
        out["not_visible"] = (
            f"RDB type {rdb_type} carries only the elements, not their in-memory layout"
        )
    return out


def decode_intset(blob: bytes) -> dict:
    """An intset's bytes: u32 LE encoding (2/4/8), u32 LE length, values LE."""
    if len(blob) < 8:
        raise ValueError("intset shorter than its header")
    width, length = struct.unpack("<II", blob[:8])
    fmt = {2: "h", 4: "i", 8: "q"}.get(width)
    if fmt is None or len(blob) != 8 + width * length:
        raise ValueError("inconsistent intset header")
    values = list(struct.unpack(f"<{length}{fmt}", blob[8:]))
    return {
        "encoding": f"INTSET_ENC_INT{width * 8}",
        "width": width,
        "length": length,
        "blob_len": len(blob),
        "window_start": 0,
        "values": values[:32],
        "raw": blob[:8192],
        "raw_truncated": int(len(blob) > 8192),
    }


# Listpack entry encodings (the first byte), as in listpack.c.
_LP_INTS = {0xF1: (2, "LP_ENCODING_16BIT_INT"), 0xF2: (3, "LP_ENCODING_24BIT_INT")}
_LP_INTS |= {0xF3: (4, "LP_ENCODING_32BIT_INT"), 0xF4: (8, "LP_ENCODING_64BIT_INT")}


def _lp_backlen_size(n: int) -> int:
    return 1 if n <= 127 else 2 if n < 16383 else 3 if n < 2097151 else 4 if n < 268435455 else 5


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def decode_listpack(blob: bytes, window: int = 10_000) -> dict:
    """A listpack's entries, each with offset, encoding, header, data and back-length."""
    if len(blob) < 7:
        raise ValueError("listpack shorter than its header")
    total, num = struct.unpack("<IH", blob[:6])
    entries = []
    p = 6
    while p < len(blob) and blob[p] != 0xFF:
        b = blob[p]
        if b & 0x80 == 0:
            name, hlen, dlen, value = "LP_ENCODING_7BIT_UINT", 1, 0, b & 0x7F
        elif b & 0xC0 == 0x80:
            name, hlen, dlen = "LP_ENCODING_6BIT_STR", 1, b & 0x3F
            value = None
        elif b & 0xE0 == 0xC0:
            name, hlen, dlen = "LP_ENCODING_13BIT_INT", 2, 0
            value = _signed(((b & 0x1F) << 8) | blob[p + 1], 13)
        elif b & 0xF0 == 0xE0:
            name, hlen, dlen = "LP_ENCODING_12BIT_STR", 2, ((b & 0x0F) << 8) | blob[p + 1]
            value = None
        elif b == 0xF0:
            name, hlen, dlen = (
                "LP_ENCODING_32BIT_STR",
                5,
                struct.unpack("<I", blob[p + 1 : p + 5])[0],
            )
            value = None
        elif b in _LP_INTS:
            width, name = _LP_INTS[b]
            hlen, dlen = 1 + width, 0
            value = _signed(int.from_bytes(blob[p + 1 : p + 1 + width], "little"), width * 8)
        else:
            raise ValueError(f"bad listpack entry byte {b:#x} at offset {p}")
        if value is None:
            data = blob[p + hlen : p + hlen + dlen]
            try:
                value = data.decode("utf-8")
            except UnicodeDecodeError:
                value = bytes(data)
        encoded = hlen + dlen
        bsize = _lp_backlen_size(encoded)
        if len(entries) < window:
            entries.append(
                {
                    "index": len(entries),
                    "offset": p,
                    "encoding": name,
                    "header_len": hlen,
                    "data_len": dlen,
                    "value": value,
                    "backlen": encoded,
                    "backlen_size": bsize,
                    "size": encoded + bsize,
                }
            )
        p += encoded + bsize
    return {
        "total_bytes": total,
        "num_elements": num,
        "length": len(entries),
        "header_size": 6,
        "window_start": 0,
        "entries": entries,
        "raw": blob[:8192],
        "raw_truncated": int(len(blob) > 8192),
    }
