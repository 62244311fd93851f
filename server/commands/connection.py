"""Connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO."""

from __future__ import annotations

from .. import errors
from ..errors import CommandError
from ..numbers import string2ll
from ..protocol.replies import OK, PONG, Map, Status
from ..server import LAB_VERSION, NO_REPLY, REDIS_VERSION
from .registry import command


@command("ping")
def ping(c, argv):
    """PING [message]: PONG, or the message as a bulk string.

    A RESP2 client in subscribed mode gets ["pong", message] instead (pubsub).
    """
    if len(argv) > 2:
        raise errors.wrong_arity("ping")
    if c.subscribed and c.resp == 2:
        return [b"pong", argv[1] if len(argv) == 2 else b""]
    if len(argv) == 2:
        return argv[1]
    return PONG


@command("echo")
def echo(c, argv):
    return argv[1]


@command("quit")
def quit_(c, argv):
    """QUIT: reply OK, then close once the reply is written."""
    c.close_after_reply = True
    return OK


@command("select")
def select(c, argv):
    from .keys import parse_db_index

    dbid = parse_db_index(argv[1])
    if dbid < 0 or dbid >= len(c.server.dbs):
        raise CommandError(errors.DB_OUT_OF_RANGE)
    c.db = c.server.dbs[dbid]
    return OK


@command("reset")
def reset(c, argv):
    """RESET: back to a new connection's state (db 0, RESP2, no name, reply on...)."""
    server = c.server
    c.db = server.dbs[0]
    c.resp = 2
    c.name = b""
    c.reply_off = c.reply_skip = c.reply_skip_next = False
    c.mute = False
    c.no_evict = False
    if c.monitor:
        c.monitor = False
        if c in server.monitors:
            server.monitors.remove(c)
    if c.subscribed:
        from ..pubsub import forget_client

        forget_client(server, c)
    if server.auth_required():
        c.authenticated = False
        c.reader.authenticated = False
        c.reader.rewind()  # frames split ahead were parsed with an authenticated client's limits
    c.user = "default"
    from ..multi import discard_transaction

    discard_transaction(c)  # leaves MULTI and unwatches every key
    return Status("RESET")


def _authenticate(c, username: bytes, password: bytes) -> None:
    server = c.server
    if not server.check_password(username, password):
        raise CommandError(errors.WRONGPASS)
    c.authenticated = True
    c.reader.authenticated = True
    c.user = username.decode("utf-8", "surrogateescape")


@command("auth")
def auth(c, argv):
    """AUTH [username] password (the ACL form takes a username)."""
    if len(argv) > 3:
        raise CommandError(errors.SYNTAX)
    if len(argv) == 2:
        if not c.server.config.requirepass:
            raise CommandError(errors.AUTH_NO_PASSWORD)
        _authenticate(c, b"default", argv[1])
    else:
        _authenticate(c, argv[1], argv[2])
    return OK


# Redis 7.0's wording (7.2 says "HELLO <proto> AUTH"), kept here because
# clients and tests match it byte for byte.
HELLO_NOAUTH = (
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
    "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
    "the RESP protocol version at the same time"
)


@command("hello")
def hello(c, argv):
    """HELLO [protover [AUTH username password] [SETNAME clientname]]."""
    ver = 0
    if len(argv) >= 2:
        v = string2ll(argv[1])
        if v is None:
            raise CommandError("ERR Protocol version is not an integer or out of range")
        ver = v
        if ver < 2 or ver > 3:
            raise CommandError(errors.NOPROTO)
    i = 2
    setname = None
    creds = None
    while i < len(argv):
        opt = argv[i].lower()
        more = len(argv) - i - 1
        if opt == b"auth" and more >= 2:
            creds = (argv[i + 1], argv[i + 2])
            i += 3
        elif opt == b"setname" and more >= 1:
            setname = argv[i + 1]
            i += 2
        else:
            raise CommandError(
                "ERR Syntax error in HELLO option '%s'" % argv[i].decode("utf-8", "surrogateescape")
            )
    if creds is not None:
        _authenticate(c, *creds)
    if not c.authenticated:
        raise CommandError(HELLO_NOAUTH)
    if setname is not None:
        from .client_cmd import validate_name

        validate_name(setname)
        c.name = setname
    if ver:
        c.resp = ver
    return Map(
        [
            ("server", "redis"),
            ("version", REDIS_VERSION),
            ("proto", c.resp),
            ("id", c.id),
            ("mode", "standalone"),
            ("role", "master"),
            ("modules", []),
        ]
    )


__all__ = ["LAB_VERSION", "NO_REPLY"]
