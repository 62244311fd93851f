"""Command-line options, spelled and parsed the way redis-cli parses them.

redis-cli's parser is hand written: options come first, the first word that
is not an option starts the command, and a flag's value is the next word.
argparse would reorder and reinterpret that (``-3``, ``-r -1``), so we parse
the same way by hand.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

USAGE = """\
Usage: redis-lab cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -s <socket>        Server socket (overrides hostname and port).
  -a <password>      Password to use when connecting to the server
                     (the REDISCLI_AUTH environment variable is safer).
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  --pass <password>  Alias of -a for consistency with the new --user option.
  --askpass          Read the password from the terminal.
  -u <uri>           Server URI: redis://[user[:password]@]host[:port][/db].
  -n <db>            Database number.
  -2                 Start the session in RESP2 protocol mode (default).
  -3                 Start the session in RESP3 protocol mode.
  -r <repeat>        Execute the command N times (-1: forever).
  -i <interval>      With -r, wait <interval> seconds between commands
                     (also the interval of --stat and --latency-history).
  -x                 Read the last argument from STDIN.
  -d <delimiter>     Delimiter between replies in raw mode (default: \\n).
  -D <delimiter>     Delimiter between replies (default: \\n).
  -e                 Exit with status 1 when a command fails (error reply).
  --raw              Raw output even on a terminal.
  --no-raw           Formatted output even when stdout is not a terminal.
  --csv              Output in CSV format.
  --stat             Rolling stats: memory, clients, keys, requests...
  --latency          Continuously sample latency (PING round trips).
  --latency-history  Like --latency, with a new line every 15 seconds (-i).
  --bigkeys          Find the biggest key of each type (SCAN based).
  --memkeys          Find the keys using the most memory (MEMORY USAGE).
  --memkeys-samples <n>  MEMORY USAGE SAMPLES for --memkeys.
  --scan             List keys with SCAN (see --pattern).
  --pattern <pat>    Keys pattern for --scan, --bigkeys, --memkeys.
  --no-auth-warning  No warning when a password is given on the command line.
  --newbie           Show each command's summary in the completion menu.
  --no-warnings      Do not warn before dangerous commands.
  --no-pager         Never page long replies (default: $PAGER or less -FRX).
  --help             Output this help and exit.
  --version          Output version and exit.

Interactive extras: HELP <command>, HELP @<group>, PEEK <key>,
`<command> | <shell command>` to pipe a reply, Ctrl-R history search.
"""


class UsageError(Exception):
    """Bad command-line options; redis-cli prints a message and exits 1."""


@dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 6379
    socket: str | None = None
    user: str | None = None
    password: str | None = None
    askpass: bool = False
    db: int = 0
    resp: int = 2
    output: str | None = None  # "raw", "standard", "csv"; None: decide by isatty
    repeat: int = 1
    interval: float = 0.0
    interval_given: bool = False
    stdin_last_arg: bool = False
    raw_delimiter: str = "\n"
    cmd_delimiter: str = "\n"
    exit_on_error: bool = False
    no_auth_warning: bool = False
    auth_from_command_line: bool = False
    newbie: bool = False
    warnings: bool = True
    pager: bool = True
    mode: str | None = None  # stat, latency, latency-history, bigkeys, memkeys, scan
    pattern: str | None = None
    memkeys_samples: int | None = None
    help: bool = False
    version: bool = False
    command: list[str] = field(default_factory=list)


def _value(argv: list[str], i: int, flag: str) -> str:
    if i + 1 >= len(argv):
        raise UsageError(f"Unrecognized option or bad number of args for: '{flag}'")
    return argv[i + 1]


def _int(text: str, flag: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise UsageError(f"Invalid value for {flag}: '{text}'") from exc


def apply_url(opts: Options, url: str) -> None:
    """``redis://[user[:password]@]host[:port][/db]`` into the options."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise UsageError(f"Invalid URI scheme: {url}")
    if parsed.scheme == "rediss":
        raise UsageError("TLS (rediss://) is not supported by redis-lab cli")
    if parsed.hostname:
        opts.host = parsed.hostname
    if parsed.port:
        opts.port = parsed.port
    if parsed.username:
        opts.user = unquote(parsed.username)
    if parsed.password is not None:
        opts.password = unquote(parsed.password)
        opts.auth_from_command_line = True
    elif parsed.username and not parsed.password:
        # redis://password@host is read by redis-cli as a password alone.
        opts.password = unquote(parsed.username)
        opts.user = None
        opts.auth_from_command_line = True
    path = parsed.path.lstrip("/")
    if path:
        opts.db = _int(path, "-u")


