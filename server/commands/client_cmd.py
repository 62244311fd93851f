"""CLIENT: connection introspection and control (networking.c clientCommand)."""

from __future__ import annotations

from .. import errors
from ..errors import CommandError
from ..memory import client_buffers
from ..numbers import string2ll
from ..protocol.replies import OK, Map, Set, Status, Verbatim
from ..server import NO_REPLY
from .registry import command

# Reply buffer model for CLIENT LIST: Redis gives each client a 16 KiB static
# reply buffer (PROTO_REPLY_CHUNK_BYTES) and a query buffer that starts at
# PROTO_IOBUF_LEN; these are the figures a learner will see in real Redis.
PROTO_REPLY_CHUNK_BYTES = 16 * 1024
CLIENT_STRUCT_BYTES = 1024 * 20  # rough size of struct client + its fixed buffers


def validate_name(name: bytes) -> None:
    """clientSetName: names are printable ASCII without spaces."""
    for ch in name:
        if ch < 33 or ch > 126:
            raise CommandError(
                "ERR Client names cannot contain spaces, newlines or special characters."
            )


def client_flags(c) -> str:
    """The ``flags=`` letters, in the order networking.c writes them."""
    f = ""
    if c.monitor:
        f += "O"
    if c.subscribed:
        f += "P"
    if c.mstate is not None:
        f += "x"
    if c.blocked:
        f += "b"
    if c.dirty_cas:
        f += "d"
    if c.close_after_reply:
        f += "c"
    if c.no_evict:
        f += "e"
    return f or "N"


def client_info_string(server, c) -> str:
    now = server.clock.ms()
    qbuf, qbuf_free, omem, tot = client_buffers(c)  # the memory model's figures
    cmd = c.last_cmd.fullname if c.last_cmd is not None else "NULL"
    ms = c.mstate
    multi = -1 if ms is None else len(ms.commands)
    multi_mem = 0 if ms is None else ms.argv_len_sums
    events = "rw" if omem else "r"
    return (
        f"id={c.id} addr={c.addr} laddr={c.laddr} fd={c.fd} "
        f"name={c.name.decode('utf-8', 'surrogateescape')} "
        f"age={(now - c.ctime) // 1000} idle={(now - c.last_interaction) // 1000} "
        f"flags={client_flags(c)} db={c.db.id} sub={len(c.channels)} psub={len(c.patterns)} "
        f"ssub={len(c.shard_channels)} multi={multi} "
        f"qbuf={qbuf} qbuf-free={qbuf_free} argv-mem={c.argv_mem} multi-mem={multi_mem} "
        f"rbs={PROTO_REPLY_CHUNK_BYTES} rbp={PROTO_REPLY_CHUNK_BYTES} obl=0 oll={len(c.out)} "
        f"omem={omem} tot-mem={tot} events={events} cmd={cmd} user={c.user} redir=-1 "
        f"resp={c.resp}"
    )


def client_type(c) -> str:
    return "pubsub" if c.subscribed else "normal"


_HELP = [
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Tracking of keys for the next command (client-side caching; not built yet).",
    "GETREDIR",
    "    The id of the client tracking invalidations are redirected to (-1: none).",
    "GETNAME",
    "    This connection's name.",
    "ID",
    "    This connection's id.",
    "INFO",
    "    One line describing this connection, as CLIENT LIST prints it.",
    "KILL <ip:port>",
    "    Close the connection from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Close every connection matching all the filters:",
    "    * ID <client-id> [...]",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "    * USER <username>",
    "    * SKIPME (YES|NO)   (default: yes, this connection is spared)",
    "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> [...]]",
    "    One line per connection.",
    "UNPAUSE",
    "    End a CLIENT PAUSE now.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Hold the commands of every client (or only writes) for <timeout> ms.",
    "REPLY (ON|OFF|SKIP)",
    "    Turn this connection's replies off, on, or skip the next one.",
    "SETNAME <name>",
    "    Name this connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Wake a client blocked in BLPOP & co., as if it timed out or with an error.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Client-side caching (not built yet).",
    "TRACKINGINFO",
    "    Client-side caching state of this connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect this connection from client eviction.",
    "HELP",
    "    Print this help.",
]


@command("client|help")
def client_help(c, argv):
    return [Status(line) for line in _HELP]


@command("client|id")
def client_id(c, argv):
    return c.id


@command("client|info")
def client_info(c, argv):
    c.argv_mem = sum(map(len, argv))  # the running command's arguments (argv-mem)
    try:
        return Verbatim(client_info_string(c.server, c) + "\n")
    finally:
        c.argv_mem = 0


@command("client|list")
def client_list(c, argv):
    c.argv_mem = sum(map(len, argv))  # the running command's arguments (argv-mem)
    try:
        return _client_list(c, argv)
    finally:
        c.argv_mem = 0


def _client_list(c, argv):
    server = c.server
    wanted_type = None
    ids = None
    if len(argv) == 4 and argv[2].lower() == b"type":
        wanted_type = argv[3].decode("utf-8", "surrogateescape").lower()
        if wanted_type == "slave":
            wanted_type = "replica"
        if wanted_type not in ("normal", "master", "replica", "pubsub"):
            raise CommandError(
                "ERR Unknown client type '%s'" % argv[3].decode("utf-8", "surrogateescape")
            )
    elif len(argv) > 3 and argv[2].lower() == b"id":
        ids = set()
        for raw in argv[3:]:
            v = string2ll(raw)
            if v is None:  # 0 and negative ids parse, and match no client
                raise CommandError("ERR Invalid client ID")
            ids.add(v)
    elif len(argv) != 2:
        raise CommandError(errors.SYNTAX)
    lines = []
    for cl in sorted(server.clients.values(), key=lambda x: x.id):
        if wanted_type is not None and client_type(cl) != wanted_type:
            continue
        if ids is not None and cl.id not in ids:
            continue
        lines.append(client_info_string(server, cl) + "\n")
    return Verbatim("".join(lines))


