"""A hypothesis state machine driving our server and real Redis side by side.

Rules issue string, key and expiry commands (and RPUSH, for WRONGTYPE paths) with arguments drawn from a small
key and value space (so they collide), and every reply — or exact error text —
must be the same on both servers, including ``OBJECT ENCODING``. TTLs are
large (hours) and compared in coarse buckets, so timing never matters.
"""

from __future__ import annotations

import pytest
import redis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.support import REDIS_SERVER, start_lab_server, start_real_redis

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="no redis-server")

KEYS = st.sampled_from(["k1", "k2", "k3", "n1", "n2"])
VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-1",
            "007",
            " 5",
            "12345678901234567890",
            "3.5",
            "x" * 44,
            "y" * 45,
            "9223372036854775807",
            "-9223372036854775808",
        ]
    ),  # fmt: skip
    st.integers(-(10**6), 10**6).map(str),
    st.binary(max_size=12),
)
INTS = st.one_of(st.integers(-20, 60), st.sampled_from([-(2**63), 2**63 - 1, 2**31]))
TTLS = st.integers(3600, 86400)

_servers = {}


def _get_servers():
    if not _servers:
        _servers["ours"] = start_lab_server()
        _servers["real"] = start_real_redis()
    return _servers["ours"], _servers["real"]


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    for s in _servers.values():
        s.stop()
    _servers.clear()


def _call(c, *args):
    try:
        return ("ok", c.execute_command(*args))
    except redis.ResponseError as e:
        return ("err", str(e))


def _bucket_ttl(v):
    if isinstance(v, int) and v > 0:
        return "positive"
    return v


class StringsAndKeys(RuleBasedStateMachine):
    @initialize()
    def connect(self):
        ours, real = _get_servers()
        self.ours = ours.client()
        self.real = real.client()
        self.ours.flushall()
        self.real.flushall()

    def teardown(self):
        for c in ("ours", "real"):
            if hasattr(self, c):
                getattr(self, c).close()

    def same(self, *args, normalize=None):
        a, b = _call(self.ours, *args), _call(self.real, *args)
        if normalize is not None:
            a = (a[0], normalize(a[1])) if a[0] == "ok" else a
            b = (b[0], normalize(b[1])) if b[0] == "ok" else b
        assert a == b, f"{args!r}: ours={a!r} real={b!r}"

    @rule(key=KEYS, value=VALUES, opt=st.sampled_from([(), ("NX",), ("XX",), ("GET",),
                                                       ("KEEPTTL",), ("XX", "GET")]))  # fmt: skip
    def set(self, key, value, opt):
        self.same("SET", key, value, *opt)

    @rule(key=KEYS, ttl=TTLS)
    def set_ex(self, key, ttl):
        self.same("SET", key, "v", "EX", ttl)

    @rule(key=KEYS)
    def get(self, key):
        self.same("GET", key)

    @rule(key=KEYS, value=VALUES)
    def append(self, key, value):
        self.same("APPEND", key, value)

    @rule(key=KEYS)
    def incr(self, key):
        self.same("INCR", key)

    @rule(key=KEYS, by=INTS)
    def incrby(self, key, by):
        self.same("INCRBY", key, by)

    @rule(key=KEYS, by=st.sampled_from(["0.1", "-1.5", "1e3", "3", "abc", "inf"]))
    def incrbyfloat(self, key, by):
        self.same("INCRBYFLOAT", key, by)

    @rule(keys=st.lists(KEYS, min_size=1, max_size=3))
    def delete(self, keys):
        self.same("DEL", *keys)

    @rule(key=KEYS, ttl=TTLS, flag=st.sampled_from([(), ("NX",), ("XX",), ("GT",), ("LT",)]))
    def expire(self, key, ttl, flag):
        self.same("EXPIRE", key, ttl, *flag)

    @rule(key=KEYS)
    def persist(self, key):
        self.same("PERSIST", key)

    @rule(key=KEYS)
    def ttl(self, key):
        self.same("TTL", key, normalize=_bucket_ttl)

    @rule(keys=st.lists(KEYS, min_size=1, max_size=4))
    def exists(self, keys):
        self.same("EXISTS", *keys)

    @rule(src=KEYS, dst=KEYS, nx=st.booleans())
    def rename(self, src, dst, nx):
        self.same("RENAMENX" if nx else "RENAME", src, dst)

    @rule(key=KEYS)
    def strlen(self, key):
        self.same("STRLEN", key)

    @rule(key=KEYS, start=INTS, end=INTS)
    def getrange(self, key, start, end):
        self.same("GETRANGE", key, start, end)

    @rule(key=KEYS, offset=st.integers(-1, 70), value=VALUES)
    def setrange(self, key, offset, value):
        self.same("SETRANGE", key, offset, value)

    @rule(pairs=st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=3), nx=st.booleans())
    def mset(self, pairs, nx):
        self.same("MSETNX" if nx else "MSET", *[x for p in pairs for x in p])

    @rule(keys=st.lists(KEYS, min_size=1, max_size=4))
    def mget(self, keys):
        self.same("MGET", *keys)

    @rule(key=KEYS)
    def getdel(self, key):
        self.same("GETDEL", key)

    @rule(key=KEYS, value=VALUES)
    def getset(self, key, value):
        self.same("GETSET", key, value)

    @rule(key=KEYS)
    def encoding(self, key):
        self.same("OBJECT", "ENCODING", key)

    @rule(a=KEYS, b=KEYS)
    def lcs(self, a, b):
        self.same("LCS", a, b)

    @rule(key=KEYS, value=VALUES)
    def rpush(self, key, value):
        # a non-string key, so every string command's WRONGTYPE path is exercised too
        self.same("RPUSH", key, value)

    @rule(key=KEYS)
    def type_(self, key):
        self.same("TYPE", key)

    @rule(src=KEYS, dst=KEYS, replace=st.booleans())
    def copy(self, src, dst, replace):
        self.same("COPY", src, dst, *(["REPLACE"] if replace else []))

    @invariant()
    def same_size(self):
        if hasattr(self, "ours"):
            self.same("DBSIZE")


StringsAndKeys.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
TestStringsAndKeys = StringsAndKeys.TestCase
