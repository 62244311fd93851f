"""INFO: the server's self-description, section by section, with 7.0's field names.

Fields Redis has and we do not model yet (forks, replication, defrag...) are
reported with the value a standalone Redis without those activities shows,
so tools that parse INFO keep working; fields that are ours alone sit under
``lab_*`` names.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
from typing import TYPE_CHECKING

from .memory import human_bytes, memory_summary

if TYPE_CHECKING:
    from .server import Server

ORDER = [
    "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
    "commandstats", "errorstats", "latencystats", "cluster", "keyspace",
]  # fmt: skip
DEFAULT_SECTIONS = [s for s in ORDER if s not in ("commandstats", "latencystats")]


def info_text(server: Server, requested: list[str]) -> str:
    """genRedisInfoString: the requested sections, always in Redis's order."""
    wanted: set[str] = set()
    for name in requested or ["default"]:
        if name in ("all", "everything"):
            wanted.update(ORDER)
        elif name == "default":
            wanted.update(DEFAULT_SECTIONS)
        else:
            wanted.add(name)
    return "\r\n".join(_SECTIONS[s](server) for s in ORDER if s in wanted)


def _fmt(title: str, fields: list[tuple[str, object]]) -> str:
    lines = [f"# {title}"]
    for k, v in fields:
        if isinstance(v, float):
            v = f"{v:.2f}"
        lines.append(f"{k}:{v}")
    return "\r\n".join(lines) + "\r\n"


