"""LATENCY LATEST | HISTORY | RESET | GRAPH | DOCTOR | HISTOGRAM | HELP (latency.c).

The monitor and its time series are :mod:`server.latency`; ``call()``, the
active expire cycle and eviction feed it when ``latency-monitor-threshold``
is set. ``HISTOGRAM`` reads the per-command histograms of
``latency-tracking`` instead, so it answers even with the monitor off.
"""

from __future__ import annotations

from .. import errors
from ..protocol.replies import Status, Verbatim
from .registry import command


def _text(b: bytes) -> str:
    return bytes(b).decode("utf-8", "surrogateescape")


@command("latency|latest")
def latency_latest(c, argv):
    return c.server.latency.latest()


@command("latency|history")
def latency_history(c, argv):
    return c.server.latency.history(_text(argv[2]))


@command("latency|reset")
def latency_reset(c, argv):
    names = [_text(a) for a in argv[2:]]
    return c.server.latency.reset(names or None)


@command("latency|graph")
def latency_graph(c, argv):
    event = _text(argv[2])
    graph = c.server.latency.graph(event)
    if graph is None:
        raise errors.err(f"No samples available for event '{event}'")
    return Verbatim(graph)


@command("latency|doctor")
def latency_doctor(c, argv):
    return Verbatim(c.server.latency.doctor())


@command("latency|histogram")
def latency_histogram(c, argv):
    return c.server.latency.histogram_reply(argv[2:] if len(argv) > 2 else None)


_HELP = [
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the"
    " specified command names.",
    "    If no commands are specified then all histograms are replied.",
    "HELP",
    "    Prints this help.",
]


@command("latency|help")
def latency_help(c, argv):
    return [Status(line) for line in _HELP]
