"""The matching engine: share the ready stock out over approved request lines, fairly and explainably.

Pure code (no database, no Django): `allocate(stock, needs, today=None) -> list[Pick]` and
`shortages(stock, needs, picks) -> list[Shortage]`, over the frozen dataclasses `Stock` and `Need`.
Malformed input raises `EngineError` (a `ValueError` with a `.code`).

Hard rules: a device goes to at most one line; a line never gets more than its quantity; a device is of
the line's kind and meets every minimum it asks for (RAM, storage, webcam, security updates until a date;
a device whose updates date is unknown fails any updates minimum, and no minimum accepts unknown).

What is optimised, each level exactly, and a later level only among the answers best at every earlier one.
"Units" of a request are counted over all its lines; its tier and approval date are the same on every line
(lines that disagree are refused: `request_inconsistent`); lines of one request may name different branches.

1. Tier-1 units: as many devices to tier-1 requests as the stock can possibly give.
2. Tier-1 spread: as many tier-1 requests as possible get a first unit; then, that number kept, as many as
   possible a second unit; and so on. (This never costs level 1 a unit: any allocation can be extended to
   a maximum one without taking a unit from any request, so the best spread always has the most units.)
3. Tier 2 the same way (units, then spread), then tier 3, and on for every tier given.
4. Longer waiting wins, round by round: within each tier (highest first), and for each round k = 1, 2, ...
   (a request is in round k when it gets a k-th unit), the requests served in that round are the
   longest-waiting possible: as many as possible approved on the earliest approval date, then, that kept,
   on the next date, and so on. Put simply: everyone gets one before anyone gets two, and within a round
   the longest-waiting requests go first. (Requests approved the same day are equal here.) Formally the
   vector of counts c[tier, k, date] = |{requests of that tier and approval date with >= k units}|,
   ordered by (tier, k, date), is lexicographically maximal; levels 1-3 are prefix sums of the same vector.
   Other readings a coordinator might offer pick the same answers here: "the longest-waiting requests get
   as many units as they can, then the next" and "the most unit-days waited". The answers left by levels
   1-3 differ only by moving one unit between two requests of one tier that hold k + 1 and k units (they
   all have the same spread), so any reading that prefers the longer-waiting one in such a move agrees
   (a property test checks this against a brute force).
5. As many devices as possible already at their line's collection branch (fewer van trips).
6. Devices ready longest go first, then lowest keys: the used devices, listed in order of
   (ready_since, key), are lexicographically first; with levels 1-5 fixed this decides exactly which
   devices are used (across classes too, not only within one).
Remaining freedom (which of several equally good lines a chosen device serves) is settled by a fixed
rule, so the same input in any order gives the same picks. Picks come sorted by tier, longest waiting,
request, need key and device key.

How it is solved exactly. Devices meeting exactly the same needs at the same site form one class (RAM,
storage and updates dates replaced by how many of the asked-for thresholds they reach). The network
(`network.py`) is solved as a linear programme by HiGHS in three stages (`lexflow.py`); between stages the
optimal face is fixed through complementary slackness, with the potentials checked in integers, so every
stage chooses only among the previous stages' optima, and costs stay small integers (nothing can overflow).
- Stage 1 (levels 1-4) charges the k-th unit slot of each request rank(tier, k, approval date) minus a
  constant, so slots earlier in that order are worth strictly more. The vectors of used unit slots that the
  network allows form an integral generalised polymatroid (M-natural-convex set: the network induces it
  from the sinks), on which a linear objective is maximised greedily: one optimum reaches the largest
  possible count on every prefix of the (tier, k, date) order at once, and the optima are exactly the
  vectors doing so. Those prefix counts are levels 1-4 (tier-t units and spread are sums over prefixes),
  so the stage's optimal face is exactly the set of answers optimal for levels 1-4 in order.
- Stage 2 (level 5) charges -1 per device sent straight to its own branch.
- Stage 3 (level 6) charges each device its rank in (ready_since, key) order; on the face left, the used
  devices form the bases of a matroid, whose minimum-rank base is the lexicographically first one.
The tests check every level's value against an independent brute force and an integer programme that
optimises the levels one after another, straight from their definitions (tests/matching/).
"""

from .allocate import allocate
from .shortages import Cause, Shortage, UnmetLine, shortages
from .types import KINDS, EngineError, Need, Pick, Stock

__all__ = ["KINDS", "Cause", "EngineError", "Need", "Pick", "Shortage", "Stock", "UnmetLine", "allocate", "shortages"]
