"""The server configuration: redis.conf, the command line, CONFIG GET/SET/REWRITE.

Redis 7.0 keeps every parameter in one table (config.c ``static_configs``):
a name, maybe an alias, flags, a type with its validation, a default and a
pointer into ``struct redisServer``. This module keeps the same table as data,
:data:`PARAMS`, one :class:`Param` row per parameter, and the same four
operations over it:

* **load** — redis.conf text, line by line (:meth:`Config.load_text`), with the
  command line turned into more config text first (:meth:`Config.from_argv`),
  exactly like ``main()`` does. A bad line is fatal: :class:`ConfigFileError`
  carries the message redis-server prints before exiting.
* **get** — ``CONFIG GET pattern [pattern ...]``: glob patterns (case
  insensitive, :mod:`server.glob`), values formatted the way Redis formats them.
* **set** — ``CONFIG SET name value [name value ...]``: all or nothing. Every
  value is parsed and validated, then set; then the server's reactions
  (:meth:`Config.on_change`) run; if any of them fails everything is put back.
* **rewrite** — ``CONFIG REWRITE``: the file is rewritten in place, keeping its
  comments and order, the way config.c's rewrite state machine does.

Values are plain attributes named after the parameter (``-`` becomes ``_``),
so the server's hot paths read ``config.maxmemory`` or ``config.hz`` with no
lookup. Their Python types:

=====================  =========================================================
bool                   ``bool``   (``yes``/``no``, case-insensitive)
numeric                ``int``    (memory values in bytes; ``maxmemory-clients``
                       stores a percentage as a negative number, like Redis)
enum                   ``str``    (the canonical lowercase name)
string                 ``str``    (``""`` when unset)
save                   ``list[tuple[int, int]]``  (seconds, changes)
bind                   ``list[str]``
client-output-buffer-limit  ``dict[str, tuple[int, int, int]]`` keyed
                       ``normal``/``slave``/``pubsub``: (hard, soft, soft_seconds)
notify-keyspace-events ``int`` flags (``NOTIFY_*`` below)
oom-score-adj-values   ``list[int]``
latency-tracking-info-percentiles  ``list[float]``
replicaof              ``tuple[str, int] | None``
dir                    ``str``, an absolute path (we do not ``chdir``: the server
                       registers an ``on_change`` for that if it wants to)
=====================  =========================================================

Parameters we add for the lab:

``enable-lab-command no|yes|local`` (default ``local``, immutable) — who may run
the ``LAB`` introspection command family, with exactly the semantics of 7.0's
``enable-debug-command``: ``local`` allows only connections from loopback
addresses or the unix socket.

Parameters the lab's server does not act on yet are still accepted, validated,
reported and rewritten, so clients and config files written for Redis work;
:func:`is_honoured` says which ones the server acts on.
"""

from __future__ import annotations

import copy
import glob as _fsglob
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from server.glob import compile_glob
from server.numbers import string2d, string2ll
from server.protocol.splitargs import split_args

REDIS_VERSION = "7.0.15"

# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class ConfigError(Exception):
    """A CONFIG SET/REWRITE error; ``str(e)`` is Redis's error text without the '-'."""


class ConfigFileError(Exception):
    """A fatal error in a config file or command-line option.

    ``str(e)`` is what redis-server prints on stderr (between a leading and a
    trailing newline) before exiting with status 1::

        *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
        Reading the configuration file, at line 2
        >>> 'port "abc"'
        argument couldn't be parsed into an integer
    """

    def __init__(self, reason: str, linenum: int | None = None, line: str | None = None):
        self.reason = reason
        self.linenum = linenum
        self.line = line
        if linenum is None:
            text = f"*** FATAL CONFIG FILE ERROR (Redis {REDIS_VERSION}) ***\n{reason}"
        else:
            text = (
                f"*** FATAL CONFIG FILE ERROR (Redis {REDIS_VERSION}) ***\n"
                f"Reading the configuration file, at line {linenum}\n"
                f">>> '{line}'\n{reason}"
            )
        super().__init__(text)


class ConfigOpenError(ConfigFileError):
    """A config file that cannot be read: redis-server logs this one as a
    warning line ("Fatal error, can't open config file ...") and exits."""

    def __init__(self, path: str, err: OSError):
        self.reason = f"Fatal error, can't open config file '{path}': {os.strerror(err.errno or 0)}"
        self.linenum = None
        self.line = None
        Exception.__init__(self, self.reason)


class _Invalid(Exception):
    """A value a parameter's type refuses; the text is config.c's ``err``."""


# ---------------------------------------------------------------------------
# Flags and limits (config.c / server.h)
# ---------------------------------------------------------------------------

IMMUTABLE = "IMMUTABLE"  # only at startup
PROTECTED = "PROTECTED"  # CONFIG SET only when enable-protected-configs allows it
HIDDEN = "HIDDEN"  # CONFIG GET needs the exact name, a glob never shows it
SENSITIVE = "SENSITIVE"  # redacted from SLOWLOG / MONITOR
MULTI_ARG = "MULTI_ARG"  # several words: in CONFIG SET split on single spaces
DENY_LOADING = "DENY_LOADING"  # refused with -LOADING while the dataset loads
DEBUG = "DEBUG"  # listed by DEBUG CONFIG-REWRITE-FORCE-ALL style helpers

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
UINT_MAX = 2**32 - 1
LONG_MAX = LLONG_MAX = SSIZE_MAX = 2**63 - 1
ULLONG_MAX = 2**64 - 1

CONFIG_MIN_HZ, CONFIG_MAX_HZ = 1, 500
CONFIG_BINDADDR_MAX = 16
NET_HOST_STR_LEN = 256
LOADBUF_SIZE = 256

# notify.c keyspace event classes
NOTIFY_KEYSPACE = 1 << 0  # K
NOTIFY_KEYEVENT = 1 << 1  # E
NOTIFY_GENERIC = 1 << 2  # g
NOTIFY_STRING = 1 << 3  # $
NOTIFY_LIST = 1 << 4  # l
NOTIFY_SET = 1 << 5  # s
NOTIFY_HASH = 1 << 6  # h
NOTIFY_ZSET = 1 << 7  # z
NOTIFY_EXPIRED = 1 << 8  # x
NOTIFY_EVICTED = 1 << 9  # e
NOTIFY_STREAM = 1 << 10  # t
NOTIFY_KEY_MISS = 1 << 11  # m (not part of 'A')
NOTIFY_LOADED = 1 << 12  # module only
NOTIFY_MODULE = 1 << 13  # d
NOTIFY_NEW = 1 << 14  # n (not part of 'A')
NOTIFY_ALL = (
    NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
    | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE
)  # fmt: skip
_NOTIFY_CHARS = {
    "A": NOTIFY_ALL, "g": NOTIFY_GENERIC, "$": NOTIFY_STRING, "l": NOTIFY_LIST,
    "s": NOTIFY_SET, "h": NOTIFY_HASH, "z": NOTIFY_ZSET, "x": NOTIFY_EXPIRED,
    "e": NOTIFY_EVICTED, "K": NOTIFY_KEYSPACE, "E": NOTIFY_KEYEVENT, "t": NOTIFY_STREAM,
    "m": NOTIFY_KEY_MISS, "d": NOTIFY_MODULE, "n": NOTIFY_NEW,
}  # fmt: skip


def keyspace_events_from_string(s: str) -> int | None:
    """notify.c ``keyspaceEventsStringToFlags``; None for an unknown character."""
    flags = 0
    for c in s:
        bit = _NOTIFY_CHARS.get(c)
        if bit is None:
            return None
        flags |= bit
    return flags


