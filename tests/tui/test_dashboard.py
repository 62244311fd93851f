"""The Dashboard shows the learner's activity, not the lab's.

* The lab's tally (:class:`lab.client.LabTraffic`) agrees with how the server
  counts ``total_commands_processed`` and ``keyspace_hits/misses`` — on ours
  and on a real redis-server 7.0 — for everything the lab sends: pipelines,
  rejected commands, commands that fail after running, key lookups.
* Pilot tests: with the lab busy (explorer/inspector-like reads in a thread)
  and no learner, the learner's counters stay at 0; after N commands from a
  separate redis-py client they move by exactly N (hits and misses too); the
  console's commands count as the learner's; clients exclude the lab's named
  connections, which are listed on screen. Counters only, no rates: nothing
  depends on wall-clock timing (polls are waited for by count).
"""

from __future__ import annotations

import threading

import pytest
import redis

from lab.client import LabClient, LabTraffic, Traffic, parse_client_list, server_counts
from lab.repl.resp import Connection, Error, Status
from lab.tui.app import RedisLabApp
from lab.tui.screens.dashboard import DashboardScreen, LearnerMeter
from tests.support import NO_REDIS_REASON, REDIS_SERVER, start_lab_server, start_real_redis

from .helpers import wait_for

pytestmark = pytest.mark.timeout(120)


# -- the arithmetic, without a server ----------------------------------------------------------


def test_server_counts_by_reply():
    assert server_counts(("GET", "k"), b"v") == (1, 1, 0)
    assert server_counts(("GET", "k"), None) == (1, 0, 1)
    assert server_counts(("TYPE", "k"), Status(b"none")) == (1, 0, 1)
    assert server_counts(("TYPE", "k"), Status(b"hash")) == (1, 1, 0)
    assert server_counts(("OBJECT", "ENCODING", "k"), None) == (1, 0, 1)
    assert server_counts(("OBJECT", "FREQ", "k"), Error(b"ERR An LFU maxmemory ...")) == (1, 1, 0)
    assert server_counts(("PTTL", "k"), -2) == (1, 0, 1)
    assert server_counts(("PTTL", "k"), -1) == (1, 1, 0)
    assert server_counts(("MEMORY", "USAGE", "k"), None) == (1, 0, 0)
    assert server_counts(("LLEN", "k"), Error(b"WRONGTYPE Operation ...")) == (1, 1, 0)
    assert server_counts(("EXISTS", "a", "b", "c"), 2) == (1, 2, 1)
    assert server_counts(("SCAN", 0), [b"0", []]) == (1, 0, 0)
    for rejected in (
        b"ERR unknown command 'FOO', with args beginning with: ",
        b"ERR unknown subcommand 'X'. Try OBJECT HELP.",
        b"ERR wrong number of arguments for 'get' command",
        b"NOAUTH Authentication required.",
        b'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", ...',
    ):
        assert server_counts(("X",), Error(rejected)) == (0, 0, 0)
    assert server_counts(("INCR", "k"), Error(b"ERR value is not an integer or out of range")) == (
        1,
        0,
        0,
    )


def _info(total, hits=0, misses=0):
    return {
        "total_commands_processed": str(total),
        "keyspace_hits": str(hits),
        "keyspace_misses": str(misses),
    }


def test_meter_subtracts_the_lab():
    m = LearnerMeter()
    m.update(_info(100, 5, 5), Traffic(10, 1, 1, {"redis-lab:poller": 10}), 0.0)
    # 7 more commands processed; 3 of them the lab's (2 polls' worth + a TYPE hit)
    f = m.update(_info(107, 8, 6), Traffic(13, 2, 1, {"redis-lab:poller": 13}), 2.0)
    assert (f.commands, f.hits, f.misses) == (4, 2, 1)
    assert f.ops_per_sec == 2.0 and f.interval_commands == 4
    assert f.lab_commands == 3 and f.lab_by_name == {"redis-lab:poller": 3}
    f = m.update(_info(200), None, 3.0)  # the tally did not line up: skipped
    assert f.skipped == 1 and f.commands == 4
    f = m.update(_info(5), Traffic(20, 2, 1), 4.0)  # CONFIG RESETSTAT / a restart
    assert f.resets == 1 and f.commands == 4
    f = m.update(_info(9), Traffic(21, 2, 1), 5.0)
    assert f.commands == 4 + (9 - 5) - 1


def test_quiet_holds_other_lab_commands_back():
    traffic = LabTraffic()
    entered, sent = threading.Event(), threading.Event()

    def other():
        entered.set()
        with traffic.sending("redis-lab:tui") as done:
            done.append((("PING",), Status(b"PONG")))
        sent.set()

    with traffic.quiet() as before:
        assert before == Traffic()
        t = threading.Thread(target=other)
        t.start()
        entered.wait(5)
        assert not sent.wait(0.2), "a lab command went out inside quiet()"
        with traffic.sending("redis-lab:poller") as done:  # the quiet thread's own: allowed
            done.append((("INFO",), b"# Server"))
    t.join(5)
    assert sent.is_set()
    assert traffic.snapshot().by_name == {"redis-lab:poller": 1, "redis-lab:tui": 1}