def _server(server: Server) -> str:
    from .server import LAB_VERSION, REDIS_VERSION

    cfg = server.config
    now_us = server.clock.us()
    uptime = (server.clock.ms() - server.start_ms) // 1000
    uname = platform.uname()
    return _fmt(
        "Server",
        [
            ("redis_version", REDIS_VERSION),
            ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", 0),
            ("redis_build_id", "0"),
            ("redis_mode", "standalone"),
            ("os", f"{uname.system} {uname.release} {uname.machine}"),
            ("arch_bits", 64 if sys.maxsize > 2**32 else 32),
            ("monotonic_clock", "POSIX clock_gettime"),
            ("multiplexing_api", "asyncio"),
            ("atomicvar_api", "python-gil"),
            ("gcc_version", "0.0.0"),
            ("process_id", os.getpid()),
            ("process_supervised", "no"),
            ("run_id", server.run_id),
            ("tcp_port", cfg.port),
            ("server_time_usec", now_us),
            ("uptime_in_seconds", uptime),
            ("uptime_in_days", uptime // 86400),
            ("hz", cfg.hz),
            ("configured_hz", cfg.hz),
            ("lru_clock", server.lruclock),
            ("executable", sys.executable),
            ("config_file", cfg.config_file or ""),
            ("io_threads_active", 0),
            ("lab_version", LAB_VERSION),
            ("lab_python", platform.python_version()),
            ("lab_clock_frozen", int(server.clock.frozen)),
            ("lab_clock_offset_ms", server.clock.offset_ms),
        ],
    )


def _clients(server: Server) -> str:
    clients = server.clients.values()
    max_in = max((c.reader.pending() for c in clients), default=0)
    max_out = max((c.output_pending() for c in clients), default=0)
    return _fmt(
        "Clients",
        [
            ("connected_clients", len(server.clients)),
            ("cluster_connections", 0),
            ("maxclients", server.config.maxclients),
            ("client_recent_max_input_buffer", max_in),
            ("client_recent_max_output_buffer", max_out),
            ("blocked_clients", sum(1 for c in clients if c.blocked)),
            ("tracking_clients", 0),
            ("clients_in_timeout_table", 0),
        ],
    )


def _memory(server: Server) -> str:
    m = memory_summary(server)
    cfg = server.config
    rss = _rss_bytes()
    used = m["used_memory"]
    peak = max(server.memory_peak, used)
    server.memory_peak = peak
    return _fmt(
        "Memory",
        [
            ("used_memory", used),
            ("used_memory_human", human_bytes(used)),
            ("used_memory_rss", rss),
            ("used_memory_rss_human", human_bytes(rss)),
            ("used_memory_peak", peak),
            ("used_memory_peak_human", human_bytes(peak)),
            ("used_memory_peak_perc", "%.2f%%" % (used * 100 / peak if peak else 100)),
            ("used_memory_overhead", m["overhead"]),
            ("used_memory_startup", m["startup"]),
            ("used_memory_dataset", m["dataset"]),
            ("used_memory_dataset_perc", "%.2f%%" % m["dataset_perc"]),
            ("allocator_allocated", used),
            ("allocator_active", used),
            ("allocator_resident", used),
            ("total_system_memory", _total_memory()),
            ("total_system_memory_human", human_bytes(_total_memory())),
            ("used_memory_lua", 31744),
            ("used_memory_vm_eval", 31744),
            ("used_memory_lua_human", "31.00K"),
            ("used_memory_scripts_eval", 0),
            ("number_of_cached_scripts", 0),
            ("number_of_functions", 0),
            ("number_of_libraries", 0),
            ("used_memory_vm_functions", 32768),
            ("used_memory_vm_total", 64512),
            ("used_memory_vm_total_human", "63.00K"),
            ("used_memory_functions", 184),
            ("used_memory_scripts", 184),
            ("used_memory_scripts_human", "184B"),
            ("maxmemory", cfg.maxmemory),
            ("maxmemory_human", human_bytes(cfg.maxmemory)),
            ("maxmemory_policy", cfg.maxmemory_policy),
            ("allocator_frag_ratio", 1.0),
            ("allocator_frag_bytes", 0),
            ("allocator_rss_ratio", 1.0),
            ("allocator_rss_bytes", 0),
            ("rss_overhead_ratio", 1.0),
            ("rss_overhead_bytes", 0),
            ("mem_fragmentation_ratio", round(rss / used, 2) if used else 0.0),
            ("mem_fragmentation_bytes", rss - used),
            ("mem_not_counted_for_evict", server.evictor.not_counted()),
            ("mem_replication_backlog", 0),
            ("mem_total_replication_buffers", 0),
            ("mem_clients_slaves", 0),
            ("mem_clients_normal", m["clients_normal"]),
            ("mem_cluster_links", 0),
            ("mem_aof_buffer", 0),
            ("mem_allocator", "lab-model"),
            ("active_defrag_running", 0),
            ("lazyfree_pending_objects", 0),
            ("lazyfreed_objects", 0),
            ("lab_memory_model", m["model"]),
        ],
    )


def _persistence(server: Server) -> str:
    return _fmt(
        "Persistence",
        [
            ("loading", 0),
            ("async_loading", 0),
            ("current_cow_peak", 0),
            ("current_cow_size", 0),
            ("current_cow_size_age", 0),
            ("current_fork_perc", 0.0),
            ("current_save_keys_processed", 0),
            ("current_save_keys_total", 0),
            ("rdb_changes_since_last_save", server.dirty),
            ("rdb_bgsave_in_progress", 0),
            ("rdb_last_save_time", server.lastsave),
            ("rdb_last_bgsave_status", "ok"),
            ("rdb_last_bgsave_time_sec", -1),
            ("rdb_current_bgsave_time_sec", -1),
            ("rdb_saves", 0),
            ("rdb_last_cow_size", 0),
            ("rdb_last_load_keys_expired", 0),
            ("rdb_last_load_keys_loaded", 0),
            ("aof_enabled", 0),
            ("aof_rewrite_in_progress", 0),
            ("aof_rewrite_scheduled", 0),
            ("aof_last_rewrite_time_sec", -1),
            ("aof_current_rewrite_time_sec", -1),
            ("aof_last_bgrewrite_status", "ok"),
            ("aof_rewrites", 0),
            ("aof_rewrites_consecutive_failures", 0),
            ("aof_last_write_status", "ok"),
            ("aof_last_cow_size", 0),
            ("module_fork_in_progress", 0),
            ("module_fork_last_cow_size", 0),
        ],
    )


def _stats(server: Server) -> str:
    st = server.stats
    return _fmt(
        "Stats",
        [
            ("total_connections_received", st.total_connections_received),
            ("total_commands_processed", server.total_commands_processed()),
            ("instantaneous_ops_per_sec", int(st.mean(st.ops_samples))),
            ("total_net_input_bytes", st.net_input_bytes),
            ("total_net_output_bytes", st.net_output_bytes),
            ("total_net_repl_input_bytes", 0),
            ("total_net_repl_output_bytes", 0),
            ("instantaneous_input_kbps", st.mean(st.in_samples) / 1024),
            ("instantaneous_output_kbps", st.mean(st.out_samples) / 1024),
            ("instantaneous_input_repl_kbps", 0.0),
            ("instantaneous_output_repl_kbps", 0.0),
            ("rejected_connections", st.rejected_connections),
            ("sync_full", 0),
            ("sync_partial_ok", 0),
            ("sync_partial_err", 0),
            ("expired_keys", st.expired_keys),
            ("expired_stale_perc", st.expired_stale_perc * 100),
            ("expired_time_cap_reached_count", st.expired_time_cap_reached_count),
            ("expire_cycle_cpu_milliseconds", st.expire_cycle_time_used // 1000),
            ("evicted_keys", st.evicted_keys),
            ("evicted_clients", st.evicted_clients),
            ("total_eviction_exceeded_time", server.evictor.total_exceeded_ms()),
            ("current_eviction_exceeded_time", server.evictor.current_exceeded_ms()),
            ("keyspace_hits", st.keyspace_hits),
            ("keyspace_misses", st.keyspace_misses),
            ("pubsub_channels", len(server.channels)),
            ("pubsub_patterns", len(server.patterns)),
            ("pubsubshard_channels", len(server.shard_channels)),
            ("latest_fork_usec", 0),
            ("total_forks", 0),
            ("migrate_cached_sockets", 0),
            ("slave_expires_tracked_keys", 0),
            ("active_defrag_hits", 0),
            ("active_defrag_misses", 0),
            ("active_defrag_key_hits", 0),
            ("active_defrag_key_misses", 0),
            ("total_active_defrag_time", 0),
            ("current_active_defrag_time", 0),
            ("tracking_total_keys", 0),
            ("tracking_total_items", 0),
            ("tracking_total_prefixes", 0),
            ("unexpected_error_replies", st.unexpected_error_replies),
            ("total_error_replies", st.total_error_replies),
            ("dump_payload_sanitizations", st.dump_payload_sanitizations),
            ("total_reads_processed", st.total_reads_processed),
            ("total_writes_processed", st.total_writes_processed),
            ("io_threaded_reads_processed", 0),
            ("io_threaded_writes_processed", 0),
            ("reply_buffer_shrinks", 0),
            ("reply_buffer_expands", 0),
        ],
    )


def _replication(server: Server) -> str:
    return _fmt(
        "Replication",
        [
            ("role", "master"),
            ("connected_slaves", 0),
            ("master_failover_state", "no-failover"),
            ("master_replid", server.replid),
            ("master_replid2", "0" * 40),
            ("master_repl_offset", 0),
            ("second_repl_offset", -1),
            ("repl_backlog_active", 0),
            ("repl_backlog_size", server.config.repl_backlog_size),
            ("repl_backlog_first_byte_offset", 0),
            ("repl_backlog_histlen", 0),
        ],
    )


def _cpu(server: Server) -> str:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return _fmt(
        "CPU",
        [
            ("used_cpu_sys", "%.6f" % ru.ru_stime),
            ("used_cpu_user", "%.6f" % ru.ru_utime),
            ("used_cpu_sys_children", "%.6f" % ch.ru_stime),
            ("used_cpu_user_children", "%.6f" % ch.ru_utime),
            ("used_cpu_sys_main_thread", "%.6f" % ru.ru_stime),
            ("used_cpu_user_main_thread", "%.6f" % ru.ru_utime),
        ],
    )


def _modules(server: Server) -> str:
    return "# Modules\r\n"


def _commandstats(server: Server) -> str:
    lines = ["# Commandstats"]
    for top in server.commands.values():
        for cmd in top.all_commands():
            if cmd.calls or cmd.rejected_calls or cmd.failed_calls:
                per = cmd.usec / cmd.calls if cmd.calls else 0.0
                lines.append(
                    f"cmdstat_{cmd.fullname}:calls={cmd.calls},usec={cmd.usec},"
                    f"usec_per_call={per:.2f},rejected_calls={cmd.rejected_calls},"
                    f"failed_calls={cmd.failed_calls}"
                )
    return "\r\n".join(lines) + "\r\n"


def _errorstats(server: Server) -> str:
    lines = ["# Errorstats"]
    for code, n in sorted(server.stats.errors.items()):
        lines.append(f"errorstat_{code}:count={n}")
    return "\r\n".join(lines) + "\r\n"


def _latencystats(server: Server) -> str:
    lines = ["# Latencystats"]
    pcts = server.config.latency_tracking_info_percentiles
    for top in server.commands.values():
        for cmd in top.all_commands():
            hist = server.latency_histograms.get(cmd.fullname)
            if hist is None or not hist.count:
                continue
            vals = ",".join(f"p{_pct_name(p)}={hist.percentile(p):.3f}" for p in pcts)
            lines.append(f"latency_percentiles_usec_{cmd.fullname}:{vals}")
    return "\r\n".join(lines) + "\r\n"


def _pct_name(p: float) -> str:
    return ("%f" % p).rstrip("0").rstrip(".")


def _cluster(server: Server) -> str:
    return "# Cluster\r\ncluster_enabled:0\r\n"


def _keyspace(server: Server) -> str:
    lines = ["# Keyspace"]
    for db in server.dbs:
        if len(db.dict):
            lines.append(
                f"db{db.id}:keys={len(db.dict)},expires={len(db.expires)},avg_ttl={db.avg_ttl}"
            )
    return "\r\n".join(lines) + "\r\n"


_SECTIONS = {
    "server": _server,
    "clients": _clients,
    "memory": _memory,
    "persistence": _persistence,
    "stats": _stats,
    "replication": _replication,
    "cpu": _cpu,
    "modules": _modules,
    "commandstats": _commandstats,
    "errorstats": _errorstats,
    "latencystats": _latencystats,
    "cluster": _cluster,
    "keyspace": _keyspace,
}


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _total_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0