def keyspace_events_to_string(flags: int) -> str:
    """notify.c ``keyspaceEventsFlagsToString`` (``n`` is lost behind ``A``, as in Redis)."""
    out = []
    if flags & NOTIFY_ALL == NOTIFY_ALL:
        out.append("A")
    else:
        for ch, bit in (
            ("g", NOTIFY_GENERIC), ("$", NOTIFY_STRING), ("l", NOTIFY_LIST),
            ("s", NOTIFY_SET), ("h", NOTIFY_HASH), ("z", NOTIFY_ZSET),
            ("x", NOTIFY_EXPIRED), ("e", NOTIFY_EVICTED), ("t", NOTIFY_STREAM),
            ("d", NOTIFY_MODULE), ("n", NOTIFY_NEW),
        ):  # fmt: skip
            if flags & bit:
                out.append(ch)
    if flags & NOTIFY_KEYSPACE:
        out.append("K")
    if flags & NOTIFY_KEYEVENT:
        out.append("E")
    if flags & NOTIFY_KEY_MISS:
        out.append("m")
    return "".join(out)


# ---------------------------------------------------------------------------
# Value parsing helpers (util.c)
# ---------------------------------------------------------------------------

_MEM_UNITS = {
    "": 1, "b": 1, "k": 1000, "kb": 1024, "m": 1000**2, "mb": 1024**2,
    "g": 1000**3, "gb": 1024**3,
}  # fmt: skip


def memtoull(s: str) -> int | None:
    """util.c ``memtoull``: digits then an optional unit (b, k, kb, m, mb, g, gb,
    any case); None on error. Like the C code it saturates an overlong number at
    ULLONG_MAX and lets ``number * unit`` wrap around 2**64."""
    if s.startswith("-"):
        return None
    i = 0
    while i < len(s) and "0" <= s[i] <= "9":
        i += 1
    mul = _MEM_UNITS.get(s[i:].lower()) if s[i:].isascii() else None
    if mul is None or i >= 128:
        return None
    value = min(int(s[:i]), ULLONG_MAX) if i else 0
    return (value * mul) & ULLONG_MAX


def _ll(s: str) -> int | None:
    try:
        return string2ll(s.encode("utf-8", "surrogateescape"))
    except UnicodeError:
        return None


def _strtoll_whole(s: str, base: int = 10, clamp: bool = True) -> int | None:
    """``strtoll(s, &end, base)`` accepted only if it consumed everything:
    leading whitespace and a sign are allowed, "" is 0. An overflow saturates
    (as strtoll does) or, with ``clamp=False``, is an error (errno checked)."""
    i, n = 0, len(s)
    while i < n and s[i] in " \t\n\r\x0b\x0c":
        i += 1
    sign = 1
    start = i
    if i < n and s[i] in "+-":
        sign = -1 if s[i] == "-" else 1
        i += 1
    digits = "01234567" if base == 8 else "0123456789"
    j = i
    while j < n and s[j] in digits:
        j += 1
    if j == i:  # no digits: end pointer stays at the start of the string
        return 0 if start == 0 and n == 0 else None
    if j != n:
        return None
    value = sign * int(s[i:j], base)
    if not LLONG_MAX >= value >= -LLONG_MAX - 1:
        if not clamp:
            return None
        value = LLONG_MAX if value > 0 else -LLONG_MAX - 1
    return value


def sdscatrepr(s: str) -> str:
    """sds.c ``sdscatrepr``: a quoted string redis.conf's parser reads back."""
    out = ['"']
    for byte in s.encode("utf-8", "surrogateescape"):
        ch = chr(byte)
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02x}")
    out.append('"')
    return "".join(out)


def splitargs(line: str) -> list[str] | None:
    """sds.c ``sdssplitargs`` on text (bytes survive as surrogate escapes)."""
    parts = split_args(line.encode("utf-8", "surrogateescape"))
    if parts is None:
        return None
    return [p.decode("utf-8", "surrogateescape") for p in parts]


def _format_memory(n: int) -> str:
    """config.c ``rewriteConfigFormatMemory``."""
    gb, mb, kb = 1024**3, 1024**2, 1024
    if n and n % gb == 0:
        return f"{n // gb}gb"
    if n and n % mb == 0:
        return f"{n // mb}mb"
    if n and n % kb == 0:
        return f"{n // kb}kb"
    return str(n)


def _trim_double(v: float) -> str:
    s = f"{v:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

_SIGNED_TYPES = ("int", "long", "ll", "ssize_t", "time_t", "off_t")
_UNSIGNED_TYPES = ("uint", "ull", "size_t")  # config.c checks these bounds unsigned


@dataclass(frozen=True)
class Param:
    """One row of the table: a parameter as config.c's ``standardConfig`` has it.

    ``kind`` is bool, string, sds, enum, flags (a MULTI_ARG enum), numeric or special. Numeric rows carry
    ``ntype`` (the C type, which decides signed or unsigned bound checks),
    ``lower``/``upper`` and ``numflags`` (memory, percent, octal). Enum rows
    carry ``choices`` as (name, id) pairs: several names may share an id and
    the first one is what CONFIG GET prints. ``empty_is_null`` strings are
    dropped from a rewritten file when empty. ``honoured`` says whether the
    lab's server acts on the value.
    """

    name: str
    kind: str
    default: object
    flags: frozenset[str] = frozenset()
    alias: str | None = None
    ntype: str = "int"
    lower: int = 0
    upper: int = 0
    numflags: frozenset[str] = frozenset()
    choices: tuple[tuple[str, int], ...] = ()
    empty_is_null: bool = False
    validate: Callable[[str], str | None] | None = field(default=None, compare=False)
    honoured: bool = False

    @property
    def attr(self) -> str:
        return self.name.replace("-", "_")


def _flags(*f: str) -> frozenset[str]:
    return frozenset(f)


def B(name, default, *flags, alias=None, validate=None):  # noqa: N802 - table shorthand
    return Param(name, "bool", bool(default), _flags(*flags), alias, validate=validate)


def S(name, default, *flags, alias=None, null=False, validate=None, sds=False):  # noqa: N802
    return Param(
        name, "sds" if sds else "string", default, _flags(*flags), alias,
        empty_is_null=null, validate=validate,
    )  # fmt: skip


def E(name, choices, default, *flags, alias=None):  # noqa: N802
    return Param(name, "enum", default, _flags(*flags), alias, choices=choices)


def F(name, choices, default, *flags):  # noqa: N802 - a MULTI_ARG enum: a set of flags
    return Param(name, "flags", default, _flags(MULTI_ARG, *flags), choices=choices)


def N(name, ntype, lower, upper, default, *flags, alias=None, num=()):  # noqa: N802
    return Param(
        name, "numeric", default, _flags(*flags), alias, ntype=ntype, lower=lower,
        upper=upper, numflags=frozenset(num),
    )  # fmt: skip


def X(name, default, *flags, alias=None):  # noqa: N802
    return Param(name, "special", default, _flags(*flags), alias)


