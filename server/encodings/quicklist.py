"""Quicklist: Redis 7.0's list encoding, a linked list of listpacks (quicklist.c).

A plain linked list costs two pointers and an allocation per element; one
big listpack makes every push in the middle move the whole array. The
quicklist splits the difference: a doubly linked list of *nodes*, each
holding a small listpack, so pushes and pops touch one small array and
memory stays dense::

    quicklist                                                 (fill, compress)
      head --> [node]<-->[node]<-->[node]<-->[node] <-- tail
                 |         |         |         |
               listpack   LZF      LZF      listpack
               (raw)    (inner nodes may be compressed)   (raw)

Node fields (quicklistNode): ``count`` entries, ``sz`` bytes of the
uncompressed listpack, ``encoding`` RAW or LZF, ``container`` PACKED (a
listpack) or PLAIN (one element stored alone, for elements of at least
``packed_threshold`` bytes, 1GB by default), ``recompress`` (decompressed
temporarily for use, compress again when done).

How full a node may get is ``fill`` = ``list-max-listpack-size``:

* negative -1..-5: a byte limit of 4096, 8192, 16384, 32768 or 65536 for the
  listpack (``optimization_level``); -2 (8KB) is the default.
* positive N: at most N entries, but never above ``SIZE_SAFETY_LIMIT`` 8192
  bytes, so a node of N huge strings cannot grow without bound.

Before an insert Redis estimates the new size as ``sz + len(value) +
SIZE_ESTIMATE_OVERHEAD`` (8, an over-estimate of header and back-length) --
that is ``_quicklistNodeAllowInsert`` in 7.0 (7.2 refactored it into
``quicklistNodeExceedsLimit`` with the same numbers) and we use the same
arithmetic, so nodes split at the same elements as in Redis; the tests
compare every node's bytes with real Redis ``DUMP`` payloads. Merges of neighbours
(``_quicklistNodeAllowMerge``, after an insert split a node) estimate the
merged size as ``a.sz + b.sz - 11``.

``compress`` = ``list-compress-depth``: that many nodes at each end stay raw
(they are where pushes and pops happen); inner nodes are LZF-compressed when
they are at least ``MIN_COMPRESS_BYTES`` 48 bytes and compression saves at
least ``MIN_COMPRESS_IMPROVE`` 8 bytes. Compression is lazy, as in Redis:
``__quicklistCompress`` only compresses the node just touched and the two
nodes just beyond the depth, which is enough to keep the invariant as the
list grows from its ends.

Costs: push/pop O(1) (amortised over the small listpack memmove); index
O(N / entries per node) node hops, walking from the nearer end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import lzf
from .listpack import Listpack, value_to_bytes

QUICKLIST_NODE_ENCODING_RAW = 1
QUICKLIST_NODE_ENCODING_LZF = 2
QUICKLIST_NODE_CONTAINER_PLAIN = 1
QUICKLIST_NODE_CONTAINER_PACKED = 2

QUICKLIST_HEAD = 0
QUICKLIST_TAIL = -1

optimization_level = (4096, 8192, 16384, 32768, 65536)
SIZE_SAFETY_LIMIT = 8192
SIZE_ESTIMATE_OVERHEAD = 8
MIN_COMPRESS_BYTES = 48
MIN_COMPRESS_IMPROVE = 8
DEFAULT_PACKED_THRESHOLD = 1 << 30

QL_FILL_BITS = 16
QL_COMP_BITS = 16
FILL_MAX = (1 << (QL_FILL_BITS - 1)) - 1
COMPRESS_MAX = (1 << QL_COMP_BITS) - 1


def _as_bytes(value: bytes | str | int) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).encode()
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


class QuicklistNode:
    """One node. ``entry`` is a Listpack (raw packed), bytes (raw plain) or
    the LZF bytes when ``encoding`` is LZF."""

    __slots__ = (
        "prev",
        "next",
        "entry",
        "count",
        "sz",
        "encoding",
        "container",
        "recompress",
        "dont_compress",
    )

    def __init__(self) -> None:
        self.prev: QuicklistNode | None = None
        self.next: QuicklistNode | None = None
        self.entry: Listpack | bytes = Listpack()
        self.count = 0
        self.sz = 0
        self.encoding = QUICKLIST_NODE_ENCODING_RAW
        self.container = QUICKLIST_NODE_CONTAINER_PACKED
        self.recompress = False
        self.dont_compress = False

    @property
    def is_plain(self) -> bool:
        return self.container == QUICKLIST_NODE_CONTAINER_PLAIN

    @property
    def is_compressed(self) -> bool:
        return self.encoding == QUICKLIST_NODE_ENCODING_LZF

    def update_sz(self) -> None:
        assert isinstance(self.entry, Listpack)
        self.sz = len(self.entry.buf)

    def raw_bytes(self) -> bytes:
        """The uncompressed payload (listpack bytes or the plain element)."""
        if self.is_compressed:
            assert isinstance(self.entry, bytes)
            return lzf.decompress(self.entry, self.sz)
        if isinstance(self.entry, Listpack):
            return self.entry.to_bytes()
        return self.entry

    def lzf_bytes(self) -> bytes | None:
        """``quicklistGetLzf``: the compressed bytes, None when raw."""
        return self.entry if self.is_compressed else None  # type: ignore[return-value]

    def values(self) -> list[bytes]:
        """The node's elements as strings, without changing its state."""
        raw = self.raw_bytes()
        if self.is_plain:
            return [raw]
        return [value_to_bytes(v) for v in Listpack.from_bytes(raw, deep=False)]


