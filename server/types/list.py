"""The list value object (t_list.c): in Redis 7.0, always a quicklist.

Redis 7.0 has exactly one list encoding. Every list, even ``RPUSH k a``, is a
:class:`~server.encodings.quicklist.Quicklist`: a doubly linked list of nodes
whose payloads are small listpacks (the listpack list encoding for short
lists only arrived in 7.2). So ``OBJECT ENCODING`` always answers
``quicklist`` here, and what a learner watches grow is the node chain::

    ListObject --ql--> Quicklist(fill, compress)
                         head <-> node <-> node <-> tail
                                  |
                                  listpack: [entry][entry]...

Two settings are copied into the quicklist when a list is *created*
(``quicklistSetOptions`` in ``pushGenericCommand``) and never re-read, so a
``CONFIG SET`` changes new lists only, exactly as in Redis:

    list-max-listpack-size  (alias list-max-ziplist-size)  the node fill limit
    list-compress-depth                                    raw nodes at each end

Who owns what: this object owns the quicklist; the command layer
(:mod:`server.commands.lists`) decides when the key is created and deleted
(an empty list never stays in the keyspace). Reads that walk the list replay
Redis's iterator (``quicklistNext`` / ``quicklistReleaseIterator``), because
walking decompresses nodes "for use" and recompresses them on leaving, and
that leaves the same compression state as in Redis.

Costs: push/pop at an end O(1); LINDEX/LSET O(N / node fill) node hops plus
one small listpack seek; LRANGE O(S + N) for S skipped and N returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from ..encodings.listpack import Listpack, value_to_bytes
from ..encodings.quicklist import QUICKLIST_HEAD, QUICKLIST_TAIL, Quicklist, QuicklistNode
from ..memory import ROBJ, quicklist_alloc

LIST_HEAD = QUICKLIST_HEAD
LIST_TAIL = QUICKLIST_TAIL

RAW_BYTES_LIMIT = 4096  # inspect(): raw listpack bytes shown per node
ENTRIES_PER_NODE_LIMIT = 256  # inspect(): entries shown per node (a node can hold thousands)
DEFAULT_NODE_WINDOW = 32


def dup_quicklist(ql: Quicklist) -> Quicklist:
    """``quicklistDup``: same options, same nodes, compressed nodes copied as they are."""
    out = Quicklist(fill=ql.fill, compress=ql.compress, packed_threshold=ql.packed_threshold)
    prev: QuicklistNode | None = None
    for node in ql.iter_nodes():
        n = QuicklistNode()
        entry = node.entry
        n.entry = entry.copy() if isinstance(entry, Listpack) else bytes(entry)
        n.count = node.count
        n.sz = node.sz
        n.encoding = node.encoding
        n.container = node.container
        n.recompress = node.recompress
        n.prev = prev
        if prev is None:
            out.head = n
        else:
            prev.next = n
        prev = n
    out.tail = prev
    out.len = ql.len
    out.count = ql.count
    return out


class ListObject:
    """A Redis list: one quicklist plus the interface every value object has."""

    TYPE_NAME = "list"
    __slots__ = ("ql", "encoding")

    def __init__(self, fill: int = -2, compress: int = 0, ql: Quicklist | None = None) -> None:
        self.ql = ql if ql is not None else Quicklist(fill=fill, compress=compress)
        self.encoding = "quicklist"

    @classmethod
    def create(cls, config: Any) -> ListObject:
        """``createQuicklistObject`` + ``quicklistSetOptions`` from the server config."""
        return cls(fill=config.list_max_listpack_size, compress=config.list_compress_depth)

    # -- the common value-object interface -----------------------------------------

    def __len__(self) -> int:
        return self.ql.count

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.ql)

    def copy(self) -> ListObject:
        return ListObject(ql=dup_quicklist(self.ql))

    def memory_usage(self) -> int:
        """``objectComputeSize`` for a quicklist, counting every node (no sampling).

        robj + quicklist struct, then per node its struct plus the allocation
        holding its payload: the listpack, the PLAIN element, or for an
        LZF-compressed node the ``quicklistLZF`` (size_t + compressed bytes).
        The arithmetic lives in :mod:`server.memory`, shared with MEMORY USAGE.
        """
        return ROBJ + quicklist_alloc(self.ql, 1 << 62)

    def inspect(
        self, start: int = 0, count: int = DEFAULT_NODE_WINDOW, path: bytes | None = None
    ) -> dict[str, Any]:
        """``LAB INSPECT``: the quicklist, windowed by *node* (``start``, ``count``).

        Every node in the window shows its header fields; uncompressed PACKED
        nodes also show their listpack entries and raw bytes. ``path`` (an
        element) adds where LPOS would find it first.
        """
        ql = self.ql
        start = max(0, start)
        count = max(0, count)
        nodes = []
        for i, n in enumerate(ql.iter_nodes()):
            if i < start:
                continue
            if i >= start + count:
                break
            node: dict[str, Any] = {
                "index": i,
                "count": n.count,
                "sz": n.sz,
                "container": "PLAIN" if n.is_plain else "PACKED",
                "compressed": int(n.is_compressed),
                "compressed_size": len(n.entry) if n.is_compressed else None,
                "recompress": int(n.recompress),
            }
            if not n.is_plain and not n.is_compressed:
                lp = n.entry
                assert isinstance(lp, Listpack)
                node["entries"] = [
                    {
                        "index": e.index,
                        "offset": e.offset,
                        "encoding": e.encoding,
                        "header_len": e.header_len,
                        "data_len": e.data_len,
                        "value": e.value if isinstance(e.value, int) else bytes(e.value),
                        "backlen": e.backlen,
                        "backlen_size": e.backlen_size,
                        "size": e.size,
                    }
                    for e in islice(lp.entries(), ENTRIES_PER_NODE_LIMIT)
                ]
                node["entries_truncated"] = int(n.count > ENTRIES_PER_NODE_LIMIT)
                node["raw"] = bytes(lp.buf[:RAW_BYTES_LIMIT])
                node["raw_truncated"] = int(len(lp.buf) > RAW_BYTES_LIMIT)
            elif n.is_plain and not n.is_compressed:
                node["value_preview"] = bytes(n.entry[:64])  # type: ignore[index]
            nodes.append(node)
        out: dict[str, Any] = {
            "type": "list",
            "encoding": "quicklist",
            "length": ql.count,
            "node_count": ql.len,
            "fill": ql.fill,
            "compress_depth": ql.compress,
            "window_start": start,
            "nodes": nodes,
        }
        if path is not None:
            pos = -1
            for j, v in enumerate(ql):
                if v == path:
                    pos = j
                    break
            out["path"] = {"element": path, "index": pos}
        return out

    # -- list operations (listType* in t_list.c) -----------------------------------

    def push(self, value: bytes, where: int) -> None:
        """``listTypePush``."""
        if where == LIST_HEAD:
            self.ql.push_head(value)
        else:
            self.ql.push_tail(value)

    def pop(self, where: int) -> bytes | None:
        """``listTypePop``."""
        return self.ql.pop(QUICKLIST_HEAD if where == LIST_HEAD else QUICKLIST_TAIL)

    def index(self, idx: int) -> bytes | None:
        """LINDEX: the element, or None when out of range."""
        if idx >= self.ql.count or idx < -self.ql.count:
            return None
        return self.ql.index(idx)

    def replace(self, idx: int, value: bytes) -> bool:
        """``quicklistReplaceAtIndex`` (LSET): False when out of range."""
        if idx >= self.ql.count or idx < -self.ql.count:
            return False
        self.ql.replace(idx, value)
        return True

    def insert_at_pivot(self, pivot: bytes, value: bytes, after: bool) -> bool:
        return self.ql.insert_at_pivot(pivot, value, after)

    def remove(self, value: bytes, count: int) -> int:
        return self.ql.remove(value, count)

    def delete_range(self, start: int, count: int) -> None:
        """``quicklistDelRange`` (LTRIM, LPOP/RPOP with COUNT)."""
        self.ql.delete_range(start, count)

    def iterate(self, index: int, forward: bool) -> Iterator[bytes]:
        """``listTypeInitIterator(index, direction)`` + ``listTypeNext`` ... release.

        Replays Redis's quicklist iterator so that nodes are decompressed for
        use while visited and recompressed on leaving (and the lazy
        compression of ``__quicklistCompress`` runs where Redis runs it). The
        generator must be closed (it is, when exhausted or garbage collected;
        callers use ``with closing(...)`` or exhaust it).
        """
        ql = self.ql
        loc = ql._locate(index)
        if loc is None:
            return
        current: QuicklistNode | None
        current, offset = loc
        pos = offset if offset >= 0 else current.count + offset  # index inside the node
        p: int | None = None  # byte offset of the entry inside the node's listpack
        positioned = False
        try:
            while current is not None:
                if not positioned:
                    ql._decompress_node(current, for_use=True)
                    if current.is_plain:
                        have = True
                    else:
                        lp = current.entry
                        assert isinstance(lp, Listpack)
                        p = lp.seek(pos)
                        have = p is not None
                elif current.is_plain:
                    have = False
                else:
                    p = lp.next(p) if forward else lp.prev(p)  # type: ignore[arg-type]
                    have = p is not None
                if not have:
                    ql._compress(current)
                    current = current.next if forward else current.prev
                    if current is not None:
                        pos = 0 if forward else current.count - 1
                    positioned = False
                    continue
                positioned = True
                if current.is_plain:
                    yield current.entry  # type: ignore[misc]
                else:
                    yield value_to_bytes(lp.value_at(p))  # type: ignore[arg-type]
        finally:
            if current is not None:
                ql._compress(current)

    def range(self, start: int, end: int, reverse: bool = False) -> list[bytes]:
        """``addListRangeReply``: elements start..end (inclusive, negatives from the tail).

        With ``reverse`` the elements come from ``end`` down to ``start`` (RPOP
        with COUNT replies tail first).
        """
        llen = self.ql.count
        if start < 0:
            start += llen
        if end < 0:
            end += llen
        if start < 0:
            start = 0
        if start > end or start >= llen:
            return []
        if end >= llen:
            end = llen - 1
        n = end - start + 1
        if not reverse:
            return self._range_forward(start, n)
        out: list[bytes] = []
        it = self.iterate(end if reverse else start, forward=not reverse)
        try:
            for v in it:
                out.append(v)
                if len(out) == n:
                    break
        finally:
            it.close()
        return out

    def _range_forward(self, start: int, n: int) -> list[bytes]:
        """LRANGE's walk, node by node, decoding each node's run of entries at once.

        Nodes are decompressed for use and recompressed on leaving, as the
        iterator in :meth:`iterate` (and Redis's) does.
        """
        ql = self.ql
        loc = ql._locate(start)
        if loc is None:
            return []
        node, offset = loc
        pos = offset if offset >= 0 else node.count + offset
        out: list[bytes] = []
        while node is not None and n:
            ql._decompress_node(node, for_use=True)
            if node.is_plain:
                out.append(node.entry)  # type: ignore[arg-type]
                n -= 1
            else:
                lp = node.entry
                p = lp.seek(pos)
                if p is not None:
                    values, _ = lp.decode_run(p, n)
                    out += values
                    n -= len(values)
            ql._compress(node)
            node = node.next
            pos = 0
        return out

    def position(self, element: bytes, rank: int, count: int, maxlen: int) -> list[int]:
        """LPOS's search: ``rank`` (negative: from the tail), up to ``count`` (0: all)."""
        forward = rank > 0
        rank = abs(rank)
        llen = self.ql.count
        matches = 0
        found: list[int] = []
        it = self.iterate(0 if forward else -1, forward)
        try:
            for index, v in enumerate(it):
                if maxlen and index >= maxlen:
                    break
                if v == element:
                    matches += 1
                    if matches >= rank:
                        found.append(index if forward else llen - index - 1)
                        if count and matches - rank + 1 >= count:
                            break
        finally:
            it.close()
        return found
