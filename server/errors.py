"""Every error string the server sends, spelled exactly as Redis 7.0 spells them.

Keeping them in one module means a test can read them, a reviewer can compare
them with Redis's ``server.c``/``networking.c``, and a typo shows up once.

Handlers raise :class:`CommandError`; the dispatcher turns it into a RESP error
reply and counts it in ``INFO errorstats`` under its first word (``ERR``,
``WRONGTYPE``, ...), as Redis does.
"""

from __future__ import annotations


class CommandError(Exception):
    """A reply error: ``str(self)`` is the text after the leading ``-``."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def err(message: str) -> CommandError:
    """An ``ERR``-prefixed error, as Redis's ``addReplyError`` adds one."""
    return CommandError("ERR " + message)


# Shared error objects of server.c (createSharedObjects).
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOKEY = "ERR no such key"
SYNTAX = "ERR syntax error"
SAMEOBJECT = "ERR source and destination objects are the same"
OUTOFRANGE = "ERR index out of range"
NOAUTH = "NOAUTH Authentication required."
OOM = "OOM command not allowed when used memory > 'maxmemory'."
EXECABORT = "EXECABORT Transaction discarded because of previous errors."
BUSYKEY = "BUSYKEY Target key name already exists."
LOADING = "LOADING Redis is loading the dataset in memory"
WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled."

# Transactions (multi.c, server.c).
MULTI_NESTED = "ERR MULTI calls can not be nested"
EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI"
DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI"
WATCH_INSIDE_MULTI = "ERR WATCH inside MULTI is not allowed"
NO_MULTI = "ERR Command not allowed inside a transaction"
NOPROTO = "NOPROTO unsupported protocol version"

# Number parsing (object.c).
NOT_INTEGER = "ERR value is not an integer or out of range"
NOT_FLOAT = "ERR value is not a valid float"
OVERFLOW = "ERR increment or decrement would overflow"
INCR_NAN_OR_INF = "ERR increment would produce NaN or Infinity"
DB_OUT_OF_RANGE = "ERR DB index is out of range"
TIMEOUT_NEGATIVE = "ERR timeout is negative"
TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range"
STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
OFFSET_OUT_OF_RANGE = "ERR offset is out of range"

# Lists and blocking operations (t_list.c, blocked.c).
UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
LPOS_RANK_ZERO = (
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
    "or use negative to start from the end of the list"
)
LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative"
LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative"

# Hashes and sets (t_hash.c, t_set.c) and getRangeLongFromObjectOrReply (object.c).
HASH_NOT_INTEGER = "ERR hash value is not an integer"
HASH_NOT_FLOAT = "ERR hash value is not a float"
VALUE_NAN_OR_INF = "ERR value is NaN or Infinity"
VALUE_OUT_OF_RANGE = "ERR value is out of range"
MUST_BE_POSITIVE = "ERR value is out of range, must be positive"
NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0"
NUMKEYS_TOO_MANY = "ERR Number of keys can't be greater than number of args"
LIMIT_NEGATIVE = "ERR LIMIT can't be negative"
# Ours: Redis would build a reply of that many elements until memory runs out.
RANDOM_REPLY_TOO_LARGE = "ERR count is too large: at most %d random elements per reply"

# Sorted sets (t_zset.c).
ZRANGE_NOT_FLOAT = "ERR min or max is not a float"
ZRANGE_LEX_INVALID = "ERR min or max not valid string range item"
ZADD_NAN = "ERR resulting score is not a number (NaN)"
ZADD_XX_NX = "ERR XX and NX options at the same time are not compatible"
ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible"
ZADD_INCR_PAIRS = "ERR INCR option supports a single increment-element pair"
WEIGHT_NOT_FLOAT = "ERR weight value is not a float"
ZRANGE_LIMIT_NEEDS_BY = (
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
)
ZRANGE_WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
COUNT_NOT_POSITIVE = "ERR count should be greater than 0"

