"""A bound on how long a call may take, for tests of inputs that used to hang a request (backtracking
patterns): well above what the call needs, so it never flakes on a busy machine, and far below the
minutes the attack used to cost. Speed itself is measured in bench/, not asserted here."""

import signal
from contextlib import contextmanager


class TookTooLong(AssertionError):
    pass


@contextmanager
def at_most(seconds: float):
    def expired(signum, frame):
        raise TookTooLong(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
