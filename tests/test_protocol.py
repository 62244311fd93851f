"""The request protocol on raw sockets, against both servers, byte for byte.

Each case sends the same bytes to our server and to real Redis 7.0 and
compares exactly what comes back, and whether the connection is then closed.
After every malformed input both servers must still answer PING and still hold
the keys written before (the "nothing a user types can hurt the server" rule).

:class:`Raw` (a socket plus a RESP reply reader that returns each reply's
exact bytes) is also used by the other raw-socket test files.
"""

from __future__ import annotations

import socket
import subprocess

import pytest
import redis

from tests.support import REDIS_CLI, start_lab_server, start_real_redis

TIMEOUT = 10.0


class Raw:
    """A raw connection: send bytes, read whole RESP replies as their exact bytes."""

    def __init__(self, port: int, timeout: float = TIMEOUT) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.eof = False

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, data: bytes) -> Raw:
        self.sock.sendall(data)
        return self

    def _fill(self) -> bool:
        if self.eof:
            return False
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def _line(self, pos: int) -> int:
        """Index just after the CRLF ending the line at pos (reading more as needed)."""
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return i + 2
            if not self._fill():
                raise EOFError(f"connection closed in a line; have {self.buf!r}")

    def _need(self, end: int) -> None:
        while len(self.buf) < end:
            if not self._fill():
                raise EOFError(f"connection closed in a bulk; have {self.buf!r}")

    def _reply_end(self, pos: int) -> int:
        self._need(pos + 1)
        kind = self.buf[pos : pos + 1]
        end = self._line(pos)
        head = self.buf[pos + 1 : end - 2]
        if kind in b"$=!":
            n = int(head)
            if n < 0:
                return end
            self._need(end + n + 2)
            return end + n + 2
        if kind in b"*~>%|":
            n = int(head)
            if kind in b"%|":
                n *= 2
            for _ in range(max(n, 0)):
                end = self._reply_end(end)
            if kind == b"|":  # an attribute precedes the real reply
                end = self._reply_end(end)
            return end
        return end  # + - : _ , # (

    def reply(self) -> bytes:
        """The next complete reply's bytes."""
        end = self._reply_end(0)
        out, self.buf = self.buf[:end], self.buf[end:]
        return out

    def call(self, *args: bytes | str) -> bytes:
        return self.send(encode(*args)).reply()

    def closed(self) -> bool:
        """True when the server closes the connection with no more bytes pending."""
        while self._fill():
            pass
        return self.eof and not self.buf

    def rest_then_closed(self) -> bytes:
        while self._fill():
            pass
        out, self.buf = self.buf, b""
        return out


def encode(*args: bytes | str) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


@pytest.fixture(scope="module")
def servers():
    ours = start_lab_server()
    try:
        real = start_real_redis()
    except RuntimeError as e:
        ours.stop()
        pytest.skip(str(e))
    for s in (ours, real):
        s.client().set("sentinel", "still here")
    yield ours, real
    ours.stop()
    real.stop()


def both(servers, data: bytes, *, closes: bool):
    """Send data on a fresh connection to each server; return (ours, real) bytes to EOF."""
    out = []
    for s in servers:
        with Raw(s.port) as c:
            c.send(data)
            if closes:
                out.append(c.rest_then_closed())
            else:
                # QUIT answers +OK then closes, authenticated or not: a clean end marker.
                c.send(b"QUIT\r\n")
                out.append(c.rest_then_closed())
    return out


def healthy(servers):
    for s in servers:
        c = s.client()
        assert c.ping()
        assert c.get("sentinel") == b"still here"
        c.close()


