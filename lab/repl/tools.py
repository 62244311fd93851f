"""redis-cli's tool modes: ``--stat``, ``--latency(-history)``, ``--bigkeys``,
``--memkeys`` and ``--scan``.

Each is a loop of ordinary commands (INFO, PING, SCAN, TYPE, MEMORY USAGE),
which is the lesson: everything redis-cli "knows" about a server it asks for
through the same protocol any client uses. Ctrl-C ends a loop with status 0.
"""

from __future__ import annotations

import sys
import time

from . import format as fmt
from .options import Options, output_mode
from .resp import Error, to_text
from .session import Session

LATENCY_SAMPLE_SECONDS = 0.01  # redis-cli's LATENCY_SAMPLE_RATE (10 ms)
LATENCY_HISTORY_SECONDS = 15.0  # redis-cli's LATENCY_HISTORY_DEFAULT_INTERVAL

# In redis-cli's order (its summary lists types in this order).
SIZE_COMMAND = {
    "list": ("LLEN", "items"),
    "hash": ("HLEN", "fields"),
    "string": ("STRLEN", "bytes"),
    "stream": ("XLEN", "entries"),
    "set": ("SCARD", "members"),
    "zset": ("ZCARD", "members"),
}


def run(opts: Options) -> int:
    session = Session(opts, output=output_mode(opts))
    if not session.connect():
        return 1
    tool = {
        "stat": stat,
        "latency": latency,
        "latency-history": latency,
        "bigkeys": bigkeys,
        "memkeys": bigkeys,
        "scan": scan,
    }[opts.mode]
    try:
        return tool(session, opts)
    except KeyboardInterrupt:
        return 0
    finally:
        session.close()


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def human_bytes(n: float) -> str:
    """Like redis's bytesToHuman: 1023B, 1.00K, 2.50M, ..."""
    for unit in ("B", "K", "M", "G", "T", "P"):
        if n < 1024 or unit == "P":
            return f"{int(n)}{unit}" if unit == "B" else f"{n:.2f}{unit}"
        n /= 1024
    return f"{n:.2f}P"


def info_fields(session: Session) -> dict[str, str]:
    reply = session.call([b"INFO"])
    if isinstance(reply, Error) or not isinstance(reply, bytes):
        return {}
    fields = {}
    for line in reply.decode(errors="replace").splitlines():
        if ":" in line and not line.startswith("#"):
            name, value = line.split(":", 1)
            fields[name] = value
    return fields


def stat(session: Session, opts: Options) -> int:
    """``--stat``: one line per interval with keys, memory, clients, requests."""
    interval = opts.interval if opts.interval_given and opts.interval > 0 else 1.0
    previous_requests = None
    line = 0
    while True:
        info = info_fields(session)
        if line % 20 == 0:
            _out(
                "------- data ------ --------------------- load -------------------- - child -\n"
                "keys       mem      clients blocked requests            connections          \n"
            )
        keys = 0
        for name, value in info.items():
            if name.startswith("db") and "keys=" in value:
                keys += int(value.split("keys=")[1].split(",")[0])
        requests = int(info.get("total_commands_processed", 0))
        delta = 0 if previous_requests is None else requests - previous_requests
        previous_requests = requests
        child = ""
        if info.get("rdb_bgsave_in_progress") == "1":
            child = "RDB"
        elif info.get("aof_rewrite_in_progress") == "1":
            child = "AOF"
        _out(
            f"{keys:<11}{human_bytes(int(info.get('used_memory', 0))):<9}"
            f"{info.get('connected_clients', '?'):<8}{info.get('blocked_clients', '?'):<8}"
            f"{f'{requests} (+{delta})':<20}{info.get('total_connections_received', '?'):<12}"
            f"{child}\n"
        )
        line += 1
        time.sleep(interval)


def _ping(session: Session) -> float:
    start = time.perf_counter()
    session.call([b"PING"])
    return (time.perf_counter() - start) * 1000


def latency(session: Session, opts: Options) -> int:
    """``--latency`` / ``--latency-history``: PING round trips in milliseconds."""
    history = opts.mode == "latency-history"
    window = opts.interval if opts.interval_given and opts.interval > 0 else LATENCY_HISTORY_SECONDS
    standard = session.output == fmt.STANDARD
    once_for = opts.interval if opts.interval_given and opts.interval > 0 else 1.0
    started = time.monotonic()
    samples, total, low, high = 0, 0.0, None, 0.0
    last_print = 0.0
    while True:
        ms = _ping(session)
        samples += 1
        total += ms
        low = ms if low is None else min(low, ms)
        high = max(high, ms)
        now = time.monotonic()
        text = f"min: {int(low)}, max: {int(high)}, avg: {total / samples:.2f} ({samples} samples)"
        if not standard and not history:
            if now - started >= once_for:
                _out(f"{int(low)} {int(high)} {total / samples:.2f} {samples}\n")
                return 0
        elif history and now - started >= window:
            _out(f"\x1b[0G\x1b[2K{text} -- {now - started:.2f} seconds range\n")
            started = now
            samples, total, low, high = 0, 0.0, None, 0.0
        elif standard and now - last_print > 0.1:
            _out(f"\x1b[0G\x1b[2K{text}")
            last_print = now
        time.sleep(LATENCY_SAMPLE_SECONDS)


def _scan_batches(session: Session, opts: Options):
    """SCAN batches until the cursor comes back to 0."""
    cursor = b"0"
    while True:
        args = [b"SCAN", cursor]
        if opts.pattern:
            args += [b"MATCH", opts.pattern.encode()]
        reply = session.call(args)  # no COUNT: redis-cli uses the default batch
        if isinstance(reply, Error):
            raise RuntimeError(reply.text)
        cursor, keys = reply
        yield keys
        if opts.interval_given and opts.interval > 0 and opts.mode != "scan":
            time.sleep(opts.interval)  # like redis-cli: -i sleeps per SCAN call
        if cursor == b"0":
            return


def scan(session: Session, opts: Options) -> int:
    """``--scan [--pattern p]``: every key name, one per line."""
    out = sys.stdout.buffer
    for batch in _scan_batches(session, opts):
        for key in batch:
            out.write(key + b"\n")
    out.flush()
    return 0


def bigkeys(session: Session, opts: Options) -> int:
    """``--bigkeys`` (sizes by element count) and ``--memkeys`` (MEMORY USAGE)."""
    memory = opts.mode == "memkeys"
    total_keys_reply = session.call([b"DBSIZE"])
    total_keys = total_keys_reply if isinstance(total_keys_reply, int) else 0
    _out(
        "\n# Scanning the entire keyspace to find biggest keys as well as\n"
        "# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n"
        "# per 100 SCAN commands (not usually needed).\n\n"
    )
    biggest: dict[str, tuple[bytes, int]] = {}
    counts: dict[str, list[int]] = {t: [0, 0] for t in SIZE_COMMAND}
    sampled = 0
    key_bytes = 0
    for batch in _scan_batches(session, opts):
        # Progress is counted per SCAN batch, as redis-cli does.
        pct = 100.0 * sampled / total_keys if total_keys else 0.0
        for key in batch:
            key_bytes += len(key)
            kind = to_text(session.call([b"TYPE", key]))
            if kind not in SIZE_COMMAND:
                continue
            if memory:
                args = [b"MEMORY", b"USAGE", key]
                if opts.memkeys_samples is not None:
                    args += [b"SAMPLES", str(opts.memkeys_samples).encode()]
                size = session.call(args)
                unit = "bytes"
            else:
                command, unit = SIZE_COMMAND[kind]
                size = session.call([command.encode(), key])
            if not isinstance(size, int):
                continue
            counts[kind][0] += 1
            counts[kind][1] += size
            if size > biggest.get(kind, (b"", -1))[1]:
                biggest[kind] = (key, size)
                name = fmt.repr_bytes(key).decode("utf-8", "replace")
                _out(f"[{pct:05.2f}%] Biggest {kind:<6} found so far '{name}' with {size} {unit}\n")
        sampled += len(batch)
    _out("\n-------- summary -------\n\n")
    _out(f"Sampled {sampled} keys in the keyspace!\n")
    avg = key_bytes / sampled if sampled else 0.0
    _out(f"Total key length in bytes is {key_bytes} (avg len {avg:.2f})\n\n")
    for kind in SIZE_COMMAND:
        if kind not in biggest:
            continue
        key, size = biggest[kind]
        unit = "bytes" if memory else SIZE_COMMAND[kind][1]
        name = fmt.repr_bytes(key).decode("utf-8", "replace")
        _out(f"Biggest {kind:>6} found '{name}' has {size} {unit}\n")
    _out("\n")
    for kind, (count, total) in counts.items():
        unit = "bytes" if memory else SIZE_COMMAND[kind][1]
        share = 100.0 * count / sampled if sampled else 0.0
        mean = total / count if count else 0.0
        _out(f"{count} {kind}s with {total} {unit} ({share:05.2f}% of keys, avg size {mean:.2f})\n")
    return 0
