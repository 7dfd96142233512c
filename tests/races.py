"""Real races for the tests: calls released together in threads, each on its own database connection."""

import threading

from django.db import connection


def run_at_once(*calls):
    """Run `calls` in threads, each with its own database connection, released together by a barrier.

    Returns each call's result, or the exception it raised, in order: a real race on PostgreSQL (row
    locks, constraints) and on the SQLite test file (the write lock), as in production.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
