"""What management commands share: one-line refusals instead of tracebacks."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError

from core.errors import DomainError


def read_input_file(path: Path) -> bytes:
    """The bytes of the file a command was given; CommandError in one line if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None


@contextmanager
def refusals_in_one_line() -> Iterator[None]:
    """A service's DomainError ends the command with its message as the one line, and a non-zero exit."""
    try:
        yield
    except DomainError as error:
        raise CommandError(error.message) from None
