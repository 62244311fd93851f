"""Value objects for the container types (list, hash, set, sorted set).

Strings are stored as plain ``bytes`` / ``bytearray`` / ``int`` (see
:mod:`server.commands.strings`). Every other value is an object of one of the
classes here, each holding the structure Redis 7.0 would hold:

    ListObject   quicklist (7.0 lists are always quicklists of listpack nodes)
    HashObject   listpack (field, value, field, value, ...) | hashtable (Dict)
    SetObject    intset | hashtable (Dict of member -> None)
    ZSetObject   listpack (member, score, ...) | skiplist (ZSkiplist + Dict)

The common interface: ``TYPE_NAME``, ``encoding`` (the name OBJECT ENCODING
prints), ``copy()``, ``__len__``, ``memory_usage()`` (bytes Redis would
allocate, :mod:`server.memory`) and ``inspect(**window)`` (the layout ``LAB
INSPECT`` shows).
"""