AUTH_NO_PASSWORD = (
    "ERR AUTH <password> called without any password configured for the default user. "
    "Are you sure your configuration is correct?"
)
HELLO_NOAUTH = (
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
    "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
    "select the RESP protocol version at the same time"
)
MAX_CLIENTS = "ERR max number of clients reached"
PROTECTED_MODE = (
    "DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from "
    "the loopback interface. If you want to connect from external computers to Redis you may "
    "adopt one of the following solutions: 1) Just disable protected mode sending the command "
    "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from "
    "the same host the server is running, however MAKE SURE Redis is not publicly accessible "
    "from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
    "Alternatively you can just disable the protected mode by editing the Redis configuration "
    "file, and setting the protected mode option to 'no', and then restarting the server. 3) If "
    "you started the server manually just for testing, restart it with the '--protected-mode "
    "no' option. 4) Set up an authentication password for the default user. NOTE: You only need "
    "to do one of the above things in order for the server to start accepting connections from "
    "the outside."
)

# Protocol errors (networking.c). They are sent as "-ERR <text>" and the
# connection is closed after the reply.
PROTO_TOO_BIG_INLINE = "Protocol error: too big inline request"
PROTO_UNBALANCED_QUOTES = "Protocol error: unbalanced quotes in request"
PROTO_TOO_BIG_MBULK_COUNT = "Protocol error: too big mbulk count string"
PROTO_INVALID_MBULK = "Protocol error: invalid multibulk length"
PROTO_TOO_BIG_BULK_COUNT = "Protocol error: too big bulk count string"
PROTO_EXPECTED_DOLLAR = "Protocol error: expected '$', got '%c'"
PROTO_INVALID_BULK = "Protocol error: invalid bulk length"
# Before AUTH, Redis 7.0.15 names the limit it applies (CVE-2021-32675 hardening).
PROTO_UNAUTH_MBULK = "Protocol error: unauthenticated multibulk length"
PROTO_UNAUTH_BULK = "Protocol error: unauthenticated bulk length"


def unknown_command(argv: list[bytes]) -> CommandError:
    """``ERR unknown command 'x', with args beginning with: 'a' 'b' `` (server.c)."""
    args = ""
    i = 1
    while i < len(argv) and len(args) < 128:
        room = 128 - len(args)
        args += "'%s' " % _text(argv[i])[:room]
        i += 1
    msg = "unknown command '%s', with args beginning with: %s" % (_text(argv[0])[:128], args)
    return err(_one_line(msg))


def unknown_subcommand(container: bytes, sub: bytes) -> CommandError:
    msg = "unknown subcommand '%s'. Try %s HELP." % (
        _text(sub)[:128],
        _text(container).upper(),
    )
    return err(_one_line(msg))


def subcommand_syntax(container: str, sub: bytes) -> CommandError:
    """The help-pointing error of ``addReplySubcommandSyntaxError``."""
    msg = "unknown subcommand or wrong number of arguments for '%s'. Try %s HELP." % (
        _text(sub)[:128],
        container.upper(),
    )
    return err(_one_line(msg))


def wrong_arity(fullname: str) -> CommandError:
    return err("wrong number of arguments for '%s' command" % fullname)


def protected_not_allowed(option: str) -> CommandError:
    """processCommand's rejection of DEBUG / MODULE (and LAB) by their enable-* option."""
    name = option.removeprefix("enable-").removesuffix("-command").upper()
    return err(
        f'{name} command not allowed. If the {option} option is set to "local", you can run it '
        "from a local connection, otherwise you need to set this option in the configuration "
        "file, and then restart the server."
    )


def invalid_expire(cmdname: str) -> CommandError:
    return err("invalid expire time in '%s' command" % cmdname)


def value_out_of_range(lo: int, hi: int) -> CommandError:
    """getRangeLongFromObjectOrReply's default message (sic: "must between")."""
    return err(f"value is out of range, value must between {lo} and {hi}")


def _text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape") if isinstance(b, bytes | bytearray) else str(b)


def _one_line(s: str) -> str:
    # rejectCommandFormat: "Make sure there are no newlines in the string,
    # otherwise invalid protocol is emitted."
    return s.replace("\r", " ").replace("\n", " ")


def pubsub_context(fullname: str) -> CommandError:
    """A RESP2 client in subscribed mode ran something other than (un)subscribing."""
    return err(
        "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
        "are allowed in this context" % fullname
    )
