"""Print replies exactly as ``redis-cli`` prints them.

redis-cli has two everyday output modes, chosen by ``isatty(stdout)`` unless
``--raw`` / ``--no-raw`` say otherwise:

* **standard** (a terminal): types are visible. ``(integer) 1``, ``(nil)``,
  ``(error) ERR ...``, bulk strings quoted with C-style escapes, aggregates
  numbered ``1)`` (arrays, pushes), ``1~`` (sets) or ``1#`` (maps, as
  ``key => value``), nested aggregates indented under their number.
* **raw** (a pipe or a file): bare values, one per line, nothing for nil.

A few commands whose replies are reports meant for eyes (``INFO``,
``CLIENT LIST``, ``MEMORY DOCTOR``...) are always printed raw; see
:func:`forces_raw`. Big numbers, which redis-cli 7.0 cannot print at all, are
shown as ``(big number) N`` like later redis-cli versions do.
"""

from __future__ import annotations

from .resp import BigNumber, Double, Error, Map, Push, Set, Status, Verbatim

STANDARD = "standard"
RAW = "raw"
CSV = "csv"


def repr_bytes(data: bytes) -> bytes:
    """redis's ``sdscatrepr``: quote, escape ``\\`` and ``"``, hex the unprintable."""
    out = bytearray(b'"')
    for byte in data:
        if byte == 0x5C or byte == 0x22:  # \ and "
            out += b"\\" + bytes([byte])
        elif byte == 0x0A:
            out += b"\\n"
        elif byte == 0x0D:
            out += b"\\r"
        elif byte == 0x09:
            out += b"\\t"
        elif byte == 0x07:
            out += b"\\a"
        elif byte == 0x08:
            out += b"\\b"
        elif 0x20 <= byte < 0x7F:
            out.append(byte)
        else:
            out += b"\\x%02x" % byte
    out += b'"'
    return bytes(out)


def _empty_name(reply: list) -> bytes:
    if isinstance(reply, Map):
        return b"(empty hash)\n"
    if isinstance(reply, Set):
        return b"(empty set)\n"
    if isinstance(reply, Push):
        return b"(empty push)\n"
    return b"(empty array)\n"


def format_standard(reply, prefix: bytes = b"") -> bytes:
    """The terminal format (redis-cli's ``cliFormatReplyTTY``)."""
    if reply is None:
        return b"(nil)\n"
    if isinstance(reply, Error):
        return b"(error) " + reply + b"\n"
    if isinstance(reply, Status | Verbatim):
        return bytes(reply) + b"\n"
    if isinstance(reply, Double):
        return b"(double) " + reply + b"\n"
    if isinstance(reply, BigNumber):
        return b"(big number) " + reply + b"\n"
    if isinstance(reply, bool):
        return b"(true)\n" if reply else b"(false)\n"
    if isinstance(reply, int):
        return b"(integer) %d\n" % reply
    if isinstance(reply, bytes):
        return repr_bytes(reply) + b"\n"
    if isinstance(reply, list):
        if not reply:
            return _empty_name(reply)
        return _format_aggregate(reply, prefix)
    return str(reply).encode() + b"\n"


def _format_aggregate(reply: list, prefix: bytes) -> bytes:
    is_map = isinstance(reply, Map)
    width = len(str(len(reply)))
    # Nested entries line up under the text after "N) ".
    child_prefix = prefix + b" " * (width + 2)
    sep = b"#" if is_map else b"~" if isinstance(reply, Set) else b")"
    out = bytearray()
    for i, item in enumerate(reply):
        # The first entry's line already carries the parent's number.
        out += (prefix if i else b"") + str(i + 1).rjust(width).encode() + sep + b" "
        if is_map:
            key, value = item
            out += format_standard(key, child_prefix)[:-1] + b" => "
            if _multiline(value):
                # A value spanning lines starts on its own line, aligned.
                out += b"\n" + child_prefix
            out += format_standard(value, child_prefix)
        else:
            out += format_standard(item, child_prefix)
    return bytes(out)


def _multiline(reply) -> bool:
    """Whether a map value prints on several lines (redis-cli's cliIsMultilineValueTTY)."""
    if isinstance(reply, Map):
        if not reply:
            return False
        return len(reply) > 1 or _multiline(reply[0][1])
    if isinstance(reply, list):
        if not reply:
            return False
        return len(reply) > 1 or _multiline(reply[0])
    return False


def format_raw(reply, delimiter: bytes = b"\n") -> bytes:
    """The pipe format (redis-cli's ``cliFormatReplyRaw``), without the final newline."""
    if reply is None:
        return b""
    if isinstance(reply, Error):
        return bytes(reply) + b"\n"
    if isinstance(reply, bool):
        return b"(true)" if reply else b"(false)"
    if isinstance(reply, int):
        return b"%d" % reply
    if isinstance(reply, bytes):
        return bytes(reply)
    if isinstance(reply, Map):
        return delimiter.join(
            format_raw(k, delimiter) + b" " + format_raw(v, delimiter) for k, v in reply
        )
    if isinstance(reply, list):
        return delimiter.join(format_raw(item, delimiter) for item in reply)
    return str(reply).encode()


def _csv_string(data: bytes) -> bytes:
    return repr_bytes(data)


def format_csv(reply) -> bytes:
    """``--csv``: comma separated, strings quoted like the terminal format."""
    if reply is None:
        return b"NULL"
    if isinstance(reply, Error):
        return b"ERROR," + _csv_string(bytes(reply))
    if isinstance(reply, bool):
        return b"true" if reply else b"false"
    if isinstance(reply, int):
        return b"%d" % reply
    if isinstance(reply, Status | Double | BigNumber):
        return bytes(reply) if not isinstance(reply, Status) else _csv_string(bytes(reply))
    if isinstance(reply, bytes):
        return _csv_string(bytes(reply))
    if isinstance(reply, Map):
        return b",".join(format_csv(k) + b"," + format_csv(v) for k, v in reply)
    if isinstance(reply, list):
        return b",".join(format_csv(item) for item in reply)
    return str(reply).encode()


def format_reply(reply, mode: str = STANDARD) -> bytes:
    """A whole reply as redis-cli writes it to stdout, final newline included."""
    if mode == RAW:
        return format_raw(reply) + b"\n"
    if mode == CSV:
        return format_csv(reply) + b"\n"
    return format_standard(reply)


def forces_raw(args: list[str]) -> bool:
    """Commands whose report-style replies redis-cli always prints raw."""
    if not args:
        return False
    name = args[0].lower()
    sub = args[1].lower() if len(args) > 1 else ""
    argc = len(args)
    return (
        name in ("info", "lolwut")
        or (name == "debug" and sub in ("htstats", "htstats-key", "client-eviction"))
        or (name == "memory" and sub in ("malloc-stats", "doctor"))
        or (name == "cluster" and argc == 2 and sub in ("nodes", "info"))
        or (name == "client" and sub in ("list", "info"))
        or (
            name == "latency"
            and ((argc == 3 and sub == "graph") or (argc == 2 and sub == "doctor"))
        )
        or (name == "proxy" and sub == "info")
    )
