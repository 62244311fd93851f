"""The active expire cycle (expire.c ``activeExpireCycle``).

Lazy expiry alone would leave keys nobody reads in memory forever, so ``hz``
times a second the cron samples keys with a TTL and deletes the stale ones:

- per database, look at up to ``keys_per_loop`` (20, more with a higher
  ``active-expire-effort``) entries of the expires dict, walking its buckets
  from a cursor kept between runs;
- delete those past their time;
- **repeat on the same database while more than ``acceptable_stale``
  (10%, less with more effort) of the sampled keys were stale** — if many are
  stale, many more probably are;
- stop when the time budget (25% of a cron period, plus 2% per effort step)
  is used up, remembering where to continue.

So memory held by expired keys stays around ``acceptable_stale`` percent of
the volatile keys, at a bounded CPU cost: the statistics it feeds
(``expired_stale_perc``, ``expired_time_cap_reached_count``,
``expire_cycle_cpu_milliseconds``) tell how well that works.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .server import Server

ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20
ACTIVE_EXPIRE_CYCLE_FAST_DURATION = 1000  # microseconds
ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25  # max CPU percent of the slow cycle
ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10  # percent of stale keys before stopping
CRON_DBS_PER_CALL = 16
DICT_HT_INITIAL_SIZE = 4


def active_expire_cycle(server: Server, slow: bool = True) -> dict[str, int]:
    """Run one cycle; returns what it did (also shown by ``LAB KEYSPACE``)."""
    effort = server.config.active_expire_effort - 1  # rescale 1..10 to 0..9
    keys_per_loop = (
        ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP // 4 * effort
    )
    fast_duration = (
        ACTIVE_EXPIRE_CYCLE_FAST_DURATION + ACTIVE_EXPIRE_CYCLE_FAST_DURATION // 4 * effort
    )
    slow_time_perc = ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort
    acceptable_stale = ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort

    start = time.perf_counter_ns() // 1000
    dbnum = len(server.dbs)
    dbs_per_call = CRON_DBS_PER_CALL
    if dbs_per_call > dbnum or server.expire_timelimit_exit:
        dbs_per_call = dbnum
    hz = max(1, server.config.hz)
    timelimit = slow_time_perc * 1_000_000 // hz // 100 if slow else fast_duration
    if timelimit <= 0:
        timelimit = 1
    server.expire_timelimit_exit = False

    total_sampled = 0
    total_expired = 0
    iteration = 0
    j = 0
    while j < dbs_per_call and not server.expire_timelimit_exit:
        db = server.dbs[server.expire_db % dbnum]
        server.expire_db += 1
        j += 1
        while True:
            iteration += 1
            expires = db.expires
            num = len(expires)
            if num == 0:
                db.avg_ttl = 0
                break
            slots = expires.slots()
            now = server.clock.ms()
            # Under 1% full: sampling would mostly hit empty buckets; wait for a resize.
            if slots > DICT_HT_INITIAL_SIZE and num * 100 // slots < 1:
                break
            expired = sampled = ttl_sum = ttl_samples = 0
            if num > keys_per_loop:
                num = keys_per_loop
            max_buckets = num * 20
            checked_buckets = 0
            while sampled < num and checked_buckets < max_buckets:
                for table in (0, 1):
                    if table == 1 and not expires.is_rehashing():
                        break
                    t = expires.table0 if table == 0 else expires.table1
                    if not t:
                        continue
                    idx = db.expires_cursor & (len(t) - 1)
                    e = t[idx]
                    checked_buckets += 1
                    chain = []  # copy first: a delete may take a rehash step
                    while e is not None:
                        chain.append(e)
                        e = e.next
                    for e in chain:
                        ttl = e.value - now
                        if now > e.value:
                            db.delete_expired(e.key, "active")
                            expired += 1
                        if ttl > 0:
                            ttl_sum += ttl
                            ttl_samples += 1
                        sampled += 1
                db.expires_cursor += 1
            total_expired += expired
            total_sampled += sampled
            if ttl_samples:
                avg_ttl = ttl_sum // ttl_samples
                if db.avg_ttl == 0:
                    db.avg_ttl = avg_ttl
                db.avg_ttl = (db.avg_ttl // 50) * 49 + (avg_ttl // 50)
            if (iteration & 0xF) == 0:
                elapsed = time.perf_counter_ns() // 1000 - start
                if elapsed > timelimit:
                    server.expire_timelimit_exit = True
                    server.stats.expired_time_cap_reached_count += 1
                    break
            if not (sampled == 0 or expired * 100 // sampled > acceptable_stale):
                break
    elapsed = time.perf_counter_ns() // 1000 - start
    server.stats.expire_cycle_time_used += elapsed
    current_perc = total_expired / total_sampled if total_sampled else 0.0
    server.stats.expired_stale_perc = current_perc * 0.05 + server.stats.expired_stale_perc * 0.95
    return {"sampled": total_sampled, "expired": total_expired, "elapsed_us": elapsed}