def test_parse_client_list():
    text = (
        "id=3 addr=127.0.0.1:5 laddr=127.0.0.1:6379 fd=8 name=redis-lab:tui age=1 idle=0 "
        "flags=N db=0 cmd=client|list\n"
        "id=4 addr=127.0.0.1:6 laddr=127.0.0.1:6379 fd=9 name= age=1 idle=0 flags=N db=0 cmd=get\n"
    )
    clients = parse_client_list(text)
    assert [c["name"] for c in clients] == ["redis-lab:tui", ""]
    assert clients[1]["cmd"] == "get"


# -- the tally against real servers -------------------------------------------------------------


@pytest.fixture(params=["ours", "real"], scope="module")
def server(request):
    if request.param == "real" and REDIS_SERVER is None:
        pytest.skip(NO_REDIS_REASON)
    srv = start_lab_server() if request.param == "ours" else start_real_redis()
    yield srv
    srv.stop()


def _stats(conn: Connection) -> tuple[int, int, int]:
    text = conn.execute("INFO", "stats").decode()
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return (
        int(fields["total_commands_processed"]),
        int(fields["keyspace_hits"]),
        int(fields["keyspace_misses"]),
    )


def test_tally_agrees_with_the_server(server):
    """Each of the lab's calls moves the server's counters exactly as the tally says."""
    url = f"redis://127.0.0.1:{server.port}/0"
    watcher = Connection("127.0.0.1", server.port, timeout=10).connect()  # not tallied
    try:
        watcher.execute("FLUSHALL")
        watcher.execute("SET", "s", "hello")
        watcher.execute("SET", "empty", "")
        watcher.execute("RPUSH", "l", "a", "b")
        watcher.execute("HSET", "h", "f", "v")
        watcher.execute("SADD", "z", "1", "2")
        lab = LabClient.from_url(url, name="redis-lab:test")
        keys = ["s", "empty", "l", "h", "z", "nokey"]
        steps = {
            "connect a clone": lambda: lab.clone("redis-lab:other").close(),
            "describe_keys": lambda: lab.describe_keys(keys),
            "inspect (LAB or fallback)": lambda: [lab.inspect(k) for k in keys],
            "inspect_fallback": lambda: [lab.inspect_fallback(k) for k in keys],
            "scan with a type": lambda: lab.scan(0, None, 100, "string"),
            "scan": lambda: lab.scan(0, "*", 100),
            "keyspace": lambda: lab.keyspace(),
            "memory": lambda: lab.memory(),
            "info_and_traffic": lambda: lab.info_and_traffic("everything"),
            "client list": lambda: lab.call("CLIENT", "LIST"),
            "rejected and failing commands": lambda: lab._pipeline(
                [
                    ("NOSUCHCOMMAND", "x"),
                    ("GET",),
                    ("OBJECT", "NOSUCHSUB", "s"),
                    ("INCR", "s"),
                    ("LLEN", "s"),
                    ("OBJECT", "FREQ", "s"),
                    ("OBJECT", "FREQ", "nokey"),
                    ("EXISTS", "s", "l", "nokey"),
                    ("GET", "s"),
                    ("GET", "nokey"),
                ]
            ),
            "subscribe": lambda: lab.clone("redis-lab:events").subscribe_events(),
        }
        for what, step in steps.items():
            before, t0 = lab.traffic.snapshot(), _stats(watcher)
            step()
            after, t1 = lab.traffic.snapshot(), _stats(watcher)
            server_side = (t1[0] - t0[0] - 1, t1[1] - t0[1], t1[2] - t0[2])  # -1: INFO itself
            tallied = (
                after.commands - before.commands,
                after.hits - before.hits,
                after.misses - before.misses,
            )
            assert tallied == server_side, what
        # A learner connection's execute/pipeline are the learner's: not tallied.
        console = lab.clone("redis-lab:console")
        before, t0 = lab.traffic.snapshot(), _stats(watcher)
        console.execute("GET", "s")
        console.pipeline([("GET", "nokey"), ("SET", "x", "1")])
        after, t1 = lab.traffic.snapshot(), _stats(watcher)
        assert after == before and t1[0] - t0[0] - 1 == 3
        console.close()
        lab.close()
    finally:
        watcher.close()


# -- the screen ---------------------------------------------------------------------------------


def _lab_busy(lab: LabClient, stop: threading.Event) -> None:
    """What the explorer and the inspector do, over and over: the lab's own traffic."""
    while not stop.is_set():
        lab.scan(0, None, 100, "string")
        lab.describe_keys(["k0", "l", "nokey"])
        lab.inspect("k0")
        lab.inspect("nokey")
        lab.keyspace()


async def _dashboard(pilot, app) -> DashboardScreen:
    return await wait_for(
        pilot,
        lambda: isinstance(app.screen, DashboardScreen) and app.screen,
        timeout=30,
        what="the dashboard",
    )


async def _polls(pilot, screen: DashboardScreen, n: int) -> None:
    start = screen.figures.polls
    await wait_for(pilot, lambda: screen.figures.polls >= start + n, what=f"{n} polls")


