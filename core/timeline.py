"""One chronological timeline of everything that happened to a device, gathered from every app.

reuse cannot import lending or matching, so each app registers a provider here in its
`AppConfig.ready()`: a function `(device_ids, viewer) -> iterable of Entry` that makes a fixed number of
queries however long the history is (one per kind of record, never one per row). `timeline()` merges
them newest first. A provider decides what `viewer` may see of its own records: a borrower's name only
for desk staff of that branch, for instance; everyone else reads "Lent (loan 42)".
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Entry", "Provider", "register", "providers", "timeline"]


@dataclass(frozen=True)
class Entry:
    """One thing that happened: when, what kind (a short code, for styling and tests), a title in words, a
    detail, who did it (a staff name, "" for the system) and an optional link to its own page."""

    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    link: str = ""


Provider = Callable[[Sequence[int], object], Iterable[Entry]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, under the same name) a provider of timeline entries."""
    _providers[name] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def timeline(device_ids: Sequence[int], viewer, *, limit: int | None = None) -> list[Entry]:
    """Every registered provider's entries for `device_ids` as `viewer` may see them, newest first (entries
    at the same moment keep the order their provider gave them)."""
    ids = list(device_ids)
    if not ids:
        return []
    entries = [entry for provider in _providers.values() for entry in provider(ids, viewer)]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit] if limit else entries
