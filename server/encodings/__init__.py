"""Redis 7.0 data-structure encodings: real bytes, real algorithms.

listpack, intset, lzf, quicklist and skiplist, each standalone.
"""
