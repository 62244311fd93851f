"""Pub/Sub (pubsub.c): channels, patterns and shard channels.

A client that subscribes stops being an ordinary request/reply client: the
server may now send it messages at any time. Under RESP2 those messages are
plain arrays on the same connection, so Redis lets a subscribed RESP2 client
run only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET — anything else
would interleave a reply with messages. RESP3 has a separate *push* type, so a
RESP3 client may go on running any command while subscribed.

    server.channels   channel -> {client: None}   (insertion-ordered "sets")
    server.patterns   pattern -> {client: None}
    client.channels / client.patterns / client.shard_channels

PUBLISH walks the channel's subscribers, then every pattern (patterns are
few; Redis also checks each one), and answers how many clients received it.

The lab publishes its internal events (``LAB EVENTS``) on the channel
:data:`LAB_EVENTS_CHANNEL`, as JSON text, so a viewer can subscribe instead
of polling.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .glob import compile_glob
from .protocol.replies import Push, encode

if TYPE_CHECKING:
    from .net.client import Client
    from .server import Server

LAB_EVENTS_CHANNEL = b"__lab__:events"


def subscription_count(c: Client) -> int:
    """clientSubscriptionsCount: channels + patterns (shard channels counted apart)."""
    return len(c.channels) + len(c.patterns)


def _push(c: Client, items: list) -> None:
    c.out.append(encode(Push(items), c.resp))


def _mark(c: Client) -> None:
    c.subscribed = bool(c.channels or c.patterns or c.shard_channels)


def subscribe(server: Server, c: Client, channel: bytes, shard: bool = False) -> None:
    table = server.shard_channels if shard else server.channels
    mine = c.shard_channels if shard else c.channels
    if channel not in mine:
        mine[channel] = None
        table.setdefault(channel, {})[c] = None
    _mark(c)
    count = len(c.shard_channels) if shard else subscription_count(c)
    _push(c, [b"ssubscribe" if shard else b"subscribe", channel, count])


def unsubscribe(server: Server, c: Client, channel: bytes, notify: bool = True,
                shard: bool = False) -> bool:  # fmt: skip
    table = server.shard_channels if shard else server.channels
    mine = c.shard_channels if shard else c.channels
    found = channel in mine
    if found:
        del mine[channel]
        subs = table.get(channel)
        if subs is not None:
            subs.pop(c, None)
            if not subs:
                del table[channel]
    _mark(c)
    if notify:
        count = len(c.shard_channels) if shard else subscription_count(c)
        _push(c, [b"sunsubscribe" if shard else b"unsubscribe", channel, count])
    return found


def unsubscribe_all(server: Server, c: Client, notify: bool, shard: bool = False) -> int:
    mine = c.shard_channels if shard else c.channels
    n = len(mine)
    for channel in list(mine):
        unsubscribe(server, c, channel, notify, shard)
    if notify and n == 0:
        _push(c, [b"sunsubscribe" if shard else b"unsubscribe", None, subscription_count(c)])
    return n


def psubscribe(server: Server, c: Client, pattern: bytes) -> None:
    if pattern not in c.patterns:
        c.patterns[pattern] = None
        server.patterns.setdefault(pattern, {})[c] = None
    _mark(c)
    _push(c, [b"psubscribe", pattern, subscription_count(c)])


def punsubscribe(server: Server, c: Client, pattern: bytes, notify: bool = True) -> bool:
    found = pattern in c.patterns
    if found:
        del c.patterns[pattern]
        subs = server.patterns.get(pattern)
        if subs is not None:
            subs.pop(c, None)
            if not subs:
                del server.patterns[pattern]
    _mark(c)
    if notify:
        _push(c, [b"punsubscribe", pattern, subscription_count(c)])
    return found


def punsubscribe_all(server: Server, c: Client, notify: bool) -> int:
    n = len(c.patterns)
    for pattern in list(c.patterns):
        punsubscribe(server, c, pattern, notify)
    if notify and n == 0:
        _push(c, [b"punsubscribe", None, subscription_count(c)])
    return n


def forget_client(server: Server, c: Client) -> None:
    """A closing client leaves every channel and pattern (freeClient)."""
    unsubscribe_all(server, c, False)
    unsubscribe_all(server, c, False, shard=True)
    punsubscribe_all(server, c, False)


def _deliver(c: Client, items: list) -> None:
    if c.closed:
        return
    c.add_raw(encode(Push(items), c.resp))


def publish(server: Server, channel: bytes, message: bytes, shard: bool = False) -> int:
    """pubsubPublishMessage: deliver to subscribers and matching patterns."""
    receivers = 0
    table = server.shard_channels if shard else server.channels
    subs = table.get(channel)
    if subs:
        kind = b"smessage" if shard else b"message"
        for c in list(subs):
            _deliver(c, [kind, channel, message])
            receivers += 1
    if not shard and server.patterns:
        for pattern, clients in list(server.patterns.items()):
            if compile_glob(pattern)(channel):
                for c in list(clients):
                    _deliver(c, [b"pmessage", pattern, channel, message])
                    receivers += 1
    return receivers


def publish_lab_event(server: Server, event: dict[str, Any]) -> None:
    """Send an internal event, as JSON, to the clients subscribed to ``__lab__:events``.

    Only to that channel's own subscribers, never to patterns: a learner's
    ``PSUBSCRIBE *`` must see what it would see on a real Redis, not the
    lab's internal chatter.
    """
    subs = server.channels.get(LAB_EVENTS_CHANNEL)
    if not subs:
        return
    message = [b"message", LAB_EVENTS_CHANNEL, json.dumps(event, default=_json_value).encode()]
    for c in list(subs):
        _deliver(c, message)


def _json_value(v: object) -> object:
    if isinstance(v, bytes | bytearray):
        return bytes(v).decode("utf-8", "backslashreplace")
    return str(v)