@command("client|setname")
def client_setname(c, argv):
    validate_name(argv[2])
    c.name = argv[2]
    return OK


@command("client|getname")
def client_getname(c, argv):
    return c.name if c.name else None


@command("client|getredir")
def client_getredir(c, argv):
    return -1


@command("client|trackinginfo")
def client_trackinginfo(c, argv):
    return Map([("flags", Set([b"off"])), ("redirect", -1), ("prefixes", [])])


@command("client|reply")
def client_reply(c, argv):
    mode = argv[2].lower()
    if mode == b"on":
        c.reply_off = c.reply_skip = c.reply_skip_next = False
        c.mute = False
        return OK
    if mode == b"off":
        c.reply_off = True
        c.mute = True
        return NO_REPLY
    if mode == b"skip":
        if not c.reply_off:
            c.reply_skip_next = True
        return NO_REPLY
    raise CommandError(errors.SYNTAX)


@command("client|no-evict")
def client_no_evict(c, argv):
    v = argv[2].lower()
    if v == b"on":
        c.no_evict = True
    elif v == b"off":
        c.no_evict = False
    else:
        raise CommandError(errors.SYNTAX)
    return OK


@command("client|pause")
def client_pause(c, argv):
    """CLIENT PAUSE timeout [WRITE|ALL]: hold clients' commands until the time passes."""
    timeout = string2ll(argv[2])
    if timeout is None:
        raise CommandError("ERR timeout is not an integer or out of range")
    if timeout < 0:
        raise CommandError("ERR timeout is negative")
    kind = "all"
    if len(argv) == 4:
        m = argv[3].lower()
        if m == b"write":
            kind = "write"
        elif m != b"all":
            raise CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL")
    elif len(argv) > 4:
        raise errors.subcommand_syntax("client", argv[1])
    server = c.server
    end = server.clock.ms() + timeout
    # pauseClients: a later pause can extend the time and widen WRITE to ALL, never shrink.
    if server.pause_type is None or end > server.pause_end_ms:
        server.pause_end_ms = end
    if server.pause_type != "all":
        server.pause_type = kind
    return OK


@command("client|unpause")
def client_unpause(c, argv):
    c.server.unpause()
    return OK


@command("client|unblock")
def client_unblock(c, argv):
    # Redis checks the argument count, then the reason, then the id.
    if len(argv) > 4:
        raise errors.subcommand_syntax("client", argv[1])
    err = False
    if len(argv) == 4:
        r = argv[3].lower()
        if r == b"error":
            err = True
        elif r != b"timeout":
            raise CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
    target = string2ll(argv[2])
    if target is None:
        raise CommandError(errors.NOT_INTEGER)
    cl = c.server.clients.get(target)
    if cl is None or not cl.blocked:
        return 0
    from ..blocking import client_unblock as unblock_blocked_client

    return int(unblock_blocked_client(cl, error=err))


def _kill_filters(c, argv):
    """Parse CLIENT KILL's old (addr) and new (filter pairs) forms."""
    if len(argv) == 3:
        return {"addr": argv[2].decode("utf-8", "surrogateescape"), "skipme": False}, True
    f: dict = {"skipme": True}
    i = 2
    while i < len(argv):
        if i + 1 >= len(argv):
            raise CommandError(errors.SYNTAX)
        opt = argv[i].lower()
        val = argv[i + 1]
        text = val.decode("utf-8", "surrogateescape")
        if opt == b"id":
            v = string2ll(val)
            if v is None or v <= 0:
                raise CommandError("ERR client-id should be greater than 0")
            f["id"] = v
        elif opt == b"type":
            t = text.lower()
            if t == "slave":
                t = "replica"
            if t not in ("normal", "master", "replica", "pubsub"):
                raise CommandError("ERR Unknown client type '%s'" % text)
            f["type"] = t
        elif opt == b"addr":
            f["addr"] = text
        elif opt == b"laddr":
            f["laddr"] = text
        elif opt == b"user":
            # Without ACL users, "default" is the only user there is.
            if text not in getattr(c.server, "acl_users", ("default",)):
                raise CommandError("ERR No such user '%s'" % text)
            f["user"] = text
        elif opt == b"skipme":
            s = val.lower()
            if s == b"yes":
                f["skipme"] = True
            elif s == b"no":
                f["skipme"] = False
            else:
                raise CommandError(errors.SYNTAX)
        else:
            raise CommandError(errors.SYNTAX)
        i += 2
    return f, False


@command("client|kill")
def client_kill(c, argv):
    f, old_form = _kill_filters(c, argv)
    server = c.server
    killed = 0
    for cl in list(server.clients.values()):
        if "addr" in f and cl.addr != f["addr"]:
            continue
        if "laddr" in f and cl.laddr != f["laddr"]:
            continue
        if "id" in f and cl.id != f["id"]:
            continue
        if "type" in f and client_type(cl) != f["type"]:
            continue
        if "user" in f and cl.user != f["user"]:
            continue
        if cl is c and f["skipme"]:
            continue
        killed += 1
        if cl is c:
            c.close_after_reply = True
        else:
            cl.flush()
            cl.close()
    if old_form:
        if killed == 0:
            raise CommandError("ERR No such client")
        return OK
    return killed
