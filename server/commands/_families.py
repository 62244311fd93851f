"""Import every command family so its handlers register (see registry.build_table)."""

from . import (  # noqa: F401
    client_cmd,
    connection,
    dump,
    hashes,
    keys,
    lab,
    latency_cmd,
    lists,
    memory_cmd,
    multi_cmd,
    pubsub_cmd,
    server_cmds,
    sets,
    slowlog_cmd,
    sort,
    strings,
    zsets,
)
