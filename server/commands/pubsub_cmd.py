"""Pub/Sub commands (pubsub.c): SUBSCRIBE & co., PUBLISH, PUBSUB."""

from __future__ import annotations

from .. import errors, pubsub
from ..errors import CommandError
from ..glob import compile_key_matcher
from ..protocol.replies import Status
from ..server import NO_REPLY
from .registry import command


@command("subscribe")
def subscribe(c, argv):
    for ch in argv[1:]:
        pubsub.subscribe(c.server, c, ch)
    return NO_REPLY


@command("ssubscribe")
def ssubscribe(c, argv):
    for ch in argv[1:]:
        pubsub.subscribe(c.server, c, ch, shard=True)
    return NO_REPLY


@command("unsubscribe")
def unsubscribe(c, argv):
    if len(argv) == 1:
        pubsub.unsubscribe_all(c.server, c, True)
    else:
        for ch in argv[1:]:
            pubsub.unsubscribe(c.server, c, ch)
    return NO_REPLY


@command("sunsubscribe")
def sunsubscribe(c, argv):
    if len(argv) == 1:
        pubsub.unsubscribe_all(c.server, c, True, shard=True)
    else:
        for ch in argv[1:]:
            pubsub.unsubscribe(c.server, c, ch, shard=True)
    return NO_REPLY


@command("psubscribe")
def psubscribe(c, argv):
    for p in argv[1:]:
        pubsub.psubscribe(c.server, c, p)
    return NO_REPLY


@command("punsubscribe")
def punsubscribe(c, argv):
    if len(argv) == 1:
        pubsub.punsubscribe_all(c.server, c, True)
    else:
        for p in argv[1:]:
            pubsub.punsubscribe(c.server, c, p)
    return NO_REPLY


@command("publish")
def publish(c, argv):
    return pubsub.publish(c.server, argv[1], argv[2])


@command("spublish")
def spublish(c, argv):
    return pubsub.publish(c.server, argv[1], argv[2], shard=True)


@command("pubsub|channels")
def pubsub_channels(c, argv):
    return _channels(c.server.channels, argv)


@command("pubsub|shardchannels")
def pubsub_shardchannels(c, argv):
    return _channels(c.server.shard_channels, argv)


def _channels(table, argv):
    if len(argv) > 3:
        raise errors.wrong_arity("pubsub|channels")
    match = compile_key_matcher(argv[2]) if len(argv) == 3 else None
    return [ch for ch in table if match is None or match(ch)]


@command("pubsub|numsub")
def pubsub_numsub(c, argv):
    out = []
    for ch in argv[2:]:
        out += [ch, len(c.server.channels.get(ch, ()))]
    return out


@command("pubsub|shardnumsub")
def pubsub_shardnumsub(c, argv):
    out = []
    for ch in argv[2:]:
        out += [ch, len(c.server.shard_channels.get(ch, ()))]
    return out


@command("pubsub|numpat")
def pubsub_numpat(c, argv):
    return len(c.server.patterns)


_HELP = [
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Channels with at least one subscriber, optionally matching a glob pattern.",
    "NUMPAT",
    "    How many patterns clients are subscribed to.",
    "NUMSUB [<channel> ...]",
    "    For each channel, how many clients are subscribed to it.",
    "SHARDCHANNELS [<pattern>]",
    "    The same as CHANNELS, for shard channels (SSUBSCRIBE).",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    The same as NUMSUB, for shard channels.",
    "HELP",
    "    Print this help.",
]


@command("pubsub|help")
def pubsub_help(c, argv):
    return [Status(line) for line in _HELP]


__all__ = ["CommandError"]
