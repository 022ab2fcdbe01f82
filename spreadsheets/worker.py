"""Which process runs a job, and whether that process still exists.

A job records the identity of the worker process that runs it: "host:pid:start", where
start is the process's start time (Linux /proc), so that a pid reused by another
process does not pass for the old worker. A worker starting on the same host can then
tell at once that a RUNNING job lost its process (spreadsheets.tasks.recover_jobs);
for a worker on another host only the job's silence tells (tasks.STALE_AFTER).
"""

import os
import socket
from pathlib import Path

# django-tasks-db accepts worker ids of at most 64 characters; the identity is one.
HOST_CHARS = 40


def host() -> str:
    return (socket.gethostname() or "localhost")[:HOST_CHARS]


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process, None without /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 2, the command name, is in parentheses and may hold spaces and parentheses.
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[0], fields[19]  # fields 3 (state) and 22 (starttime)


def identity(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    stat = _proc_stat(pid)
    return f"{host()}:{pid}:{stat[1] if stat else ''}"


def parse(ident: str) -> tuple[str, int, str] | None:
    parts = (ident or "").rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def process_alive(pid: int, start: str = "") -> bool:
    """Whether process `pid` (started at `start`, when known) still runs on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc: the signal's answer is all there is
    state, started = stat
    if state in ("Z", "X"):
        return False  # exited, not yet reaped by its parent
    return not start or started == start


def is_gone(ident: str) -> bool | None:
    """True or False for a process of this host; None when it ran elsewhere (or is unknown)."""
    parsed = parse(ident)
    if parsed is None or parsed[0] != host():
        return None
    return not process_alive(parsed[1], parsed[2])
