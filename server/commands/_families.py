"""Import every command family so its handlers register (see registry.build_table)."""

from . import (  # noqa: F401
    client_cmd,
    connection,
    keys,
    lab,
    server_cmds,
    strings,
)