def _node_values(node: QuicklistNode) -> list[bytes]:
    """A raw PACKED node's elements, decoded in one walk of its listpack."""
    assert isinstance(node.entry, Listpack)
    return [value_to_bytes(v) for v in node.entry]


@dataclass(frozen=True)
class NodeInfo:
    """One node as the inspector shows it."""

    index: int
    count: int
    sz: int
    container: str  # "PACKED" or "PLAIN"
    compressed: bool
    compressed_size: int | None
    recompress: bool


class Quicklist:
    """A quicklist with Redis's fill, compression, split and merge rules."""

    def __init__(
        self,
        fill: int = -2,
        compress: int = 0,
        packed_threshold: int = DEFAULT_PACKED_THRESHOLD,
        values: Iterable[bytes | str | int] = (),
    ) -> None:
        self.head: QuicklistNode | None = None
        self.tail: QuicklistNode | None = None
        self.len = 0  # nodes
        self.count = 0  # elements
        self.fill = max(-5, min(fill, FILL_MAX))
        self.compress = max(0, min(compress, COMPRESS_MAX))
        self.packed_threshold = packed_threshold
        for v in values:
            self.push_tail(v)

    # -- sizes ---------------------------------------------------------------

    def __len__(self) -> int:
        return self.count

    def __del__(self) -> None:
        """``quicklistRelease``: unlink the prev pointers so reference counting frees the nodes.

        (A doubly linked chain is a run of reference cycles; see ZSkiplist.__del__.)
        """
        node = self.tail
        while node is not None:
            node.prev, node = None, node.prev

    def _is_large(self, sz: int) -> bool:
        return sz >= self.packed_threshold

    def _size_meets_optimization(self, sz: int) -> bool:
        """``_quicklistNodeSizeMeetsOptimizationRequirement``."""
        if self.fill >= 0:
            return False
        offset = -self.fill - 1
        if offset < len(optimization_level):
            return sz <= optimization_level[offset]
        return False

    def _allow_insert(self, node: QuicklistNode | None, sz: int) -> bool:
        """``_quicklistNodeAllowInsert``."""
        if node is None or node.is_plain or self._is_large(sz):
            return False
        new_sz = node.sz + sz + SIZE_ESTIMATE_OVERHEAD
        if self._size_meets_optimization(new_sz):
            return True
        if new_sz > SIZE_SAFETY_LIMIT:
            return False
        return node.count < self.fill

    def _allow_merge(self, a: QuicklistNode | None, b: QuicklistNode | None) -> bool:
        """``_quicklistNodeAllowMerge``."""
        if a is None or b is None or a.is_plain or b.is_plain:
            return False
        merge_sz = (a.sz + b.sz - 11) & 0xFFFFFFFF
        if self._size_meets_optimization(merge_sz):
            return True
        if merge_sz > SIZE_SAFETY_LIMIT:
            return False
        return a.count + b.count <= self.fill

    # -- compression ------------------------------------------------------------

    def _compress_node_raw(self, node: QuicklistNode) -> bool:
        """``__quicklistCompressNode``."""
        if node.dont_compress:
            return False
        if node.prev is None or node.next is None:
            return False  # Redis asserts: ends are never compressed
        node.recompress = False
        if node.sz < MIN_COMPRESS_BYTES:
            return False
        raw = node.raw_bytes()
        out = lzf.compress(raw, node.sz)
        if out is None or len(out) + MIN_COMPRESS_IMPROVE >= node.sz:
            return False
        node.entry = out
        node.encoding = QUICKLIST_NODE_ENCODING_LZF
        return True

    def _compress_node(self, node: QuicklistNode | None) -> None:
        """``quicklistCompressNode``: compress only raw nodes."""
        if node is not None and node.encoding == QUICKLIST_NODE_ENCODING_RAW:
            self._compress_node_raw(node)

    @staticmethod
    def _decompress_node(node: QuicklistNode | None, for_use: bool = False) -> None:
        """``quicklistDecompressNode`` / ``quicklistDecompressNodeForUse``."""
        if node is None or node.encoding != QUICKLIST_NODE_ENCODING_LZF:
            return
        node.recompress = False
        assert isinstance(node.entry, bytes)
        raw = lzf.decompress(node.entry, node.sz)
        node.entry = raw if node.is_plain else Listpack.from_bytes(raw, deep=False)
        node.encoding = QUICKLIST_NODE_ENCODING_RAW
        if for_use:
            node.recompress = True

    def _compress_around(self, node: QuicklistNode | None) -> None:
        """``__quicklistCompress``: keep ``compress`` raw nodes at each end."""
        if self.len == 0:
            return
        if self.compress == 0 or self.len < self.compress * 2:
            return
        forward = self.head
        reverse = self.tail
        in_depth = False
        depth = 0
        while depth < self.compress:
            depth += 1
            assert forward is not None and reverse is not None
            self._decompress_node(forward)
            self._decompress_node(reverse)
            if forward is node or reverse is node:
                in_depth = True
            if forward is reverse or forward.next is reverse:
                return
            forward = forward.next
            reverse = reverse.prev
        if not in_depth:
            self._compress_node(node)
        self._compress_node(forward)
        self._compress_node(reverse)

    def _compress(self, node: QuicklistNode) -> None:
        """``quicklistCompress`` macro."""
        if node.recompress:
            self._compress_node(node)
        else:
            self._compress_around(node)

    def _recompress_only(self, node: QuicklistNode | None) -> None:
        if node is not None and node.recompress:
            self._compress_node(node)

    # -- node list maintenance -----------------------------------------------------

    def _insert_node(self, old: QuicklistNode | None, new: QuicklistNode, after: bool) -> None:
        """``__quicklistInsertNode``."""
        if after:
            new.prev = old
            if old is not None:
                new.next = old.next
                if old.next is not None:
                    old.next.prev = new
                old.next = new
            if self.tail is old:
                self.tail = new
        else:
            new.next = old
            if old is not None:
                new.prev = old.prev
                if old.prev is not None:
                    old.prev.next = new
                old.prev = new
            if self.head is old:
                self.head = new
        if self.len == 0:
            self.head = self.tail = new
        self.len += 1
        if old is not None:
            self._compress(old)
        self._compress(new)

    def _del_node(self, node: QuicklistNode) -> None:
        """``__quicklistDelNode``."""
        if node.next is not None:
            node.next.prev = node.prev
        if node.prev is not None:
            node.prev.next = node.next
        if node is self.tail:
            self.tail = node.prev
        if node is self.head:
            self.head = node.next
        self.len -= 1
        self.count -= node.count
        self._compress_around(None)
        node.prev = node.next = None

    def _new_packed_node(self, value: bytes, at_head: bool = True) -> QuicklistNode:
        node = QuicklistNode()
        lp = Listpack()
        lp.prepend(value) if at_head else lp.append(value)
        node.entry = lp
        node.count = 1
        node.update_sz()
        return node

    def _new_plain_node(self, value: bytes) -> QuicklistNode:
        node = QuicklistNode()
        node.entry = bytes(value)
        node.container = QUICKLIST_NODE_CONTAINER_PLAIN
        node.sz = len(value)
        node.count = 1
        return node

    def _insert_plain_node(self, old: QuicklistNode | None, value: bytes, after: bool) -> None:
        self._insert_node(old, self._new_plain_node(value), after)
        self.count += 1

    # -- push / pop -----------------------------------------------------------------

    def push_head(self, value: bytes | str | int) -> bool:
        """``quicklistPushHead``; True when a new head node was created."""
        value = _as_bytes(value)
        orig = self.head
        if self._is_large(len(value)):
            self._insert_plain_node(self.head, value, False)
            return True
        if self._allow_insert(self.head, len(value)):
            assert self.head is not None and isinstance(self.head.entry, Listpack)
            self.head.entry.prepend(value)
            self.head.update_sz()
        else:
            node = QuicklistNode()
            node.entry.prepend(value)  # type: ignore[union-attr]
            node.update_sz()
            self._insert_node(self.head, node, False)
        self.count += 1
        assert self.head is not None
        self.head.count += 1
        return orig is not self.head

    def push_tail(self, value: bytes | str | int) -> bool:
        """``quicklistPushTail``; True when a new tail node was created."""
        value = _as_bytes(value)
        orig = self.tail
        if self._is_large(len(value)):
            self._insert_plain_node(self.tail, value, True)
            return True
        if self._allow_insert(self.tail, len(value)):
            assert self.tail is not None and isinstance(self.tail.entry, Listpack)
            self.tail.entry.append(value)
            self.tail.update_sz()
        else:
            node = QuicklistNode()
            node.entry.append(value)  # type: ignore[union-attr]
            node.update_sz()
            self._insert_node(self.tail, node, True)
        self.count += 1
        assert self.tail is not None
        self.tail.count += 1
        return orig is not self.tail

    def push(self, value: bytes | str | int, where: int = QUICKLIST_TAIL) -> None:
        if where == QUICKLIST_HEAD:
            self.push_head(value)
        else:
            self.push_tail(value)

    def _del_index(self, node: QuicklistNode, offset: int) -> bool:
        """``quicklistDelIndex``: True when the whole node went away."""
        if node.is_plain:
            self._del_node(node)
            return True
        assert isinstance(node.entry, Listpack)
        node.entry.delete(offset)
        node.count -= 1
        if node.count == 0:
            self._del_node(node)
            gone = True
        else:
            node.update_sz()
            gone = False
        self.count -= 1
        return gone

    def pop(self, where: int = QUICKLIST_HEAD) -> bytes | None:
        """``quicklistPopCustom``: remove and return the head or tail element."""
        if self.count == 0:
            return None
        node = self.head if where == QUICKLIST_HEAD else self.tail
        assert node is not None and not node.is_compressed
        if node.is_plain:
            value = node.entry
            assert isinstance(value, bytes)
            self._del_node(node)
            return value
        assert isinstance(node.entry, Listpack)
        pos = 0 if where == QUICKLIST_HEAD else -1
        value = value_to_bytes(node.entry.get(pos))
        self._del_index(node, pos)
        return value

    def pop_head(self) -> bytes | None:
        return self.pop(QUICKLIST_HEAD)

    def pop_tail(self) -> bytes | None:
        return self.pop(QUICKLIST_TAIL)

    # -- positions ----------------------------------------------------------------

    def _locate(self, idx: int) -> tuple[QuicklistNode, int] | None:
        """``quicklistGetIteratorAtIdx``: (node, offset) for element ``idx``.

        The offset is positive for a non-negative ``idx`` and negative
        (from the node's tail) for a negative one, as in Redis; the walk
        starts from whichever end is nearer.
        """
        forward = idx >= 0
        index = idx if forward else -idx - 1
        if index >= self.count:
            return None
        seek_forward = forward
        seek_index = index
        if index > (self.count - 1) // 2:
            seek_forward = not forward
            seek_index = self.count - 1 - index
        n = self.head if seek_forward else self.tail
        accum = 0
        while n is not None:
            if accum + n.count > seek_index:
                break
            accum += n.count
            n = n.next if seek_forward else n.prev
        if n is None:
            return None
        if seek_forward != forward:
            accum = self.count - n.count - accum
        offset = index - accum if forward else -index - 1 + accum
        return n, offset

    def _entry_for_use(self, idx: int) -> tuple[QuicklistNode, int]:
        loc = self._locate(idx)
        if loc is None:
            raise IndexError("quicklist index out of range")
        node, offset = loc
        self._decompress_node(node, for_use=True)
        return node, offset

    def index(self, idx: int) -> bytes:
        """``LINDEX``: element ``idx`` (negative from the tail)."""
        node, offset = self._entry_for_use(idx)
        try:
            if node.is_plain:
                assert isinstance(node.entry, bytes)
                return node.entry
            assert isinstance(node.entry, Listpack)
            return value_to_bytes(node.entry.get(offset))
        finally:
            self._compress(node)  # quicklistReleaseIterator

    __getitem__ = index

    def replace(self, idx: int, value: bytes | str | int) -> None:
        """``quicklistReplaceAtIndex`` (LSET)."""
        value = _as_bytes(value)
        node, offset = self._entry_for_use(idx)
        sz = len(value)
        if not node.is_plain and not self._is_large(sz):
            assert isinstance(node.entry, Listpack)
            node.entry.replace(offset, value)
            node.update_sz()
            self._compress(node)
        elif node.is_plain:
            if self._is_large(sz):
                node.entry = value
                node.sz = sz
                self._compress(node)
            else:
                self._insert(node, offset, value, after=True)
                self._del_node(node)
        else:
            node.dont_compress = True
            self._insert(node, offset, value, after=True)
            if node.count == 1:
                self._del_node(node)
            else:
                self._del_index(node, node.count - 1)
                node.dont_compress = False
                self._compress(node)
                if node.next is not None:
                    self._compress(node.next)

    def insert_before(self, idx: int, value: bytes | str | int) -> None:
        """``quicklistInsertBefore`` the element at ``idx``."""
        node, offset = self._entry_for_use(idx)
        self._insert(node, offset, _as_bytes(value), after=False)

    def insert_after(self, idx: int, value: bytes | str | int) -> None:
        """``quicklistInsertAfter`` the element at ``idx``."""
        node, offset = self._entry_for_use(idx)
        self._insert(node, offset, _as_bytes(value), after=True)

    def insert_at_pivot(
        self, pivot: bytes | str | int, value: bytes | str | int, after: bool
    ) -> bool:
        """``LINSERT``: insert next to the first element equal to ``pivot``.

        Replays Redis's head-to-tail iterator, so nodes passed on the way are
        decompressed and recompressed as in Redis. False if no pivot.
        """
        target = _as_bytes(pivot)
        current = self.head
        offset = 0
        positioned = False
        cached: QuicklistNode | None = None
        values: list[bytes] = []
        while current is not None:
            if not positioned:
                self._decompress_node(current, for_use=True)
                have = True if current.is_plain else offset < current.count
            elif current.is_plain:
                have = False
            else:
                offset += 1
                have = offset < current.count
            if not have:
                self._compress(current)
                current = current.next
                offset = 0
                positioned = False
                continue
            positioned = True
            if current.is_plain:
                v = current.entry
            else:
                if cached is not current:  # decode each node once, not one lpSeek per entry
                    cached, values = current, _node_values(current)
                v = values[offset]
            if v == target:
                self._insert(current, offset, _as_bytes(value), after)
                return True
        return False

    def _split_node(self, node: QuicklistNode, offset: int, after: bool) -> QuicklistNode:
        """``_quicklistSplitNode``: see quicklist.c for the exact ranges."""
        assert isinstance(node.entry, Listpack)
        new = QuicklistNode()
        new.entry = node.entry.copy()
        if offset < 0:
            offset = node.count + offset
        orig_start, orig_extent = (offset + 1, -1) if after else (0, offset)
        new_start, new_extent = (0, offset + 1) if after else (offset, -1)
        node.entry.delete_range(orig_start, orig_extent)
        node.count = len(node.entry)
        node.update_sz()
        new.entry.delete_range(new_start, new_extent)
        new.count = len(new.entry)
        new.update_sz()
        return new

    def _insert(self, node: QuicklistNode, offset: int, value: bytes, after: bool) -> None:
        """``_quicklistInsert``: every case of where the new element can go."""
        sz = len(value)
        full = not self._allow_insert(node, sz)
        at_tail = at_head = avail_next = avail_prev = False
        if after and (offset == node.count - 1 or offset == -1):
            at_tail = True
            avail_next = self._allow_insert(node.next, sz)
        if not after and (offset == 0 or offset == -node.count):
            at_head = True
            avail_prev = self._allow_insert(node.prev, sz)

        if self._is_large(sz):
            if node.is_plain or (at_tail and after) or (at_head and not after):
                self._insert_plain_node(node, value, after)
            else:
                self._decompress_node(node, for_use=True)
                new = self._split_node(node, offset, after)
                entry_node = self._new_plain_node(value)
                self._insert_node(node, entry_node, after)
                self._insert_node(entry_node, new, after)
                self.count += 1
            return

        if not full:
            self._decompress_node(node, for_use=True)
            assert isinstance(node.entry, Listpack)
            pos = offset if offset >= 0 else node.count + offset
            node.entry.insert(pos + 1 if after else pos, value)
            node.count += 1
            node.update_sz()
            self._recompress_only(node)
        elif at_tail and avail_next and after:
            new = node.next
            assert new is not None
            self._decompress_node(new, for_use=True)
            assert isinstance(new.entry, Listpack)
            new.entry.prepend(value)
            new.count += 1
            new.update_sz()
            self._recompress_only(new)
            self._recompress_only(node)
        elif at_head and avail_prev and not after:
            new = node.prev
            assert new is not None
            self._decompress_node(new, for_use=True)
            assert isinstance(new.entry, Listpack)
            new.entry.append(value)
            new.count += 1
            new.update_sz()
            self._recompress_only(new)
            self._recompress_only(node)
        elif (at_tail and not avail_next and after) or (at_head and not avail_prev and not after):
            new = self._new_packed_node(value)
            self._insert_node(node, new, after)
        else:
            self._decompress_node(node, for_use=True)
            new = self._split_node(node, offset, after)
            assert isinstance(new.entry, Listpack)
            if after:
                new.entry.prepend(value)
            else:
                new.entry.append(value)
            new.count += 1
            new.update_sz()
            self._insert_node(node, new, after)
            self._merge_nodes(node)
        self.count += 1

    # -- merging -------------------------------------------------------------------

    def _listpack_merge(self, a: QuicklistNode, b: QuicklistNode) -> QuicklistNode:
        """``_quicklistListpackMerge``: fold b into a (a is left of b)."""
        self._decompress_node(a)
        self._decompress_node(b)
        assert isinstance(a.entry, Listpack) and isinstance(b.entry, Listpack)
        # lpMerge keeps the larger allocation; the bytes are the same either way.
        keep, nokeep = (a, b) if len(a.entry.buf) >= len(b.entry.buf) else (b, a)
        keep.entry = Listpack.merge(a.entry, b.entry)
        keep.count = len(keep.entry)
        keep.update_sz()
        nokeep.count = 0
        self._del_node(nokeep)
        self._compress(keep)
        return keep

    def _merge_nodes(self, center: QuicklistNode) -> None:
        """``_quicklistMergeNodes``: try to merge the neighbours of ``center``."""
        prev = prev_prev = nxt = next_next = None
        if center.prev is not None:
            prev = center.prev
            prev_prev = center.prev.prev
        if center.next is not None:
            nxt = center.next
            next_next = center.next.next
        if self._allow_merge(prev, prev_prev):
            assert prev is not None and prev_prev is not None
            self._listpack_merge(prev_prev, prev)
        if self._allow_merge(nxt, next_next):
            assert nxt is not None and next_next is not None
            self._listpack_merge(nxt, next_next)
        if self._allow_merge(center, center.prev):
            assert center.prev is not None
            target = self._listpack_merge(center.prev, center)
        else:
            target = center
        if self._allow_merge(target, target.next):
            assert target.next is not None
            self._listpack_merge(target, target.next)

    # -- deletion --------------------------------------------------------------------

    def delete_index(self, idx: int) -> None:
        """Delete one element (``quicklistDelEntry`` on an iterator at ``idx``)."""
        node, offset = self._entry_for_use(idx)
        if node.is_plain:
            self._del_index(node, 0)
            return
        assert isinstance(node.entry, Listpack)
        pos = offset if offset >= 0 else node.count + offset
        prev = node.prev
        gone = self._del_index(node, pos)
        # quicklistReleaseIterator: the iterator now sits on node (or, when
        # node went away, on its predecessor: AL_START_TAIL direction).
        current = prev if gone else node
        if current is not None:
            self._compress(current)

    def remove(self, value: bytes | str | int, count: int = 0) -> int:
        """``LREM``: delete up to ``|count|`` elements equal to ``value``.

        ``count`` > 0 walks from the head, < 0 from the tail, 0 removes all.
        This replays Redis's iterator (quicklistNext + quicklistDelEntry):
        each node is decompressed while visited and recompressed on leaving,
        so the compression state afterwards is the one Redis leaves.
        """
        target = _as_bytes(value)
        forward = count >= 0
        toremove = abs(count)
        removed = 0
        current = self.head if forward else self.tail
        offset = 0 if forward else -1
        positioned = False  # the iterator's zi: are we standing on an entry?
        cached: QuicklistNode | None = None
        values: list[bytes] = []
        while current is not None:
            if not positioned:
                self._decompress_node(current, for_use=True)
                have = True if current.is_plain else -current.count <= offset < current.count
            elif current.is_plain:
                have = False
            else:
                offset += 1 if forward else -1
                have = -current.count <= offset < current.count
            if not have:
                self._compress(current)
                current = current.next if forward else current.prev
                offset = 0 if forward else -1
                positioned = False
                continue
            positioned = True
            if current.is_plain:
                v = current.entry
            else:
                if cached is not current:  # decode each node once, not one lpSeek per entry
                    cached, values = current, _node_values(current)
                v = values[offset]
            if v != target:
                continue
            prv, nxt = current.prev, current.next
            pos = offset if offset >= 0 else current.count + offset
            gone = self._del_index(current, pos)
            if not gone and cached is current:
                del values[pos]
            positioned = False
            if gone:
                current = nxt if forward else prv
                offset = 0 if forward else -1
            removed += 1
            if toremove and removed == toremove:
                break
        if current is not None:
            self._compress(current)  # quicklistReleaseIterator
        return removed

    def delete_range(self, start: int, count: int) -> bool:
        """``quicklistDelRange`` (LTRIM): delete ``count`` elements from ``start``."""
        if count <= 0:
            return False
        extent = count
        if start >= 0 and extent > self.count - start:
            extent = self.count - start
        elif start < 0 and extent > -start:
            extent = -start
        loc = self._locate(start)
        if loc is None:
            return False
        node: QuicklistNode | None
        node, offset = loc
        self._compress(node)  # quicklistReleaseIterator (no decompression happened)
        while extent:
            assert node is not None
            nxt = node.next
            delete_entire = False
            if offset == 0 and extent >= node.count:
                delete_entire = True
                delete = node.count
            elif offset >= 0 and extent + offset >= node.count:
                delete = node.count - offset
            elif offset < 0:
                delete = min(-offset, extent)
            else:
                delete = extent
            if delete_entire or node.is_plain:
                self._del_node(node)
            else:
                self._decompress_node(node, for_use=True)
                assert isinstance(node.entry, Listpack)
                node.entry.delete_range(offset, delete)
                node.update_sz()
                node.count -= delete
                self.count -= delete
                if node.count == 0:
                    self._del_node(node)
                else:
                    self._recompress_only(node)
            extent -= delete
            node = nxt
            offset = 0
        return True

    def clear(self) -> None:
        self.head = self.tail = None
        self.len = self.count = 0

    # -- iteration and views --------------------------------------------------------------

    def iter_nodes(self, reverse: bool = False) -> Iterator[QuicklistNode]:
        n = self.tail if reverse else self.head
        while n is not None:
            yield n
            n = n.prev if reverse else n.next

    def __iter__(self) -> Iterator[bytes]:
        for node in self.iter_nodes():
            yield from node.values()

    def __reversed__(self) -> Iterator[bytes]:
        for node in self.iter_nodes(reverse=True):
            yield from reversed(node.values())

    def to_list(self) -> list[bytes]:
        return list(self)

    def range(self, start: int, stop: int) -> list[bytes]:
        """``LRANGE start stop`` (inclusive, negative from the tail)."""
        n = self.count
        if start < 0:
            start = max(0, start + n)
        if stop < 0:
            stop += n
        stop = min(stop, n - 1)
        if start > stop:
            return []
        return list(self)[start : stop + 1]

    def nodes(self) -> list[NodeInfo]:
        """Per-node layout for the inspector."""
        out = []
        for i, n in enumerate(self.iter_nodes()):
            out.append(
                NodeInfo(
                    index=i,
                    count=n.count,
                    sz=n.sz,
                    container="PLAIN" if n.is_plain else "PACKED",
                    compressed=n.is_compressed,
                    compressed_size=len(n.entry) if n.is_compressed else None,  # type: ignore[arg-type]
                    recompress=n.recompress,
                )
            )
        return out

    # -- RDB-style loading -------------------------------------------------------------

    def append_listpack(self, data: bytes | Listpack) -> None:
        """``quicklistAppendListpack``: a pre-built node (RDB loading)."""
        node = QuicklistNode()
        node.entry = data if isinstance(data, Listpack) else Listpack.from_bytes(data)
        node.count = len(node.entry)
        node.update_sz()
        self._insert_node(self.tail, node, True)
        self.count += node.count

    def append_plain(self, data: bytes) -> None:
        """``quicklistAppendPlainNode``: a pre-built PLAIN node (RDB loading)."""
        self._insert_node(self.tail, self._new_plain_node(data), True)
        self.count += 1

    def check(self) -> None:
        """Assert the structure's invariants (tests and debugging)."""
        total = 0
        nodes = 0
        prev = None
        for n in self.iter_nodes():
            assert n.prev is prev
            nodes += 1
            total += n.count
            assert n.count > 0
            if n.is_plain:
                assert n.count == 1
            else:
                raw = n.raw_bytes()
                assert len(raw) == n.sz
                assert len(Listpack.from_bytes(raw)) == n.count
            prev = n
        assert prev is self.tail
        assert nodes == self.len and total == self.count
        for end in (self.head, self.tail):
            if end is not None:
                assert not end.is_compressed
