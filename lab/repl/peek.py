"""``PEEK key``: one look at a key, built from ordinary commands.

Works on any server because it only uses TYPE, OBJECT ENCODING, MEMORY USAGE,
PTTL, OBJECT IDLETIME/FREQ, the type's length command and a bounded read of
its first elements. On our server ``MEMORY USAGE`` is the modelled Redis
memory (what Redis would allocate), on a real Redis it is Redis's own
estimate; either way the line says which. Runs on a side connection so a
``MULTI`` in progress is not disturbed.
"""

from __future__ import annotations

from . import format as fmt
from .resp import Error, to_text

LENGTH = {
    "string": ("STRLEN", "bytes"),
    "list": ("LLEN", "elements"),
    "hash": ("HLEN", "fields"),
    "set": ("SCARD", "members"),
    "zset": ("ZCARD", "members"),
    "stream": ("XLEN", "entries"),
}
PREVIEW = 5


def _first(conn, kind: str, key: bytes):
    if kind == "string":
        return conn.execute("GETRANGE", key, "0", "63")
    if kind == "list":
        return conn.execute("LRANGE", key, "0", str(PREVIEW - 1))
    if kind == "hash":
        reply = conn.execute("HSCAN", key, "0", "COUNT", str(PREVIEW))
        return reply[1][: PREVIEW * 2] if isinstance(reply, list) and len(reply) == 2 else reply
    if kind == "set":
        reply = conn.execute("SSCAN", key, "0", "COUNT", str(PREVIEW))
        return reply[1][:PREVIEW] if isinstance(reply, list) and len(reply) == 2 else reply
    if kind == "zset":
        return conn.execute("ZRANGE", key, "0", str(PREVIEW - 1), "WITHSCORES")
    if kind == "stream":
        return conn.execute("XRANGE", key, "-", "+", "COUNT", "3")
    return None


def _ttl(pttl) -> str:
    if not isinstance(pttl, int) or pttl == -1:
        return "no expiry"
    if pttl == -2:
        return "expired"
    if pttl >= 1000:
        return f"{pttl / 1000:.1f} s ({pttl} ms)"
    return f"{pttl} ms"


def peek(conn, key: bytes, lab_server: bool = False) -> bytes:
    """The report for one key, as text lines (bytes)."""
    kind = to_text(conn.execute("TYPE", key))
    if kind == "none":
        return b"(no such key) " + fmt.repr_bytes(key) + b"\n"
    encoding = conn.execute("OBJECT", "ENCODING", key)
    memory = conn.execute("MEMORY", "USAGE", key)
    pttl = conn.execute("PTTL", key)
    idle = conn.execute("OBJECT", "IDLETIME", key)
    lines = [
        ("key", fmt.repr_bytes(key).decode("utf-8", "replace")),
        ("type", kind),
        ("encoding", to_text(encoding) if not isinstance(encoding, Error) else "?"),
    ]
    if isinstance(memory, int):
        source = "modelled" if lab_server else "MEMORY USAGE"
        lines.append(("memory", f"{memory} bytes ({source})"))
    lines.append(("ttl", _ttl(pttl)))
    if isinstance(idle, int):
        lines.append(("idle", f"{idle} s"))
    else:
        freq = conn.execute("OBJECT", "FREQ", key)
        if isinstance(freq, int):
            lines.append(("lfu freq", str(freq)))
    length_cmd = LENGTH.get(kind)
    if length_cmd:
        length = conn.execute(length_cmd[0], key)
        if isinstance(length, int):
            lines.append(("length", f"{length} {length_cmd[1]}"))
    out = "".join(f"{name:>9}: {value}\n" for name, value in lines).encode()
    first = _first(conn, kind, key)
    if first is not None and not isinstance(first, Error):
        label = "value" if kind == "string" else "first"
        body = fmt.format_standard(first, b" " * 11)
        out += f"{label:>9}: ".encode() + body
    return out
