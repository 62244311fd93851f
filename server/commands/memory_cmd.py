"""MEMORY USAGE (object.c ``memoryCommand``): what one key costs, by Redis's model.

``MEMORY USAGE key [SAMPLES count]`` adds up the value (object header,
strings, listpacks, quicklist nodes, dict tables and entries, skiplist
nodes), the key's sds and its dictEntry, as :func:`server.memory.key_usage`
models them. Big collections are *estimated* the way Redis estimates them:
the first ``count`` elements (5 by default; ``SAMPLES 0`` means all) are
measured and the average is multiplied by the size -- so the answer is
comparable with a real Redis's, including its sampling error.

Like Redis, the key is looked up without expiring it or touching its LRU:
asking what a key costs does not change it. The other MEMORY subcommands
(STATS, DOCTOR, MALLOC-STATS, PURGE) come with the memory issue.
"""

from __future__ import annotations

from .. import errors
from ..errors import CommandError
from ..memory import OBJ_COMPUTE_SIZE_DEF_SAMPLES, key_usage
from ..numbers import string2ll
from .registry import command


@command("memory|usage")
def memory_usage(c, argv):
    samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES
    j = 3
    while j < len(argv):
        if argv[j].lower() == b"samples" and j + 1 < len(argv):
            v = string2ll(argv[j + 1])
            if v is None:
                raise CommandError(errors.NOT_INTEGER)
            if v < 0:
                raise CommandError(errors.SYNTAX)
            samples = v if v else 1 << 62
            j += 2
        else:
            raise CommandError(errors.SYNTAX)
    e = c.db.dict.find(argv[2])
    if e is None:
        return None
    return key_usage(e.key, e.value, samples)
