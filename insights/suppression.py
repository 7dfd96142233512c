"""Small-number suppression for the open data: pure arithmetic, no database.

Primary: a count of requests or residents by area below SUPPRESS_BELOW is published as "<5".
Secondary: a "<5" cell must not be recoverable by subtracting the published cells of its group from the
group's published total (the headline figures). Whoever subtracts learns the sum of the hidden cells
and that each "<5" cell holds 1 to 4 (its row is there, so it is not 0) and each cell hidden alongside
holds at least 5. From that sum and those bounds a cell's value is pinned down exactly when its lowest
and highest possible values meet; so, smallest first, more cells of the group are hidden ("[c]") until
no hidden cell's value is pinned down. When even hiding every cell cannot do that (a group whose total
is 3, all in one area), the group's total is not published either.
"""

from collections.abc import Sequence
from dataclasses import dataclass

SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"  # a small count
WITHHELD = "[c]"  # a count of at least SUPPRESS_BELOW, withheld so that a "<5" cannot be worked out


@dataclass(frozen=True)
class Protection:
    """Which cells of a group are hidden (by their index), and whether the group's total must be too."""

    primary: frozenset[int]
    secondary: frozenset[int]
    total_hidden: bool

    def marker(self, index: int) -> str | None:
        if index in self.primary:
            return SUPPRESSED
        if index in self.secondary:
            return WITHHELD
        return None


def _bounds(value: int, low: int, total: int) -> tuple[int, int]:
    """What someone who sees the marker knows about a hidden cell."""
    return (low, SUPPRESS_BELOW - 1) if value < SUPPRESS_BELOW else (SUPPRESS_BELOW, total)


def value_range(
    values: Sequence[int], hidden: set[int] | frozenset[int], index: int, *, low: int = 1
) -> tuple[int, int]:
    """The lowest and highest value cell `index` may hold, given the sum of the `hidden` cells and what
    each marker says."""
    known = sum(values[i] for i in hidden)
    bounds = {i: _bounds(values[i], low, known) for i in hidden}
    others_low = sum(lo for i, (lo, _hi) in bounds.items() if i != index)
    others_high = sum(hi for i, (_lo, hi) in bounds.items() if i != index)
    lo, hi = bounds[index]
    return max(lo, known - others_high), min(hi, known - others_low)


def is_protected(values: Sequence[int], hidden: set[int] | frozenset[int], *, low: int = 1) -> bool:
    """No hidden cell's value follows from the group's total."""
    for index in hidden:
        lowest, highest = value_range(values, hidden, index, low=low)
        if lowest >= highest:
            return False
    return True


def protect(values: Sequence[int], *, low: int = 1) -> Protection:
    """Hide the cells of one group (cells summing to one published total): the small ones, then the
    smallest others until no hidden value can be recovered; if none suffices, hide the total as well."""
    primary = frozenset(i for i, value in enumerate(values) if value < SUPPRESS_BELOW)
    hidden = set(primary)
    if not hidden:
        return Protection(primary, frozenset(), False)
    candidates = sorted((i for i in range(len(values)) if i not in hidden), key=lambda i: (values[i], i))
    while not is_protected(values, hidden, low=low) and candidates:
        hidden.add(candidates.pop(0))
    return Protection(primary, frozenset(hidden - primary), not is_protected(values, hidden, low=low))


def published_total(total: int, protection: Protection) -> int | str:
    """A group's total as published: itself, or hidden like a cell when it would give a cell away."""
    if not protection.total_hidden:
        return total
    return SUPPRESSED if total < SUPPRESS_BELOW else WITHHELD
