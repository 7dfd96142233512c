"""What management commands share: one-line refusals instead of tracebacks."""

from pathlib import Path

from django.core.management.base import CommandError


def read_input_file(path: Path) -> bytes:
    """The bytes of the file a command was given; CommandError in one line if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None