MALFORMED = [
    (b"*abc\r\n", "mbulk-not-number"),
    (b"*1\r\n:5\r\n", "expected-dollar"),
    (b"*1\r\n+OK\r\n", "expected-dollar-plus"),
    (b"*1\r\n$-5\r\n", "bulk-negative"),
    (b"*1\r\n$abc\r\n", "bulk-not-number"),
    (b"*1\r\n$536870913\r\n", "bulk-over-proto-max"),
    (b"*1\r\n$ 3\r\nfoo\r\n", "bulk-space"),
    (b"*1\r\n$+3\r\nfoo\r\n", "bulk-plus"),
    (b"*01\r\n$4\r\nPING\r\n", "mbulk-leading-zero"),
    (b'SET k "abc\r\n', "unbalanced-double"),
    (b"SET k 'abc\r\n", "unbalanced-single"),
    (b'SET k "abc"def\r\n', "closing-quote-not-followed-by-space"),
    (b"ECHO 'it''s'\r\n", "adjacent-single-quotes"),
    (b"x" * (64 * 1024 + 10), "too-big-inline"),
    (b"*" + b"1" * (64 * 1024 + 10), "too-big-mbulk-count"),
    (b"*1\r\n$" + b"1" * (64 * 1024 + 10), "too-big-bulk-count"),
    (b"PING\r\n*x\r\n", "pipeline-then-error"),
]


@pytest.mark.parametrize("data", [m[0] for m in MALFORMED], ids=[m[1] for m in MALFORMED])
def test_malformed_closes_like_redis(servers, data):
    ours, real = both(servers, data, closes=True)
    assert ours == real
    assert ours.startswith((b"-ERR Protocol error", b"+PONG\r\n-ERR Protocol error"))
    healthy(servers)


