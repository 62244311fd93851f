"""LZF: the small, fast LZ77 compressor Redis bundles (lzf_c.c, lzf_d.c).

Redis uses it in two places: RDB/``DUMP`` strings longer than 20 bytes when
``rdbcompression`` is on (kept only if it saves at least 4 bytes), and the
inner nodes of a quicklist when ``list-compress-depth`` > 0 (kept only if
the node is >= 48 bytes and it saves at least 8). Decompression needs the
original length, which both callers store beside the data.

Compressed stream: a sequence of chunks, each starting with a control byte::

    000LLLLL <L+1 literal bytes>            literal run, 1..32 bytes
    LLLooooo oooooooo                       back reference, length L+2 (3..8)
    111ooooo LLLLLLLL oooooooo              back reference, length L+9 (9..264)

A back reference copies ``length`` bytes starting ``offset+1`` bytes behind
the output cursor (offset 0..8191, 13 bits); the copy may overlap itself,
which is how a run of one byte repeated compresses to a few bytes.

The compressor finds earlier occurrences of the next three bytes through a
hash table of 2**16 slots (``HLOG`` 16) indexed by the ``VERY_FAST`` hash
``((h >> 8) - h*5) & 0xffff`` of those 24 bits, remembering only the most
recent position per slot. This module follows the liblzf 3.6 that Redis 7.0 bundles
step by step (a match may run to the very end of the input, the match
extension is capped at 264 bytes, re-hashing only the last two positions of a match, and
the output-space checks that make it give up), so its output is byte
identical to Redis's -- with one caveat: Redis does not clear the hash table
(``INIT_HTAB`` 0) and a stale slot can in rare cases point at a matching
spot and produce a different, equally valid stream. We start from an empty
table, the deterministic choice.
"""

from __future__ import annotations

HLOG = 16
HSIZE = 1 << HLOG
MAX_LIT = 1 << 5
MAX_OFF = 1 << 13
MAX_REF = (1 << 8) + (1 << 3)


def compress(data: bytes | bytearray, out_len: int | None = None) -> bytes | None:
    """``lzf_compress``: compress ``data`` into at most ``out_len`` bytes.

    Returns None where liblzf returns 0: empty input, or the output would
    not fit in ``out_len`` (Redis passes ``len - 4`` for RDB strings and the
    node size for quicklist nodes, so "did not shrink" is detected by the
    compressor itself). With ``out_len`` None there is no limit.
    """
    ip = 0
    in_len = len(data)
    if in_len == 0:
        return None
    if out_len is None:
        out_len = in_len + in_len // 16 + 64
    if out_len == 0:
        return None
    in_end = in_len
    out = bytearray(out_len + 8)  # slack: a run byte may sit one past the end
    out_end = out_len
    htab: dict[int, int] = {}
    op = 0
    lit = 0
    op += 1  # start run
    hval = (data[0] << 8) | data[1] if in_len >= 2 else 0
    while ip < in_end - 2:
        hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFFFF
        slot = ((hval >> (24 - HLOG)) - hval * 5) & (HSIZE - 1)
        ref = htab.get(slot, 0)  # 0 == in_data itself, rejected by ref > in_data
        htab[slot] = ip
        off = ip - ref - 1
        if (
            0 <= off < MAX_OFF
            and ref > 0
            and data[ref] == data[ip]
            and data[ref + 1] == data[ip + 1]
            and data[ref + 2] == data[ip + 2]
        ):
            length = 2
            maxlen = in_end - ip - length
            if maxlen > MAX_REF:
                maxlen = MAX_REF
            # the exact form of liblzf's two-step space test
            if op - (0 if lit else 1) + 3 + 1 >= out_end:
                return None
            out[op - lit - 1] = (lit - 1) & 0xFF  # stop run
            if not lit:
                op -= 1  # undo run if length is zero
            broke = False
            if maxlen > 16:
                for _ in range(16):
                    length += 1
                    if data[ref + length] != data[ip + length]:
                        broke = True
                        break
            if not broke:
                length += 1
                while length < maxlen and data[ref + length] == data[ip + length]:
                    length += 1
            length -= 2  # now #octets - 1
            ip += 1
            if length < 7:
                out[op] = ((off >> 8) + (length << 5)) & 0xFF
                op += 1
            else:
                out[op] = ((off >> 8) + (7 << 5)) & 0xFF
                out[op + 1] = (length - 7) & 0xFF
                op += 2
            out[op] = off & 0xFF
            op += 1
            lit = 0
            op += 1  # start run
            ip += length + 1
            if ip >= in_end - 2:
                break
            # VERY_FAST: hash the last two positions of the match only.
            ip -= 2
            hval = (data[ip] << 8) | data[ip + 1]
            hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFFFF
            htab[((hval >> (24 - HLOG)) - hval * 5) & (HSIZE - 1)] = ip
            ip += 1
            hval = ((hval << 8) | data[ip + 2]) & 0xFFFFFFFF
            htab[((hval >> (24 - HLOG)) - hval * 5) & (HSIZE - 1)] = ip
            ip += 1
        else:
            if op >= out_end:
                return None
            lit += 1
            out[op] = data[ip]
            op += 1
            ip += 1
            if lit == MAX_LIT:
                out[op - lit - 1] = lit - 1
                lit = 0
                op += 1
    if op + 3 > out_end:
        return None
    while ip < in_end:
        lit += 1
        out[op] = data[ip]
        op += 1
        ip += 1
        if lit == MAX_LIT:
            out[op - lit - 1] = lit - 1
            lit = 0
            op += 1
    out[op - lit - 1] = (lit - 1) & 0xFF  # end run
    if not lit:
        op -= 1
    return bytes(out[:op])


def decompress(data: bytes | bytearray, out_len: int) -> bytes:
    """``lzf_decompress`` with ``CHECK_INPUT``: the original bytes.

    ``out_len`` is the expected size (Redis always knows it). Raises
    ValueError for any stream that reads past its input, references before
    the start of the output, overflows ``out_len`` or does not produce
    exactly ``out_len`` bytes -- never an IndexError, never a loop.
    """
    in_end = len(data)
    if in_end == 0:
        if out_len == 0:
            return b""
        raise ValueError("lzf: empty input")
    out = bytearray()
    ip = 0
    while ip < in_end:
        ctrl = data[ip]
        ip += 1
        if ctrl < 32:
            ctrl += 1
            if len(out) + ctrl > out_len:
                raise ValueError("lzf: output overflow (E2BIG)")
            if ip + ctrl > in_end:
                raise ValueError("lzf: literal run past end of input (EINVAL)")
            out += data[ip : ip + ctrl]
            ip += ctrl
        else:
            length = ctrl >> 5
            if ip >= in_end:
                raise ValueError("lzf: truncated back reference (EINVAL)")
            if length == 7:
                length += data[ip]
                ip += 1
                if ip >= in_end:
                    raise ValueError("lzf: truncated back reference (EINVAL)")
            ref = len(out) - ((ctrl & 0x1F) << 8) - 1 - data[ip]
            ip += 1
            length += 2
            if len(out) + length > out_len:
                raise ValueError("lzf: output overflow (E2BIG)")
            if ref < 0:
                raise ValueError("lzf: back reference before start (EINVAL)")
            if ref + length <= len(out):
                out += out[ref : ref + length]
            else:  # overlapping copy: byte by byte semantics
                for k in range(length):
                    out.append(out[ref + k])
    if len(out) != out_len:
        raise ValueError(f"lzf: produced {len(out)} bytes, expected {out_len}")
    return bytes(out)
