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

    from .net.listener import run
    from .server import LAB_VERSION, REDIS_VERSION, Server

    server = Server(config)
    server.log("notice", f"redis-lab reference server {LAB_VERSION} (Redis {REDIS_VERSION} behaviour)")
    server.log("notice", f"Ready to accept connections tcp on port {config.port}")
    run(server)
    return 0
