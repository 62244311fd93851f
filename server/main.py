"""Starting the server from a command line, like ``redis-server``."""

from __future__ import annotations

import os
import sys

from .config import Config, ConfigFileError


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-v", "--version"):
        from .server import LAB_VERSION, REDIS_VERSION

        print(f"redis-lab server v={LAB_VERSION} (behaves as Redis {REDIS_VERSION})")
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print("Usage: redis-lab server [/path/to/redis.conf] [options] [-]")
        print("       redis-lab server --port 7777 --hz 100")
        print("Options are redis.conf directives written as --name value.")
        return 0
    stdin_text = sys.stdin.read() if "-" in argv[:1] else None
    try:
        config = Config.from_argv(argv, stdin_text=stdin_text)
    except ConfigFileError as e:
        sys.stderr.write(f"\n{e}\n")
        return 1
    if config.dir:
        try:
            os.chdir(config.dir)
        except OSError as e:
            sys.stderr.write(f"Can't chdir to '{config.dir}': {e.strerror}\n")
            return 1

    _tune_allocator()
    from .net.listener import run
    from .server import LAB_VERSION, REDIS_VERSION, Server

    server = Server(config)
    server.log(
        "notice", f"redis-lab reference server {LAB_VERSION} (Redis {REDIS_VERSION} behaviour)"
    )
    server.log("notice", f"Ready to accept connections tcp on port {config.port}")
    run(server)
    return 0


def _tune_allocator() -> None:
    """Give big transient buffers back to the OS when they are freed.

    Requests arrive in reads of up to 256 KiB. glibc raises its mmap threshold
    dynamically after such a block is freed, after which big blocks come from
    the heap and, once freed, stay in the process's resident set between small
    long-lived objects. A fixed 64 KiB threshold keeps big buffers in their own
    mappings, so resident memory tracks the data (DESIGN: memory is a subject
    of the lab; the server should not hoard it).
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_mmap_threshold = -3
        libc.mallopt(m_mmap_threshold, 64 * 1024)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass
