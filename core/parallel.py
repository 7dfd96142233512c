"""Spread CPU-bound work (PDF rendering, QR encoding) over the machine's cores.

Forked worker processes inherit the parent's memory, so they start in milliseconds with WeasyPrint
already imported. The functions given must be pure: take plain data, return plain data, and never
touch the database (a forked child shares its parent's connection). When forking is not safe or
not possible (other threads running, a daemonic django-q worker, a platform without fork) the work
runs in this process instead, with the same results.
"""

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor


def cpu_workers(setting: int = 0) -> int:
    """`setting` if positive, else one per core this process may use."""
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon  # daemonic processes may not have children
        and threading.active_count() == 1  # forking a threaded process can copy a held lock
    )


def process_map(func: Callable, items: Iterable, *, workers: int) -> list:
    """`[func(item) for item in items]`, on up to `workers` forked processes when that is safe."""
    items = list(items)
    workers = min(workers, len(items))
    if workers <= 1 or not can_fork():
        return [func(item) for item in items]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(func, items))
