"""A task for tests/core/test_tasks.py: it leaves a mark a test can look for."""

from core.numbering import allocate_numbers


def mark(name: str) -> None:
    allocate_numbers(name, 1)