_MODES = {
    "--stat": "stat",
    "--latency": "latency",
    "--latency-history": "latency-history",
    "--bigkeys": "bigkeys",
    "--memkeys": "memkeys",
    "--scan": "scan",
}


def parse_args(argv: list[str]) -> Options:
    opts = Options()
    env_auth = os.environ.get("REDISCLI_AUTH")
    if env_auth:
        opts.password = env_auth
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-") or arg == "-":
            break
        takes_value = True
        if arg == "-h" and i + 1 < len(argv):
            opts.host = argv[i + 1]
        elif arg == "-h":
            opts.help = True
            takes_value = False
        elif arg == "--help":
            opts.help = True
            takes_value = False
        elif arg in ("-v", "--version"):
            opts.version = True
            takes_value = False
        elif arg == "-p":
            opts.port = _int(_value(argv, i, arg), arg)
        elif arg == "-s":
            opts.socket = _value(argv, i, arg)
        elif arg in ("-a", "--pass"):
            opts.password = _value(argv, i, arg)
            opts.auth_from_command_line = True
        elif arg == "--user":
            opts.user = _value(argv, i, arg)
        elif arg == "-u":
            apply_url(opts, _value(argv, i, arg))
        elif arg == "-n":
            opts.db = _int(_value(argv, i, arg), arg)
        elif arg == "-r":
            opts.repeat = _int(_value(argv, i, arg), arg)
        elif arg == "-i":
            try:
                opts.interval = float(_value(argv, i, arg))
            except ValueError as exc:
                raise UsageError(f"Invalid value for -i: '{argv[i + 1]}'") from exc
            opts.interval_given = True
        elif arg == "-d":
            opts.raw_delimiter = _unescape(_value(argv, i, arg))
        elif arg == "-D":
            opts.cmd_delimiter = _unescape(_value(argv, i, arg))
        elif arg == "--pattern":
            opts.pattern = _value(argv, i, arg)
        elif arg == "--memkeys-samples":
            opts.memkeys_samples = _int(_value(argv, i, arg), arg)
            opts.mode = "memkeys"
        else:
            takes_value = False
            if arg == "-2":
                opts.resp = 2
            elif arg == "-3":
                opts.resp = 3
            elif arg == "-x":
                opts.stdin_last_arg = True
            elif arg == "-e":
                opts.exit_on_error = True
            elif arg == "--raw":
                opts.output = "raw"
            elif arg == "--no-raw":
                opts.output = "standard"
            elif arg == "--csv":
                opts.output = "csv"
            elif arg == "--no-auth-warning":
                opts.no_auth_warning = True
            elif arg == "--askpass":
                opts.askpass = True
            elif arg == "--newbie":
                opts.newbie = True
            elif arg == "--no-warnings":
                opts.warnings = False
            elif arg == "--no-pager":
                opts.pager = False
            elif arg in _MODES:
                opts.mode = _MODES[arg]
            elif arg in ("-c", "--quoted-input"):
                pass  # accepted for compatibility; nothing to do for a single node
            else:
                raise UsageError(f"Unrecognized option or bad number of args for: '{arg}'")
        i += 2 if takes_value else 1
    opts.command = argv[i:]
    return opts


def _unescape(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def output_mode(opts: Options, stream=None) -> str:
    """redis-cli's choice: raw when stdout is not a terminal, unless told."""
    if opts.output:
        return opts.output
    stream = stream or sys.stdout
    try:
        return "standard" if stream.isatty() else "raw"
    except (AttributeError, ValueError):
        return "raw"