WELLFORMED = [
    (b"*-1\r\nPING\r\n", "mbulk-negative-skipped"),
    (b"*0\r\nPING\r\n", "mbulk-zero-skipped"),
    (b"\r\n\r\n\n", "empty-inline-lines"),
    (b"   \r\n", "blank-inline"),
    (b"*1\r\n$4\r\nPING\r\n", "multibulk"),
    (b"PING\n", "inline-lf-only"),
    (b'ECHO "a\\x41\\n\\t\\"q"\r\n', "inline-escapes"),
    (b"ECHO 'a\\'b'\r\n", "inline-single-quote-escape"),
    (b'ECHO "\\x4g"\r\n', "inline-bad-hex"),
    (b"ECHO  spaced   out\r\n", "inline-extra-args"),
    (b'SET k "a\\x41\\n"\r\nGET k\r\nSTRLEN k\r\n', "inline-set-escapes"),
    (b"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "empty-bulk"),
    (b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na\r\nb\r\nGET k\r\n", "binary-crlf-in-bulk"),
    (b"nosuchcommand a b\r\n", "inline-unknown"),
    (b'"" x\r\n', "inline-empty-command-name"),
    (b'ECHO "a\\qb"\r\nECHO "\\\\"\r\nECHO \'a\\"b\'\r\n', "inline-backslash-other"),
    (b"ECHO \"\"\r\nECHO ''\r\n", "inline-empty-quoted"),
    (b"ECHO\ta\t b \r\n", "inline-tabs"),
    (b"ECHO a\rb\r\n", "inline-cr-inside"),
    (b'ECHO "\\x41\\X42\\x4"\r\n', "inline-hex-case"),
    (b"*1\r\n$0\r\n\r\n", "empty-command-name"),
    (b"*2\r\n$4\r\nECHO\r\n$3\r\nabcXY", "crlf-after-bulk-not-checked"),
]


@pytest.mark.parametrize("data", [m[0] for m in WELLFORMED], ids=[m[1] for m in WELLFORMED])
def test_wellformed_inline_and_multibulk(servers, data):
    ours, real = both(servers, data, closes=False)
    assert ours == real
    assert ours.endswith(b"+OK\r\n")
    healthy(servers)


def test_commands_after_a_protocol_error_do_not_run(servers):
    data = b"SET before 1\r\n*x\r\nSET after 1\r\n"
    got = both(servers, data, closes=True)
    assert got[0] == got[1] == b"+OK\r\n-ERR Protocol error: invalid multibulk length\r\n"
    for srv in servers:
        c = srv.client()
        assert c.exists("before", "after") == 1
        c.delete("before")
        c.close()


@pytest.fixture(scope="module")
def auth_servers():
    ours = start_lab_server("--requirepass", "pw")
    try:
        real = start_real_redis("--requirepass", "pw")
    except RuntimeError as e:
        ours.stop()
        pytest.skip(str(e))
    yield ours, real
    ours.stop()
    real.stop()


@pytest.mark.parametrize(
    "data,closes",
    [
        (encode(*["PING"] * 10), False),
        (encode("AUTH", "x" * 16384), False),
        (b"GET k\r\n", False),
        (encode("AUTH", "pw") + encode(*["ECHO"] + ["x"] * 10), False),  # after AUTH: fine
        (encode("AUTH", "pw") + encode("ECHO", "x" * 20000), False),
    ],
    ids=["10-args", "16384-bytes", "inline-noauth", "after-auth-11-args", "after-auth-big"],
)
def test_unauthenticated_within_limits(auth_servers, data, closes):
    got = both(auth_servers, data, closes=closes)
    assert got[0] == got[1]


@pytest.mark.parametrize(
    "data", [encode(*["PING"] * 11), b"*1\r\n$16385\r\n"], ids=["11-args", "16385-bytes"]
)
def test_unauthenticated_over_limits(auth_servers, data):
    got = both(auth_servers, data, closes=True)
    assert got[0] == got[1]


def _vm_peak_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmPeak:"):
                return int(line.split()[1])
    raise AssertionError("no VmPeak")


def test_huge_multibulk_count_does_not_allocate(servers):
    ours = start_lab_server()  # a private one: the bug stalls the server for seconds
    try:
        before = _vm_peak_kb(ours.proc.pid)
        with Raw(ours.port) as c:
            c.send(b"*2147483647\r\n")
            c.sock.settimeout(2)
            with pytest.raises(TimeoutError):
                c._fill()  # a valid count: the server waits for the arguments
        grown_mb = (_vm_peak_kb(ours.proc.pid) - before) // 1024
        assert grown_mb < 1024
        got = both((ours, servers[1]), b"*2147483648\r\n", closes=True)
        assert got[0] == got[1] == b"-ERR Protocol error: invalid multibulk length\r\n"
    finally:
        ours.stop()


def test_pipeline_of_1000_in_order(servers):
    data = b"".join(encode("SET", f"p:{i}", str(i)) + encode("GET", f"p:{i}") for i in range(500))
    data += b"".join(encode("INCR", "p:counter") for _ in range(1000))
    results = []
    for s in servers:
        with Raw(s.port) as c:
            c.send(data)
            results.append([c.reply() for _ in range(2000)])
    assert results[0] == results[1]
    assert results[0][1] == b"$1\r\n0\r\n"
    assert results[0][-1] == b":1000\r\n"
    for s in servers:
        s.client().delete("p:counter", *[f"p:{i}" for i in range(500)])


def test_frame_split_at_every_byte(servers):
    frame = encode("SET", "split", "va\r\nlue") + b"GET split\r\n" + encode("ECHO", "x" * 300)
    for s in servers:
        expected = None
        for cut in range(1, len(frame)):
            with Raw(s.port) as c:
                c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                c.send(frame[:cut])
                c.send(frame[cut:])
                got = c.reply() + c.reply() + c.reply()
            expected = expected or got
            assert got == expected, cut
        assert expected == b"+OK\r\n$7\r\nva\r\nlue\r\n$300\r\n" + b"x" * 300 + b"\r\n"


def test_frame_byte_by_byte(servers):
    frame = encode("SET", "slow", "1") + encode("INCRBY", "slow", "41") + b"GET slow\r\n"
    for s in servers:
        with Raw(s.port) as c:
            c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(len(frame)):
                c.send(frame[i : i + 1])
            assert c.reply() + c.reply() + c.reply() == b"+OK\r\n:42\r\n$2\r\n42\r\n"


@pytest.mark.skipif(REDIS_CLI is None, reason="redis-cli is not installed")
def test_redis_cli_pipe_mass_insert(servers, tmp_path):
    # As https://redis.io/docs/manual/patterns/bulk-loading/ describes: the raw
    # protocol for each command, fed to ``redis-cli --pipe`` (which appends an
    # ECHO with a random 20-byte marker to know when all replies arrived).
    path = tmp_path / "mass.txt"
    with open(path, "wb") as f:
        for i in range(100_000):
            f.write(encode("SET", f"Key{i}", f"Value{i}"))
    for s in servers:
        with open(path, "rb") as f:
            out = subprocess.run(
                [REDIS_CLI, "-p", str(s.port), "--pipe"], stdin=f, capture_output=True, timeout=60
            )
        assert out.returncode == 0, out.stderr
        assert b"errors: 0, replies: 100000" in out.stdout, out.stdout
        c = s.client()
        assert c.dbsize() >= 100_000
        assert c.get("Key99999") == b"Value99999"
        c.execute_command("FLUSHALL")
        c.set("sentinel", "still here")
        c.close()


def test_client_query_buffer_limit(servers):
    for s in servers:
        c = s.client()
        c.set("qb", "intact")
        c.config_set("client-query-buffer-limit", "1mb")
        try:
            with Raw(s.port) as raw:
                raw.send(b"*3\r\n$3\r\nSET\r\n$2\r\nqb\r\n$2097152\r\n")
                sent = 0
                chunk = b"z" * 65536
                try:
                    while sent < 1_500_000:
                        raw.send(chunk)
                        sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                assert raw.rest_then_closed() == b""
        finally:
            c.config_set("client-query-buffer-limit", "1gb")
        assert c.get("qb") == b"intact"
        assert c.ping()
        c.close()
    healthy(servers)


def test_quit_closes_after_ok(servers):
    for s in servers:
        with Raw(s.port) as c:
            assert c.send(b"QUIT\r\nPING\r\n").rest_then_closed() == b"+OK\r\n"
        with Raw(s.port) as c:
            assert c.call("QUIT", "extra") == b"+OK\r\n"  # 7.0: arity -1
            assert c.closed()


def test_redis_py_still_works_after_abuse(servers):
    for s in servers:
        c = s.client()
        c.set("after", "abuse")
        assert c.get("after") == b"abuse"
        with pytest.raises(redis.ResponseError):
            c.execute_command("NOSUCH")
        c.close()


@pytest.mark.parametrize("chunk", [1000, 4096, 65535, 65536, 100_001])
def test_big_bulk_in_pieces_then_pipeline(servers, chunk):
    value = bytes(range(256)) * 800  # 204800 bytes, every byte value, CRLFs inside
    data = (
        encode("SET", "big", value)
        + encode("STRLEN", "big")
        + encode("GETRANGE", "big", "-3", "-1")
    )
    data += encode("SET", "small", "1") + b"GET small\r\n"
    for srv in servers:
        with Raw(srv.port) as c:
            c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(0, len(data), chunk):
                c.send(data[i : i + chunk])
            got = [c.reply() for _ in range(5)]
            assert got == [b"+OK\r\n", b":204800\r\n", b"$3\r\n\xfd\xfe\xff\r\n", b"+OK\r\n",
                           b"$1\r\n1\r\n"], srv.kind  # fmt: skip
            assert c.call("GET", "big") == b"$204800\r\n" + value + b"\r\n"
            c.call("DEL", "big", "small")


def test_proto_max_bulk_len(servers):
    for srv in servers:
        srv.client().config_set("proto-max-bulk-len", "1mb")
    try:
        ok = encode("SET", "pm", "x" * (1024 * 1024))
        got = both(servers, ok, closes=False)
        assert got[0] == got[1] == b"+OK\r\n+OK\r\n"
        got = both(servers, b"*3\r\n$3\r\nSET\r\n$2\r\npm\r\n$1048577\r\n", closes=True)
        assert got[0] == got[1] == b"-ERR Protocol error: invalid bulk length\r\n"
    finally:
        for srv in servers:
            c = srv.client()
            c.config_set("proto-max-bulk-len", "512mb")
            c.delete("pm")
    healthy(servers)