async def _learner_counted_exactly(pilot, app, port: int) -> None:
    screen = await _dashboard(pilot, app)
    learner = redis.Redis(host="127.0.0.1", port=port, single_connection_client=True)
    try:
        learner.set("k0", "v")
        learner.rpush("l", "a")
        stop = threading.Event()
        busy = threading.Thread(target=_lab_busy, args=(app.lab, stop), daemon=True)
        busy.start()
        try:
            await _polls(pilot, screen, 2)  # the learner's connection and keys are in
            f = screen.figures
            base = (f.commands, f.hits, f.misses, f.lab_commands, f.lab_hits)
            await _polls(pilot, screen, 3)
            # The lab alone for three polls: nothing of the learner's.
            assert (f.commands, f.hits, f.misses) == base[:3]
            assert f.interval_commands == 0 and f.ops_per_sec == 0
            assert screen.query_one("#ops").text.startswith("0 ")
            assert f.lab_commands > base[3] and f.lab_hits > base[4], "the lab was not busy"
            assert f.skipped == 0
            assert screen.learner_clients == 1 and screen.lab_connections >= 2
            # N commands of the learner: 4 hits (3 GET + a WRONGTYPE), 2 misses, one
            # unknown command (rejected: Redis does not count it).
            for i in range(5):
                learner.set(f"k{i}", i)
            for key in ("k1", "k2", "k3", "nokey", "nokey2"):
                learner.get(key)
            with pytest.raises(redis.ResponseError):
                learner.execute_command("LLEN", "k1")
            with pytest.raises(redis.ResponseError):
                learner.execute_command("NOSUCHCOMMAND")
            n = 5 + 5 + 1
            await wait_for(pilot, lambda: f.commands - base[0] >= n, what="the learner's commands")
            await _polls(pilot, screen, 2)
            assert f.commands - base[0] == n
            assert (f.hits - base[1], f.misses - base[2]) == (4, 2)
        finally:
            stop.set()
            busy.join(10)
        assert f.skipped == 0
    finally:
        learner.close()


async def test_idle_lab_and_a_learner_on_the_embedded_server():
    app = RedisLabApp(initial="dashboard")
    async with app.run_test(size=(150, 50)) as pilot:
        screen = await _dashboard(pilot, app)
        await _polls(pilot, screen, 3)
        f = screen.figures
        assert (f.commands, f.hits, f.misses, f.ops_per_sec) == (0, 0, 0, 0)
        assert f.lab_commands > 0  # the polls themselves were taken out
        assert screen.learner_clients == 0
        lab = screen.lab_connections
        assert lab >= 3  # the app's, the events subscriber, the poller
        assert screen.query_one("#clients").text == f"0 clients  (+{lab} lab)"
        shown = str(screen.query_one("#connections").render())
        for name in ("redis-lab:tui", "redis-lab:events", "redis-lab:poller"):
            assert name in shown
        assert "the lab's" in str(screen.query_one("#lab-note").render())
        await _learner_counted_exactly(pilot, app, app.embedded.port)
        assert "1 client  (+" in screen.query_one("#clients").text


async def test_console_commands_are_the_learners():
    app = RedisLabApp()
    async with app.run_test(size=(150, 50)) as pilot:
        console = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "ConsoleScreen" and app.screen, timeout=30
        )
        await wait_for(pilot, lambda: console.conn is not None, what="the console's connection")
        await pilot.press("f6")
        screen = await _dashboard(pilot, app)
        await _polls(pilot, screen, 2)
        base = screen.figures.commands
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen is console, what="the console")
        ran = app.command_count
        for line in ("SET greeting hello", "GET greeting", "GET nothing"):
            console.submit(line)
        await wait_for(pilot, lambda: app.command_count >= ran + 3, what="the console's replies")
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.screen is screen)
        await _polls(pilot, screen, 2)
        f = screen.figures
        assert f.commands - base == 3
        assert (f.hits, f.misses) == (1, 1)
        # The console's connection is the lab's, listed by name, not counted.
        assert screen.learner_clients == 0
        assert "redis-lab:console" in str(screen.query_one("#connections").render())


@pytest.mark.skipif(REDIS_SERVER is None, reason=NO_REDIS_REASON)
async def test_dashboard_on_a_real_redis():
    """On redis-server 7.0 the inspector's fallback reads (TYPE, OBJECT, PTTL,
    DUMP, LLEN ...) are keyspace lookups: the dashboard takes them out."""
    real = start_real_redis()
    try:
        app = RedisLabApp(url=f"redis://127.0.0.1:{real.port}/0", initial="dashboard")
        async with app.run_test(size=(150, 50)) as pilot:
            screen = await _dashboard(pilot, app)
            assert not app.lab.has_lab
            await _polls(pilot, screen, 2)
            assert screen.figures.commands == 0 and screen.learner_clients == 0
            await _learner_counted_exactly(pilot, app, real.port)
            assert screen.figures.lab_misses > 0  # the lab's reads of "nokey", taken out
    finally:
        real.stop()