MAXMEMORY_POLICIES = (
    ("volatile-lru", 0), ("volatile-lfu", 1), ("volatile-random", 2), ("volatile-ttl", 3),
    ("allkeys-lru", 4), ("allkeys-lfu", 5), ("allkeys-random", 6), ("noeviction", 7),
)  # fmt: skip
SYSLOG_FACILITIES = tuple((n, i) for i, n in enumerate(["user"] + [f"local{k}" for k in range(8)]))
LOGLEVELS = (("debug", 0), ("verbose", 1), ("notice", 2), ("warning", 3))
SUPERVISED = (("upstart", 1), ("systemd", 2), ("auto", 3), ("no", 0))
APPENDFSYNC = (("everysec", 2), ("always", 1), ("no", 0))
REPL_DISKLESS_LOAD = (("disabled", 0), ("on-empty-db", 1), ("swapdb", 2))
TLS_AUTH_CLIENTS = (("no", 0), ("yes", 1), ("optional", 2))
OOM_SCORE_ADJ = (("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2))
ACL_PUBSUB_DEFAULT = (("allchannels", 1), ("resetchannels", 0))
SANITIZE_DUMP = (("no", 0), ("yes", 1), ("clients", 2))
PROTECTED_ACTION = (("no", 0), ("yes", 1), ("local", 2))
ENDPOINT_TYPE = (("ip", 0), ("hostname", 1), ("unknown-endpoint", 2))
PROPAGATION_ERROR = (("ignore", 0), ("panic", 1), ("panic-on-replicas", 2))
SHUTDOWN_FLAGS = (("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8))


def _active_defrag(v: str) -> str | None:
    # Debian builds Redis against the system jemalloc, without defrag support.
    if v == "yes":
        return (
            "Active defragmentation cannot be enabled: it requires a Redis server "
            "compiled with a modified Jemalloc like the one shipped by default with "
            "the Redis source distribution"
        )
    return None


def _basename(what: str, kind: str, allow_empty: bool = True):
    def check(v: str) -> str | None:
        if not allow_empty and v == "":
            return f"{what} can't be empty"
        if "/" in v or "\\" in v:
            return f"{what} can't be a path, just a {kind}"
        return None

    return check


def _hostname(v: str) -> str | None:
    if len(v.encode("utf-8", "surrogateescape")) >= NET_HOST_STR_LEN:
        return f"Hostnames must be less than {NET_HOST_STR_LEN} characters"
    for c in v:
        if not (c.isascii() and (c.isalnum() or c in "-.")):
            return "Hostnames may only contain alphanumeric characters, hyphens or dots"
    return None


_PROC_TITLE_VARS = {
    "title": "", "listen-addr": "*:6379", "server-mode": "", "port": "6379",
    "tls-port": "0", "unixsocket": "", "config-file": "",
}  # fmt: skip


def _proc_title_template(v: str) -> str | None:
    """server.c ``validateProcTitleTemplate`` over sds.c ``sdstemplate``."""
    bad = "template format is invalid or contains unknown variables"
    out, i = [], 0
    while i < len(v):
        sv = v.find("{", i)
        if sv < 0:
            out.append(v[i:])
            break
        out.append(v[i:sv])
        sv += 1
        if sv >= len(v):
            return bad
        if v[sv] == "{":
            out.append("{")
            i = sv + 1
            continue
        ev = v.find("}", sv)
        if ev < 0 or v[sv:ev] not in _PROC_TITLE_VARS:
            return bad
        out.append(_PROC_TITLE_VARS[v[sv:ev]])
        i = ev + 1
    return None if "".join(out).strip(" ") else bad


IM, PR, HI, SE, MA, DL, DE = IMMUTABLE, PROTECTED, HIDDEN, SENSITIVE, MULTI_ARG, DENY_LOADING, DEBUG
MEM, PCT, OCT = ("memory",), ("memory", "percent"), ("octal",)

# In config.c's order. Defaults are config.c's (bind "* -::*", port 6379, ...).
PARAMS: list[Param] = [
    # Bool configs
    B("rdbchecksum", 1, IM),
    B("daemonize", 0, IM),
    B("io-threads-do-reads", 0, DE, IM),
    B("always-show-logo", 0, IM),
    B("protected-mode", 1),
    B("rdbcompression", 1),
    B("rdb-del-sync-files", 0),
    B("activerehashing", 1),
    B("stop-writes-on-bgsave-error", 1),
    B("set-proc-title", 1, IM),
    B("dynamic-hz", 1),
    B("lazyfree-lazy-eviction", 0, DE),
    B("lazyfree-lazy-expire", 0, DE),
    B("lazyfree-lazy-server-del", 0, DE),
    B("lazyfree-lazy-user-del", 0, DE),
    B("lazyfree-lazy-user-flush", 0, DE),
    B("repl-disable-tcp-nodelay", 0),
    B("repl-diskless-sync", 1, DE),
    B("aof-rewrite-incremental-fsync", 1),
    B("no-appendfsync-on-rewrite", 0),
    B("cluster-require-full-coverage", 1),
    B("rdb-save-incremental-fsync", 1),
    B("aof-load-truncated", 1),
    B("aof-use-rdb-preamble", 1),
    B("aof-timestamp-enabled", 0),
    B("cluster-replica-no-failover", 0, alias="cluster-slave-no-failover"),
    B("replica-lazy-flush", 0, alias="slave-lazy-flush"),
    B("replica-serve-stale-data", 1, alias="slave-serve-stale-data"),
    B("replica-read-only", 1, DE, alias="slave-read-only"),
    B("replica-ignore-maxmemory", 1, alias="slave-ignore-maxmemory"),
    B("jemalloc-bg-thread", 1),
    B("activedefrag", 0, DE, validate=_active_defrag),
    B("syslog-enabled", 0, IM),
    B("cluster-enabled", 0, IM),
    B("appendonly", 0, DL),
    B("cluster-allow-reads-when-down", 0),
    B("cluster-allow-pubsubshard-when-down", 1),
    B("crash-log-enabled", 1),
    B("crash-memcheck-enabled", 1),
    B("use-exit-on-panic", 0, HI),
    B("disable-thp", 1, IM),
    B("cluster-allow-replica-migration", 1),
    B("replica-announced", 1),
    B("latency-tracking", 1),
    B("aof-disable-auto-gc", 0),
    B("replica-ignore-disk-write-errors", 0),
    # String configs
    S("aclfile", "", IM),
    S("unixsocket", None, IM, null=True),
    S("pidfile", None, IM, null=True),
    S("replica-announce-ip", None, null=True, alias="slave-announce-ip"),
    S("masteruser", None, SE, null=True),
    S("cluster-announce-ip", None, null=True),
    S("cluster-config-file", "nodes.conf", IM),
    S("cluster-announce-hostname", None, null=True, validate=_hostname),
    S("syslog-ident", "redis", IM),
    S("dbfilename", "dump.rdb", PR, validate=_basename("dbfilename", "filename")),
    S("appendfilename", "appendonly.aof", IM,
      validate=_basename("appendfilename", "filename", allow_empty=False)),
    S("appenddirname", "appendonlydir", IM,
      validate=_basename("appenddirname", "dirname", allow_empty=False)),
    S("server_cpulist", None, IM, null=True),
    S("bio_cpulist", None, IM, null=True),
    S("aof_rewrite_cpulist", None, IM, null=True),
    S("bgsave_cpulist", None, IM, null=True),
    S("ignore-warnings", ""),
    S("proc-title-template", "{title} {listen-addr} {server-mode}",
      validate=_proc_title_template),
    S("bind-source-addr", None, null=True),
    S("logfile", "", IM),
    # SDS configs
    S("masterauth", None, SE, null=True, sds=True),
    S("requirepass", None, SE, null=True, sds=True),
    # Enum configs
    E("supervised", SUPERVISED, "no", IM),
    E("syslog-facility", SYSLOG_FACILITIES, "local0", IM),
    E("repl-diskless-load", REPL_DISKLESS_LOAD, "disabled", DE, DL),
    E("loglevel", LOGLEVELS, "notice"),
    E("maxmemory-policy", MAXMEMORY_POLICIES, "noeviction"),
    E("appendfsync", APPENDFSYNC, "everysec"),
    E("oom-score-adj", OOM_SCORE_ADJ, "no"),
    E("acl-pubsub-default", ACL_PUBSUB_DEFAULT, "resetchannels"),
    E("sanitize-dump-payload", SANITIZE_DUMP, "no", DE),
    E("enable-protected-configs", PROTECTED_ACTION, "no", IM),
    E("enable-debug-command", PROTECTED_ACTION, "no", IM),
    E("enable-module-command", PROTECTED_ACTION, "no", IM),
    E("enable-lab-command", PROTECTED_ACTION, "local", IM),  # ours: the LAB family
    E("cluster-preferred-endpoint-type", ENDPOINT_TYPE, "ip"),
    E("propagation-error-behavior", PROPAGATION_ERROR, "ignore"),
    F("shutdown-on-sigint", SHUTDOWN_FLAGS, "default"),
    F("shutdown-on-sigterm", SHUTDOWN_FLAGS, "default"),
    # Integer configs
    N("databases", "int", 1, INT_MAX, 16, IM),
    N("port", "int", 0, 65535, 6379),
    N("io-threads", "int", 1, 128, 1, DE, IM),
    N("auto-aof-rewrite-percentage", "int", 0, INT_MAX, 100),
    N("cluster-replica-validity-factor", "int", 0, INT_MAX, 10,
      alias="cluster-slave-validity-factor"),
    N("list-max-listpack-size", "int", INT_MIN, INT_MAX, -2, alias="list-max-ziplist-size"),
    N("tcp-keepalive", "int", 0, INT_MAX, 300),
    N("cluster-migration-barrier", "int", 0, INT_MAX, 1),
    N("active-defrag-cycle-min", "int", 1, 99, 1),
    N("active-defrag-cycle-max", "int", 1, 99, 25),
    N("active-defrag-threshold-lower", "int", 0, 1000, 10),
    N("active-defrag-threshold-upper", "int", 0, 1000, 100),
    N("lfu-log-factor", "int", 0, INT_MAX, 10),
    N("lfu-decay-time", "int", 0, INT_MAX, 1),
    N("replica-priority", "int", 0, INT_MAX, 100, alias="slave-priority"),
    N("repl-diskless-sync-delay", "int", 0, INT_MAX, 5),
    N("maxmemory-samples", "int", 1, INT_MAX, 5),
    N("maxmemory-eviction-tenacity", "int", 0, 100, 10),
    N("timeout", "int", 0, INT_MAX, 0),
    N("replica-announce-port", "int", 0, 65535, 0, alias="slave-announce-port"),
    N("tcp-backlog", "int", 0, INT_MAX, 511, IM),
    N("cluster-port", "int", 0, 65535, 0, IM),
    N("cluster-announce-bus-port", "int", 0, 65535, 0),
    N("cluster-announce-port", "int", 0, 65535, 0),
    N("cluster-announce-tls-port", "int", 0, 65535, 0),
    N("repl-timeout", "int", 1, INT_MAX, 60),
    N("repl-ping-replica-period", "int", 1, INT_MAX, 10, alias="repl-ping-slave-period"),
    N("list-compress-depth", "int", 0, INT_MAX, 0, DE),
    N("rdb-key-save-delay", "int", INT_MIN, INT_MAX, 0, HI),
    N("key-load-delay", "int", INT_MIN, INT_MAX, 0, HI),
    N("active-expire-effort", "int", 1, 10, 1),
    N("hz", "int", 0, INT_MAX, 10),
    N("min-replicas-to-write", "int", 0, INT_MAX, 0, alias="min-slaves-to-write"),
    N("min-replicas-max-lag", "int", 0, INT_MAX, 10, alias="min-slaves-max-lag"),
    N("watchdog-period", "int", 0, INT_MAX, 0, HI),
    N("shutdown-timeout", "int", 0, INT_MAX, 10),
    N("repl-diskless-sync-max-replicas", "int", 0, INT_MAX, 0),
    # Unsigned int configs
    N("maxclients", "uint", 1, UINT_MAX, 10000),
    N("unixsocketperm", "uint", 0, 0o777, 0, IM, num=OCT),
    N("socket-mark-id", "uint", 0, UINT_MAX, 0, IM),
    # Unsigned long configs (bounds checked as signed, like config.c)
    N("active-defrag-max-scan-fields", "long", 1, LONG_MAX, 1000),
    N("slowlog-max-len", "long", 0, LONG_MAX, 128),
    N("acllog-max-len", "long", 0, LONG_MAX, 128),
    # Long long configs
    N("busy-reply-threshold", "ll", 0, LONG_MAX, 5000, alias="lua-time-limit"),
    N("cluster-node-timeout", "ll", 0, LLONG_MAX, 15000),
    N("slowlog-log-slower-than", "ll", -1, LLONG_MAX, 10000),
    N("latency-monitor-threshold", "ll", 0, LLONG_MAX, 0),
    N("proto-max-bulk-len", "ll", 1024 * 1024, LONG_MAX, 512 * 1024 * 1024, DE, num=MEM),
    N("stream-node-max-entries", "ll", 0, LLONG_MAX, 100),
    N("repl-backlog-size", "ll", 1, LLONG_MAX, 1024 * 1024, num=MEM),
    # Unsigned long long configs
    N("maxmemory", "ull", 0, ULLONG_MAX, 0, num=MEM),
    N("cluster-link-sendbuf-limit", "ull", 0, ULLONG_MAX, 0, num=MEM),
    # size_t configs
    N("hash-max-listpack-entries", "size_t", 0, LONG_MAX, 512, alias="hash-max-ziplist-entries"),
    N("set-max-intset-entries", "size_t", 0, LONG_MAX, 512),
    N("zset-max-listpack-entries", "size_t", 0, LONG_MAX, 128, alias="zset-max-ziplist-entries"),
    N("active-defrag-ignore-bytes", "size_t", 1, LLONG_MAX, 100 << 20, num=MEM),
    N("hash-max-listpack-value", "size_t", 0, LONG_MAX, 64, alias="hash-max-ziplist-value",
      num=MEM),
    N("stream-node-max-bytes", "size_t", 0, LONG_MAX, 4096, num=MEM),
    N("zset-max-listpack-value", "size_t", 0, LONG_MAX, 64, alias="zset-max-ziplist-value",
      num=MEM),
    N("hll-sparse-max-bytes", "size_t", 0, LONG_MAX, 3000, num=MEM),
    N("tracking-table-max-keys", "size_t", 0, LONG_MAX, 1000000),
    N("client-query-buffer-limit", "size_t", 1024 * 1024, LONG_MAX, 1024**3, DE, num=MEM),
    N("maxmemory-clients", "ssize_t", -100, SSIZE_MAX, 0, num=PCT),
    # Other configs
    N("repl-backlog-ttl", "time_t", 0, LONG_MAX, 3600),
    N("auto-aof-rewrite-min-size", "off_t", 0, LLONG_MAX, 64 * 1024 * 1024, num=MEM),
    N("loading-process-events-interval-bytes", "off_t", 1024, INT_MAX, 2 * 1024 * 1024, HI),
    # TLS (Debian's redis-server is built with TLS)
    N("tls-port", "int", 0, 65535, 0),
    N("tls-session-cache-size", "int", 0, INT_MAX, 20 * 1024),
    N("tls-session-cache-timeout", "int", 0, INT_MAX, 300),
    B("tls-cluster", 0),
    B("tls-replication", 0),
    E("tls-auth-clients", TLS_AUTH_CLIENTS, "yes"),
    B("tls-prefer-server-ciphers", 0),
    B("tls-session-caching", 1),
    S("tls-cert-file", None, null=True),
    S("tls-key-file", None, null=True),
    S("tls-key-file-pass", None, null=True),
    S("tls-client-cert-file", None, null=True),
    S("tls-client-key-file", None, null=True),
    S("tls-client-key-file-pass", None, null=True),
    S("tls-dh-params-file", None, null=True),
    S("tls-ca-cert-file", None, null=True),
    S("tls-ca-cert-dir", None, null=True),
    S("tls-protocols", None, null=True),
    S("tls-ciphers", None, null=True),
    S("tls-ciphersuites", None, null=True),
    # Special configs
    X("dir", None, PR, DL),
    X("save", [(3600, 1), (300, 100), (60, 10000)], MA),
    X("client-output-buffer-limit",
      {"normal": (0, 0, 0), "slave": (256 << 20, 64 << 20, 60), "pubsub": (32 << 20, 8 << 20, 60)},
      MA),
    X("oom-score-adj-values", [0, 200, 800], MA),
    X("notify-keyspace-events", 0),
    X("bind", ["*", "-::*"], MA),
    X("replicaof", None, IM, MA, alias="slaveof"),
    X("latency-tracking-info-percentiles", [50.0, 99.0, 99.9], MA),
]  # fmt: skip

# What the lab's server acts on (the rest is accepted, stored and reported).
_HONOURED_NAMES = {
    "port", "bind", "protected-mode", "requirepass", "maxclients", "timeout", "databases",
    "hz", "dynamic-hz", "active-expire-effort", "proto-max-bulk-len",
    "client-query-buffer-limit", "enable-debug-command", "enable-lab-command", "dir",
    "logfile", "loglevel", "unixsocket", "unixsocketperm", "tcp-backlog",
    "latency-monitor-threshold", "list-compress-depth", "save", "appendonly",
}  # fmt: skip
_HONOURED_PREFIXES = (
    "lazyfree-", "maxmemory", "lfu-", "slowlog-", "hash-max-", "set-max-", "zset-max-",
    "list-max-",
)  # fmt: skip
PARAMS = [
    Param(**{**p.__dict__, "honoured": p.name in _HONOURED_NAMES
             or p.name.startswith(_HONOURED_PREFIXES)})
    for p in PARAMS
]  # fmt: skip


@dataclass(frozen=True)
class _Entry:
    """A name in the lookup table: the primary name or an alias of ``param``."""

    name: str
    param: Param
    is_alias: bool


_ENTRIES: list[_Entry] = []
for _p in PARAMS:
    _ENTRIES.append(_Entry(_p.name, _p, False))
    if _p.alias:
        _ENTRIES.append(_Entry(_p.alias, _p, True))
_BY_NAME: dict[str, _Entry] = {e.name: e for e in _ENTRIES}
BY_ATTR: dict[str, Param] = {p.attr: p for p in PARAMS}
_ALIAS_ATTRS: dict[str, str] = {p.alias.replace("-", "_"): p.attr for p in PARAMS if p.alias}
_DEPRECATED = {"list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands"}


def lookup(name: str) -> Param | None:
    """The parameter called ``name`` (any case, primary name or alias)."""
    e = _BY_NAME.get(name.lower())
    return e.param if e else None


def is_honoured(name: str) -> bool:
    """Whether the lab's server acts on this parameter (False if unknown)."""
    p = lookup(name)
    return bool(p and p.honoured)


def is_sensitive(name: str) -> bool:
    """SENSITIVE parameters: their CONFIG SET value is redacted from SLOWLOG/MONITOR."""
    p = lookup(name)
    return bool(p and SENSITIVE in p.flags)


# ---------------------------------------------------------------------------
# The configuration
# ---------------------------------------------------------------------------


class Config:
    """The values of every parameter, plus the file they came from."""

    config_file: str | None

    # Set by the server's ACL module: the "user ..." lines CONFIG REWRITE writes
    # (acl.c ACLDescribeUser for every user, by name) when there is no aclfile.
    acl_rewrite_lines: Callable[[], list[str]] | None = None

    # Set by the server to its command table's lookup, so that a config file's
    # "rename-command" of an unknown command fails as in Redis.
    known_command: Callable[[str], bool] | None = None

    def __init__(self) -> None:
        for p in PARAMS:
            object.__setattr__(self, p.attr, self._default(p))
        self.config_file = None
        self.rename_commands: list[tuple[str, str]] = []  # rename-command old new
        self.users: list[list[str]] = []  # user directives, argv after "user"
        self.loadmodules: list[list[str]] = []  # loadmodule path [args]
        self.module_configs: dict[str, str] = {}  # "module.name" -> value, queued
        self._callbacks: dict[str, list[Callable[[object, object], None]]] = {}
        self._save_loaded = False

    @staticmethod
    def _default(p: Param) -> object:
        if p.name == "dir":
            return os.getcwd()
        if p.kind in ("string", "sds"):
            return p.default or ""
        return copy.deepcopy(p.default)

    def __getattr__(self, attr: str) -> object:
        # Only reached for names that are not plain attributes: the aliases.
        primary = _ALIAS_ATTRS.get(attr)
        if primary is None:
            raise AttributeError(attr)
        return getattr(self, primary)

    # -- typed set / get of one parameter -------------------------------------

    def _set(self, p: Param, argv: list[str]) -> bool:
        """Parse ``argv`` into ``p``'s value and store it; True if it changed.
        Raises _Invalid with config.c's error text."""
        old = getattr(self, p.attr)
        new = self._parse(p, argv, old)
        if new == old:
            return False
        object.__setattr__(self, p.attr, new)
        return True

    def _parse(self, p: Param, argv: list[str], old: object) -> object:
        kind = p.kind
        if kind == "special":
            return getattr(self, "_parse_" + p.attr)(argv, old)
        if kind == "flags":
            return self._parse_flags(p, argv)
        v = argv[0]
        if kind == "bool":
            low = v.lower()
            if low not in ("yes", "no"):
                raise _Invalid("argument must be 'yes' or 'no'")
            if p.validate and (err := p.validate(low)):
                raise _Invalid(err)
            return low == "yes"
        if kind in ("string", "sds"):
            if p.validate and (err := p.validate(v)):
                raise _Invalid(err)
            return v
        if kind == "enum":
            low = v.lower()
            for name, _ in p.choices:
                if name == low:
                    return self._enum_name(p, low)
            raise self._enum_error(p)
        return self._parse_numeric(p, v)

    @staticmethod
    def _enum_error(p: Param) -> _Invalid:
        names = ", ".join(name for name, _ in p.choices)
        return _Invalid(f"argument(s) must be one of the following: {names}"[: LOADBUF_SIZE - 1])

    def _parse_flags(self, p: Param, argv: list[str]) -> str:
        """A MULTI_ARG enum (shutdown-on-sig*): any of the names, OR-ed together."""
        values = dict(p.choices)
        bits = 0
        if not argv:
            raise self._enum_error(p)
        for a in argv:
            if a.lower() not in values:
                raise self._enum_error(p)
            bits |= values[a.lower()]
        if bits & 1 and bits & 2:
            raise _Invalid("shutdown options SAVE and NOSAVE can't be used simultaneously")
        names = [n for n, v in p.choices if v and bits & v]
        return " ".join(names) if names else p.choices[0][0]

    @staticmethod
    def _enum_name(p: Param, name: str) -> str:
        ident = dict(p.choices)[name]
        return next(n for n, i in p.choices if i == ident)

    @staticmethod
    def _parse_numeric(p: Param, v: str) -> int:
        """config.c numericParseString + numericBoundaryCheck."""
        value: int | None = None
        if "memory" in p.numflags:
            u = memtoull(v)
            if u is not None:
                value = u - (1 << 64) if u > LLONG_MAX else u  # stored in a long long
        if value is None and "percent" in p.numflags and len(v) > 1 and v.endswith("%"):
            pct = _ll(v[:-1])
            if pct is not None and pct >= 0:
                value = -pct
        if value is None and "octal" in p.numflags:
            value = _strtoll_whole(v, 8, clamp=False)
        if value is None and not p.numflags:
            value = _ll(v)
        if value is None:
            if "memory" in p.numflags and "percent" in p.numflags:
                raise _Invalid("argument must be a memory or percent value")
            if "memory" in p.numflags:
                raise _Invalid("argument must be a memory value")
            if "octal" in p.numflags:
                raise _Invalid("argument couldn't be parsed as an octal number")
            raise _Invalid("argument couldn't be parsed into an integer")
        if p.ntype in _UNSIGNED_TYPES:
            u = value & ULLONG_MAX
            if u > p.upper or u < p.lower:
                if "octal" in p.numflags:
                    raise _Invalid(
                        f"argument must be between {p.lower:o} and {p.upper:o} inclusive"
                    )
                raise _Invalid(f"argument must be between {p.lower} and {p.upper} inclusive")
            return u
        if "percent" in p.numflags and value < 0:
            if value < p.lower:
                raise _Invalid(f"percentage argument must be less or equal to {-p.lower}")
        elif value > p.upper or value < p.lower:
            raise _Invalid(f"argument must be between {p.lower} and {p.upper} inclusive")
        return value

    def format_value(self, p: Param) -> str:
        """The value as CONFIG GET prints it."""
        v = getattr(self, p.attr)
        kind = p.kind
        if kind == "bool":
            return "yes" if v else "no"
        if kind in ("string", "sds", "enum", "flags"):
            return v
        if kind == "numeric":
            if "percent" in p.numflags and v < 0:
                return f"{-v}%"
            if "octal" in p.numflags:
                return f"{v:o}"
            return str(v)
        return getattr(self, "_get_" + p.attr)()

    # -- special parameters ---------------------------------------------------

    def _parse_dir(self, argv: list[str], old: object) -> str:
        if len(argv) != 1:
            raise _Invalid("wrong number of arguments")
        path = os.path.join(str(old), argv[0]) if argv[0] else ""
        try:
            st = os.stat(path)
        except OSError as e:
            raise _Invalid(os.strerror(e.errno or 0)) from None
        import stat as _stat

        if not _stat.S_ISDIR(st.st_mode):
            raise _Invalid(os.strerror(20))  # ENOTDIR
        if not os.access(path, os.X_OK):
            raise _Invalid(os.strerror(13))  # EACCES
        return os.path.realpath(path)

    def _get_dir(self) -> str:
        return self.dir

    def _parse_save(self, argv: list[str], old: object) -> list[tuple[int, int]]:
        if len(argv) == 1 and argv[0] == "":
            # 'save ""' always clears, in a file too (7.0.15)
            self._save_loaded = self._save_loaded or self._reading_file
            return []
        if len(argv) % 2:
            raise _Invalid("Invalid save parameters")
        values = []
        for j, a in enumerate(argv):
            n = _strtoll_whole(a)
            if n is None or (j % 2 == 0 and n < 1) or (j % 2 == 1 and n < 0):
                raise _Invalid("Invalid save parameters")
            values.append(n)
        pairs = [(values[j], values[j + 1] & 0xFFFFFFFF) for j in range(0, len(values), 2)]
        pairs = [(s, c - (1 << 32) if c > INT_MAX else c) for s, c in pairs]  # int changes
        if self._reading_file:
            # In a file the first 'save' line replaces the defaults; later ones add.
            base = [] if not self._save_loaded else list(old)  # type: ignore[arg-type]
            self._save_loaded = True
            return base + pairs
        return pairs

    _reading_file = False

    def _get_save(self) -> str:
        return " ".join(f"{s} {c}" for s, c in self.save)

    def _parse_client_output_buffer_limit(self, argv: list[str], old: object) -> dict:
        if len(argv) % 4:
            raise _Invalid("Wrong number of arguments in buffer limit configuration.")
        new = dict(old)  # type: ignore[call-overload]
        for j in range(0, len(argv), 4):
            cls = argv[j].lower()
            cls = "slave" if cls == "replica" else cls
            if cls not in ("normal", "slave", "pubsub"):
                raise _Invalid("Invalid client class specified in buffer limit configuration.")
            hard, soft = memtoull(argv[j + 1]), memtoull(argv[j + 2])
            secs = _strtoll_whole(argv[j + 3])
            if secs is not None:
                secs = (secs & 0xFFFFFFFF) - ((secs & 0x80000000) << 1)  # int soft_seconds
            if hard is None or soft is None or secs is None or secs < 0:
                raise _Invalid(
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration."
                )
            new[cls] = (hard, soft, secs)
        return new

    def _get_client_output_buffer_limit(self) -> str:
        return " ".join(
            f"{cls} {h} {s} {sec}" for cls, (h, s, sec) in self.client_output_buffer_limit.items()
        )

    def _parse_oom_score_adj_values(self, argv: list[str], old: object) -> list[int]:
        if len(argv) != 3:
            raise _Invalid("wrong number of arguments")
        values = []
        for a in argv:
            n = _strtoll_whole(a)
            if n is None or n < -2000 or n > 2000:
                raise _Invalid(
                    "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
                )
            values.append(n)
        return values

    def _get_oom_score_adj_values(self) -> str:
        return " ".join(str(v) for v in self.oom_score_adj_values)

    def _parse_notify_keyspace_events(self, argv: list[str], old: object) -> int:
        if len(argv) != 1:
            raise _Invalid("wrong number of arguments")
        flags = keyspace_events_from_string(argv[0])
        if flags is None:
            raise _Invalid("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
        return flags

    def _get_notify_keyspace_events(self) -> str:
        return keyspace_events_to_string(self.notify_keyspace_events)

    def _parse_bind(self, argv: list[str], old: object) -> list[str]:
        if len(argv) > CONFIG_BINDADDR_MAX:
            raise _Invalid("Too many bind addresses specified.")
        if len(argv) == 1 and argv[0] == "":
            return []
        return list(argv)

    def _get_bind(self) -> str:
        return " ".join(self.bind)

    def _parse_replicaof(self, argv: list[str], old: object) -> tuple[str, int] | None:
        if len(argv) != 2:
            raise _Invalid("wrong number of arguments")
        if argv[0].lower() == "no" and argv[1].lower() == "one":
            return None
        port = _strtoll_whole(argv[1])
        if port is None or port < 0 or port > 65535:
            raise _Invalid("Invalid master port")
        return (argv[0], port)

    def _get_replicaof(self) -> str:
        return "" if self.replicaof is None else f"{self.replicaof[0]} {self.replicaof[1]}"

    def _parse_latency_tracking_info_percentiles(self, argv: list[str], old: object) -> list:
        if len(argv) == 1 and argv[0] == "":
            return []
        values = []
        for a in argv:
            d = string2d(a.encode("utf-8", "surrogateescape"))
            if d is None:
                raise _Invalid("Invalid latency-tracking-info-percentiles parameters")
            if d > 100.0 or d < 0.0:
                raise _Invalid(
                    "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
                )
            values.append(d)
        return values

    def _get_latency_tracking_info_percentiles(self) -> str:
        return " ".join(_trim_double(v) for v in self.latency_tracking_info_percentiles)

    def _apply_builtin(self, p: Param) -> None:
        """What config.c's apply functions do to the stored value itself."""
        if p.name == "hz":
            object.__setattr__(self, "hz", min(max(self.hz, CONFIG_MIN_HZ), CONFIG_MAX_HZ))

    # -- CONFIG GET -----------------------------------------------------------

    def get(self, patterns: Iterable[str]) -> list[tuple[str, str]]:
        """CONFIG GET: every parameter matching any pattern, each once.

        A pattern without glob characters is looked up exactly (any case; the
        reply uses the name as the client typed it, and hidden parameters are
        found this way); a glob matches case-insensitively and never shows
        hidden parameters.
        """
        matches: dict[str, tuple[str, Param]] = {}  # lowercased name -> (reply name, param)
        for pattern in patterns:
            if not any(c in pattern for c in "[*?"):
                e = _BY_NAME.get(pattern.lower())
                if e and pattern.lower() not in matches:
                    matches[pattern.lower()] = (pattern, e.param)
                continue
            m = compile_glob(pattern.encode("utf-8", "surrogateescape"), True)
            for e in _ENTRIES:
                if HIDDEN in e.param.flags or e.name in matches:
                    continue
                if m(e.name.encode()):
                    matches[e.name] = (e.name, e.param)
        return [(name, self.format_value(p)) for name, p in matches.values()]

    # -- CONFIG SET -----------------------------------------------------------

    def on_change(self, name: str, fn: Callable[[object, object], None]) -> None:
        """Run ``fn(old, new)`` after CONFIG SET changes ``name`` (aliases included).

        ``fn`` may refuse the change by raising :class:`ConfigError`: the whole
        CONFIG SET is rolled back (values, and ``fn(new, old)`` for every
        callback that already ran, the failing one included, as config.c's
        restoreBackupConfig re-applies) and the client gets
        ``ERR CONFIG SET failed (possibly related to argument 'name') - <text>``;
        a ConfigError whose text already starts with ``ERR `` is passed through
        unchanged. Callbacks do not run for values read from files.
        """
        p = lookup(name)
        if p is None:
            raise KeyError(name)
        self._callbacks.setdefault(p.name, []).append(fn)

    def set(
        self, pairs: list[tuple[str, str]], *, local: bool = False, loading: bool = False
    ) -> None:
        """CONFIG SET name value [name value ...], all or nothing.

        Names and values are text; the server decodes what the client sent
        with ``utf-8``/``surrogateescape`` so any byte string round-trips.

        ``local`` says whether the client is on a loopback address or the unix
        socket (for PROTECTED parameters under ``enable-protected-configs
        local``); ``loading`` whether the server is loading its dataset.
        """
        found: list[tuple[_Entry, str]] = []
        unknown = None
        errstr = None
        err_name = None
        deny_loading = False
        invalid = False
        for name, value in pairs:
            e = _BY_NAME.get(name.lower())
            if e is None:
                if not invalid:
                    unknown = name
                    invalid = True
                continue
            if invalid:
                continue
            p = e.param
            if IMMUTABLE in p.flags or (
                PROTECTED in p.flags and not self._allowed(self.enable_protected_configs, local)
            ):
                errstr = (
                    "can't set immutable config"
                    if IMMUTABLE in p.flags
                    else ("can't set protected config")
                )
                err_name = name
                invalid = True
                continue
            if loading and DENY_LOADING in p.flags:
                deny_loading = invalid = True
                continue
            if any(prev is e for prev, _ in found):
                errstr, err_name, invalid = "duplicate parameter", name, True
            found.append((e, value))
        if invalid:
            if deny_loading:
                raise ConfigError("LOADING Redis is loading the dataset in memory")
            if unknown is not None:
                raise ConfigError(
                    f"ERR Unknown option or number of arguments for CONFIG SET - '{unknown}'"
                )
            raise ConfigError(
                f"ERR CONFIG SET failed (possibly related to argument '{err_name}') - {errstr}"
            )

        backup = {e.param.attr: copy.deepcopy(getattr(self, e.param.attr)) for e, _ in found}
        originals = dict(backup)
        changed: list[_Entry] = []
        for e, value in found:
            p = e.param
            argv = (value.split(" ") if value else []) if MULTI_ARG in p.flags else [value]
            try:
                if self._set(p, argv) and all(c.param is not p for c in changed):
                    changed.append(e)
            except _Invalid as err:
                self._restore(backup)
                raise ConfigError(
                    f"ERR CONFIG SET failed (possibly related to argument '{e.name}') - {err}"
                ) from None
        for e in changed:
            self._apply_builtin(e.param)
        ran: list[tuple[Callable, object, object]] = []
        for e in changed:
            p = e.param
            old, new = originals[p.attr], getattr(self, p.attr)
            for fn in self._callbacks.get(p.name, ()):
                ran.append((fn, old, new))
                try:
                    fn(old, new)
                except ConfigError as err:
                    self._restore(backup)
                    for undo, o, n in ran:
                        try:
                            undo(n, o)
                        except Exception as undo_err:  # config.c only logs these
                            print(
                                f"Failed applying restored failed CONFIG SET command: {undo_err}",
                                file=sys.stderr,
                            )
                    text = str(err)
                    if text.startswith("ERR "):
                        raise
                    msg = f"ERR CONFIG SET failed (possibly related to argument '{e.name}')"
                    raise ConfigError(f"{msg} - {text}" if text else msg) from None

    def _restore(self, backup: dict[str, object]) -> None:
        for attr, value in backup.items():
            object.__setattr__(self, attr, copy.deepcopy(value))

    @staticmethod
    def _allowed(setting: str, local: bool) -> bool:
        """config.c ``allowProtectedAction`` (also for enable-debug/lab-command)."""
        return setting == "yes" or (setting == "local" and local)

    def allows(self, name: str, local: bool) -> bool:
        """Whether enable-debug-command / enable-lab-command / enable-module-command
        / enable-protected-configs lets this client through."""
        p = lookup(name)
        assert p is not None and p.choices is PROTECTED_ACTION, name
        return self._allowed(getattr(self, p.attr), local)

    # -- redis.conf -----------------------------------------------------------

    def load_text(self, text: str, source: str = "config") -> None:
        """Apply redis.conf text (config.c ``loadServerConfigFromString``).

        ``source`` only names the text for the caller's messages. Values read
        here do not run :meth:`on_change` callbacks (the server is not running
        yet, as in Redis).
        """
        self._reading_file = True
        try:
            self._load_lines(text)
        finally:
            # Reset at the end of every text, an included file's too (as in C,
            # where a later 'save' line in the including file then replaces).
            self._reading_file = False
        if self.logfile:
            try:
                with open(os.path.join(self.dir, self.logfile), "a"):
                    pass
            except OSError as e:
                raise ConfigFileError(
                    f"Can't open the log file: {os.strerror(e.errno or 0)}"
                ) from None
        if self.cluster_enabled and self.replicaof is not None:
            raise ConfigFileError("replicaof directive not allowed in cluster mode")
        object.__setattr__(self, "hz", min(max(self.hz, CONFIG_MIN_HZ), CONFIG_MAX_HZ))

    def _load_lines(self, text: str) -> None:
        for i, raw in enumerate(text.split("\n")):
            line = raw.strip(" \t\r\n")
            if not line or line[0] == "#":
                continue
            argv = splitargs(line)
            if argv is None:
                raise ConfigFileError("Unbalanced quotes in configuration line", i + 1, line)
            if not argv:
                continue
            name = _ascii_lower(argv[0])
            try:
                self._directive(name, argv)
            except _Invalid as err:
                raise ConfigFileError(str(err), i + 1, line) from None

    def _directive(self, name: str, argv: list[str]) -> None:
        e = _BY_NAME.get(name)
        if e is not None:
            if MULTI_ARG not in e.param.flags and len(argv) != 2:
                raise _Invalid("wrong number of arguments")
            self._set(e.param, argv[1:])
            return
        argc = len(argv)
        if name in _DEPRECATED and argc == 2:
            return
        if name == "include" and argc == 2:
            self._include(argv[1])
        elif name == "rename-command" and argc == 3:
            if self.known_command is not None and not self.known_command(argv[1]):
                raise _Invalid("No such command in rename-command")
            self.rename_commands.append((argv[1], argv[2]))
        elif name == "user" and argc >= 2:
            self.users.append(argv[1:])
        elif name == "loadmodule" and argc >= 2:
            self.loadmodules.append(argv[1:])
        elif "." in name:
            if argc != 2:
                raise _Invalid("Module config specified without value")
            self.module_configs[name] = argv[1]
        elif name == "sentinel":
            if argc != 1:
                raise _Invalid("sentinel directive while not in sentinel mode")
        else:
            raise _Invalid("Bad directive or wrong number of arguments")

    def _include(self, path: str) -> None:
        full = os.path.join(self.dir, path)
        if any(c in path for c in "*?["):
            files = sorted(_fsglob.glob(full))
        else:
            files = [full]
        self.load_text("".join(_read_config_file(f) for f in files), source=path)

    def load_file(self, path: str) -> None:
        """Read a redis.conf file and remember it for CONFIG REWRITE."""
        text = _read_config_file(path)
        self.config_file = os.path.abspath(path)
        self.load_text(text, source=path)

    @classmethod
    def from_argv(cls, argv: list[str], stdin_text: str | None = None) -> Config:
        """The redis-server command line (without the program name).

        ``[config-file | -] [--name value [value ...]] ...``: the options are
        turned into config text appended after the file, the way ``main()``
        builds it (values are quoted with sdscatrepr, ``--save`` without a
        value means ``save ""``), so errors report the same line numbers.
        ``-`` reads the file from ``stdin_text`` (or sys.stdin).
        """
        config = cls()
        j = 0
        text = ""
        if argv and not argv[0].startswith("-"):
            config.config_file = os.path.abspath(argv[0])
            text = _read_config_file(config.config_file)
            j = 1
        options = ""
        handled_last = True
        from_stdin = False
        n = len(argv)
        while j < n:
            arg = argv[j]
            if arg == "-" and (j == 0 or j == n - 1):
                from_stdin = True
            elif handled_last and arg.startswith("--"):
                if options:
                    options += "\n"
                options += arg[2:] + " "
                words = splitargs(arg)
                if words is not None and len(words) == 1:
                    handled_last = False
                    nxt_is_opt = j != n - 1 and argv[j + 1].startswith("--")
                    if arg.lower() == "--save" and (nxt_is_opt or j == n - 1):
                        options += '""'
                        handled_last = nxt_is_opt
                    elif arg.lower() == "--sentinel" and nxt_is_opt:
                        handled_last = True
                else:
                    handled_last = True
            else:
                options += sdscatrepr(arg) + " "
                handled_last = True
            j += 1
        if from_stdin:
            text += stdin_text if stdin_text is not None else sys.stdin.read()
        config.load_text(text + "\n" + options, source="argv")
        return config

    # -- CONFIG REWRITE -------------------------------------------------------

    def rewrite(self) -> None:
        """CONFIG REWRITE: rewrite ``config_file`` keeping its comments and layout.

        As config.c does: lines of options we know are replaced in place by the
        current value (the first line of an option is reused, its other lines
        blanked); options whose value differs from the default, and ``save``,
        ``dir`` and set strings, are appended under ``# Generated by CONFIG
        REWRITE``; lines we cannot parse become ``# ??? line``; directives we
        do not rewrite (include, rename-command, loadmodule, sentinel) stay as
        they are; ``user`` lines are replaced by :meth:`acl_user_lines`; runs
        of blank lines shrink to one.
        """
        if self.config_file is None:
            raise ConfigError("ERR The server is running without a config file")
        try:
            content = self.rewritten_text(self.config_file)
            _overwrite(self.config_file, content)
        except OSError as e:
            raise ConfigError(f"ERR Rewriting config file: {os.strerror(e.errno or 0)}") from None

    def rewritten_text(self, path: str) -> str:
        """The new content :meth:`rewrite` would write over ``path``."""
        state = _RewriteState.read(path)
        for p in PARAMS:
            self._rewrite_param(p, state)
        if not self.aclfile:
            for line in self.acl_user_lines():
                state.line("user", line, True)
        state.processed.add("user")
        state.remove_orphaned()
        return state.content()

    def acl_user_lines(self) -> list[str]:
        """The ``user`` lines for CONFIG REWRITE: from the ACL module's hook, or
        else the default user as ``requirepass`` makes it plus the file's own
        ``user`` directives (sorted by name, like Redis's rax of users)."""
        if self.acl_rewrite_lines is not None:
            return self.acl_rewrite_lines()
        import hashlib

        if self.requirepass:
            digest = hashlib.sha256(self.requirepass.encode("utf-8", "surrogateescape"))
            default = f"user default on #{digest.hexdigest()} ~* &* +@all"
        else:
            default = "user default on nopass ~* &* +@all"
        lines = {"default": default}
        for argv in self.users:
            lines.setdefault(argv[0], "user " + " ".join(argv))
        return [lines[name] for name in sorted(lines)]

    def _rewrite_param(self, p: Param, st: _RewriteState) -> None:
        name, v = p.name, getattr(self, p.attr)
        if p.kind == "bool":
            st.line(name, f"{name} {'yes' if v else 'no'}", v != p.default)
        elif p.kind == "numeric":
            if "percent" in p.numflags and v < 0:
                st.line(name, f"{name} {-v}%", -v != p.default)
            elif "memory" in p.numflags:
                st.line(name, f"{name} {_format_memory(v)}", v != p.default)
            elif "octal" in p.numflags:
                st.line(name, f"{name} {v:o}", v != p.default)
            else:
                st.line(name, f"{name} {v}", v != p.default)
        elif p.kind == "flags":
            st.line(name, f"{name} {v}", v != p.default)
        elif p.kind == "enum":
            st.line(name, f"{name} {v}", dict(p.choices)[v] != dict(p.choices)[p.default])
        elif p.kind in ("string", "sds"):
            if v == "" and p.empty_is_null:
                st.processed.add(name)
                return
            st.line(name, f"{name} {sdscatrepr(v)}", p.default is None or v != p.default)
        elif name == "dir":
            st.line(name, f"{name} {sdscatrepr(v)}", True)
        elif name == "save":
            if not v:
                st.line(name, 'save ""', True)
            for s, c in v:
                st.line(name, f"save {s} {c}", True)
            st.processed.add(name)
        elif name == "client-output-buffer-limit":
            for cls, limits in v.items():
                h, s, sec = limits
                shown = "replica" if cls == "slave" else cls
                st.line(
                    name,
                    f"{name} {shown} {_format_memory(h)} {_format_memory(s)} {sec}",
                    limits != p.default[cls],  # type: ignore[index]
                )
        elif name == "oom-score-adj-values":
            st.line(name, f"{name} {' '.join(map(str, v))}", v != p.default)
        elif name == "notify-keyspace-events":
            st.line(name, f"{name} {sdscatrepr(keyspace_events_to_string(v))}", v != 0)
        elif name == "bind":
            if v == p.default:
                st.processed.add(name)
                return
            st.line(name, f"{name} {' '.join(v) if v else chr(34) * 2}", True)
        elif name == "replicaof":
            if self.cluster_enabled or v is None:
                st.processed.add(name)
                return
            st.line(name, f"{name} {v[0]} {v[1]}", True)
        elif name == "latency-tracking-info-percentiles":
            if not v:
                st.line(name, f'{name} ""', True)
            else:
                st.line(name, name + "".join(" " + _trim_double(x) for x in v), True)


REWRITE_SIGNATURE = "# Generated by CONFIG REWRITE"
_NOT_CONFIGS = {"include", "rename-command", "user", "loadmodule", "sentinel"}


class _RewriteState:
    """config.c ``struct rewriteConfigState``: the old file's lines and where
    each option appears in it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.option_lines: dict[str, list[int]] = {}
        self.processed: set[str] = set()
        self.needs_signature = True

    @classmethod
    def read(cls, path: str) -> _RewriteState:
        st = cls()
        try:
            with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
                text = f.read()
        except FileNotFoundError:
            return st
        if not text:
            return st
        for raw in text.split("\n"):
            line = raw.strip("\r\n\t ")
            if not line or line[0] == "#":
                if st.needs_signature and line == REWRITE_SIGNATURE:
                    st.needs_signature = False
                st.lines.append(line)
                continue
            argv = splitargs(line)
            if argv is None or (lookup(argv[0]) is None and argv[0].lower() not in _NOT_CONFIGS):
                st.lines.append("# ??? " + line)
                continue
            option = _ascii_lower(argv[0])
            st.lines.append(line)
            if "slave" in option:
                option = option.replace("slave", "replica", 1)
            entry = _BY_NAME.get(option)
            if entry is not None and entry.is_alias:
                option = entry.param.name  # an old name's line is reused for the new name
            st.option_lines.setdefault(option, []).append(len(st.lines) - 1)
        return st

    def line(self, option: str, line: str, force: bool) -> None:
        """config.c ``rewriteConfigRewriteLine``."""
        self.processed.add(option)
        where = self.option_lines.get(option)
        if not where and not force:
            return
        if where:
            self.lines[where.pop(0)] = line
            if not where:
                del self.option_lines[option]
        else:
            if self.needs_signature:
                self.lines.append(REWRITE_SIGNATURE)
                self.needs_signature = False
            self.lines.append(line)

    def remove_orphaned(self) -> None:
        for option, where in self.option_lines.items():
            if option in self.processed:
                for i in where:
                    self.lines[i] = ""

    def content(self) -> str:
        out = []
        was_empty = False
        for line in self.lines:
            if not line:
                if was_empty:
                    continue
                was_empty = True
            else:
                was_empty = False
            out.append(line + "\n")
        return "".join(out)


def _ascii_lower(s: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in s)


def _read_config_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            return f.read()
    except OSError as e:
        raise ConfigOpenError(path, e) from None


def _overwrite(path: str, content: str) -> None:
    """config.c ``rewriteConfigOverwriteFile``: temp file, fsync, chmod, rename."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
