"""The keyspace tables report their incremental rehashing on LAB EVENTS."""

from __future__ import annotations


def _events(client, since=0):
    reply = client.execute_command("LAB", "EVENTS", "SINCE", since, "COUNT", 1000)
    data = dict(zip(reply[::2], reply[1::2], strict=True)) if isinstance(reply, list) else reply
    events = data.get(b"events", data.get("events"))
    out = []
    for ev in events:
        d = dict(zip(ev[::2], ev[1::2], strict=True)) if isinstance(ev, list) else ev
        out.append({(k.decode() if isinstance(k, bytes) else k): v for k, v in d.items()})
    return out


def test_growth_starts_and_finishes_a_rehash(ours):
    ours.set("k0", 1)
    start = max((int(e["id"]) for e in _events(ours)), default=0)
    pipe = ours.pipeline(transaction=False)
    for i in range(1, 200):
        pipe.set(f"k{i}", i)
    pipe.execute()
    kinds = [e["type"] for e in _events(ours, start)]
    kinds = [k.decode() if isinstance(k, bytes) else k for k in kinds]
    assert "rehash-start" in kinds and "rehash-finish" in kinds
    first = next(e for e in _events(ours, start) if e["type"] in (b"rehash-start", "rehash-start"))
    assert int(first["to_size"]) == 2 * int(first["from_size"])
