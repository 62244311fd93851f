"""Import every command family so its handlers register (see registry.build_table)."""

from . import (  # noqa: F401
    client_cmd,
    connection,
    dump,
    hashes,
    keys,
    lab,
    lists,
    memory_cmd,
    pubsub_cmd,
    server_cmds,
    sets,
    strings,
    zsets,
)
