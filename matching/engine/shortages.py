"""What the ready stock could not meet after a run, by device type and by the constraint that bit."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from .types import KIND_NAMES, KINDS, EngineError, Need, Pick, Stock, validated

# The minimums a line can ask for, in the order they are named when several could be blamed.
MINIMUMS = ("ram", "storage", "webcam", "updates")
# "left_over": devices that fit are not allocated (picks edited after allocate, which never leaves one).
CONSTRAINTS = ("none_of_kind", "left_over", "not_enough", *MINIMUMS, "several")
# Where a newer operating system can extend a device's security updates.
REINSTALLABLE = ("laptop", "desktop")


@dataclass(frozen=True)
class UnmetLine:
    need: int
    request: int
    kind: str
    quantity: int
    unmet: int  # units not allocated
    constraint: str  # one of CONSTRAINTS: what bit
    fitting: int  # ready devices of the kind meeting every minimum of the line (all allocated, if any)
    meeting: tuple[tuple[str, int], ...]  # per minimum asked: ready devices of the kind meeting it alone
    failing_only: tuple[tuple[str, int], ...]  # per minimum asked: unallocated ready devices failing only it
    sentence: str


@dataclass(frozen=True)
class Cause:
    constraint: str
    lines: int
    units: int  # units not met on those lines
    meeting: int  # ready devices of the kind meeting this minimum for at least one of the lines
    failing_only: int  # unallocated ready devices failing only this minimum for at least one of the lines
    sentence: str


@dataclass(frozen=True)
class Shortage:
    kind: str
    asked: int
    allocated: int
    unmet: int
    ready: int  # ready devices of the kind
    update_candidates: int  # unallocated ready devices failing only on updates for an unmet line
    causes: tuple[Cause, ...]
    lines: tuple[UnmetLine, ...]
    sentence: str  # the headline

    @property
    def sentences(self) -> tuple[str, ...]:
        out = [self.sentence, *(cause.sentence for cause in self.causes)]
        if (
            self.update_candidates
            and self.kind in REINSTALLABLE
            and not any(cause.constraint == "updates" and cause.meeting for cause in self.causes)
        ):
            fail = "fails" if self.update_candidates == 1 else "fail"
            out.append(
                f"{_count(self.update_candidates, self.kind, 'ready ')} not allocated {fail} only on "
                "security updates: candidates for ChromeOS Flex or Linux."
            )
        return tuple(out)


def shortages(stock: Iterable[Stock], needs: Iterable[Need], picks: Iterable[Pick]) -> list[Shortage]:
    """Per device type with units not met, why: for each unmet line the single constraint that bit (no
    device of the type ready at all; not enough, as every fitting device was allocated; one minimum
    that no ready device meets, or the minimum most ready devices fail on alone; or several together),
    with counts of the ready devices behind each verdict."""
    stock, needs, _ = validated(stock, needs, None)
    allocated_devices, allocated_to = _checked_picks(stock, needs, picks)
    report = []
    for kind in KINDS:
        lines = [n for n in needs if n.kind == kind]
        unmet = [n for n in lines if allocated_to[n.key] < n.quantity]
        if not unmet:
            continue
        pool = _Pool([d for d in stock if d.kind == kind], allocated_devices)
        verdicts = [(n, pool.verdict(n)) for n in unmet]
        asked = sum(n.quantity for n in lines)
        allocated = sum(allocated_to[n.key] for n in lines)
        plural = KIND_NAMES[kind][1]
        report.append(
            Shortage(
                kind=kind,
                asked=asked,
                allocated=allocated,
                unmet=asked - allocated,
                ready=pool.size,
                update_candidates=pool.union([n for n in unmet if n.updates_until], "updates"),
                causes=tuple(_causes(kind, pool, verdicts, allocated_to)),
                lines=tuple(_line(n, v, allocated_to[n.key]) for n, v in verdicts),
                sentence=f"{plural.capitalize()}: {asked} asked for, {allocated} allocated, "
                f"{asked - allocated} not met.",
            )
        )
    return report


def _checked_picks(stock, needs, picks):
    devices, lines = {d.key for d in stock}, {n.key: n for n in needs}
    used: set[int] = set()
    allocated_to: Counter[int] = Counter()
    for pick in picks:
        if pick.stock not in devices or pick.need not in lines:
            raise EngineError("unknown_pick", f"pick of device {pick.stock} for need {pick.need}: not in the input")
        if pick.stock in used:
            raise EngineError("device_picked_twice", f"device {pick.stock} is picked twice", pick.stock)
        used.add(pick.stock)
        allocated_to[pick.need] += 1
        if allocated_to[pick.need] > lines[pick.need].quantity:
            raise EngineError("over_quantity", f"need {pick.need} has more picks than its quantity", pick.need)
    return used, allocated_to


class _Pool:
    """The ready devices of one kind, as arrays, and per-line masks of who meets which minimum."""

    def __init__(self, devices: list[Stock], allocated: set[int]):
        self.size = len(devices)
        self.ram = np.array([d.ram_gb for d in devices], dtype=np.int64)
        self.storage = np.array([d.storage_gb for d in devices], dtype=np.int64)
        self.webcam = np.array([d.webcam for d in devices], dtype=bool)
        self.updates = np.array(
            [d.updates_until.toordinal() if d.updates_until else -1 for d in devices], dtype=np.int64
        )
        self.free = np.array([d.key not in allocated for d in devices], dtype=bool)
        self._cache: dict[tuple, dict[str, np.ndarray]] = {}

    def masks(self, n: Need) -> dict[str, np.ndarray]:
        """For each minimum the line asks for, which devices meet it."""
        key = (n.min_ram_gb, n.min_storage_gb, n.webcam, n.updates_until)
        if key not in self._cache:
            masks = {}
            if n.min_ram_gb:
                masks["ram"] = self.ram >= n.min_ram_gb
            if n.min_storage_gb:
                masks["storage"] = self.storage >= n.min_storage_gb
            if n.webcam:
                masks["webcam"] = self.webcam
            if n.updates_until:
                masks["updates"] = self.updates >= n.updates_until.toordinal()
            self._cache[key] = masks
        return self._cache[key]

    def fitting(self, n: Need) -> np.ndarray:
        fit = np.ones(self.size, dtype=bool)
        for mask in self.masks(n).values():
            fit &= mask
        return fit

    def failing_only(self, n: Need, minimum: str) -> np.ndarray:
        masks = self.masks(n)
        out = self.free & ~masks[minimum]
        for other, mask in masks.items():
            if other != minimum:
                out &= mask
        return out

    def union(self, lines: list[Need], minimum: str, what: str = "failing_only") -> int:
        seen = np.zeros(self.size, dtype=bool)
        for n in lines:
            seen |= self.failing_only(n, minimum) if what == "failing_only" else self.masks(n)[minimum]
        return int(seen.sum())

    def verdict(self, n: Need) -> dict:
        masks = self.masks(n)
        meeting = {m: int(masks[m].sum()) for m in MINIMUMS if m in masks}
        failing = {m: int(self.failing_only(n, m).sum()) for m in MINIMUMS if m in masks}
        fitting = int(self.fitting(n).sum())
        if self.size == 0:
            constraint = "none_of_kind"
        elif (self.fitting(n) & self.free).any():
            constraint = "left_over"
        elif fitting:
            constraint = "not_enough"
        elif any(count == 0 for count in meeting.values()):
            constraint = next(m for m, count in meeting.items() if count == 0)
        elif any(failing.values()):
            constraint = max(failing, key=lambda m: (failing[m], -MINIMUMS.index(m)))
        else:
            constraint = "several"
        return {"constraint": constraint, "fitting": fitting, "meeting": meeting, "failing_only": failing}


def _count(n: int, kind: str, adjective: str = "") -> str:
    """'1 laptop', '3 ready laptops'"""
    return f"{n} {adjective}{KIND_NAMES[kind][0 if n == 1 else 1]}"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _asked(minimum: str, lines: list[Need]) -> str:
    """'with a webcam', 'with at least 8 GB RAM', 'with a RAM minimum (8 to 16 GB)'..."""
    if minimum == "webcam":
        return "with a webcam"
    if minimum == "updates":
        dates = sorted({n.updates_until for n in lines if n.updates_until is not None})
        if len(dates) == 1:
            return f"with security updates until at least {_day(dates[0])}"
        return f"with security updates until at least {_day(dates[0])} to {_day(dates[-1])}"
    label = {"ram": "RAM", "storage": "storage"}[minimum]
    values = sorted({n.min_ram_gb if minimum == "ram" else n.min_storage_gb for n in lines})
    if len(values) == 1:
        return f"with at least {values[0]} GB {label}"
    return f"with a {label} minimum ({values[0]} to {values[-1]} GB)"


NONE_MEET = {
    "ram": "have that much RAM",
    "storage": "have that much storage",
    "webcam": "have one",
    "updates": "are known to get security updates that long",
}
FAILING = {"ram": "RAM", "storage": "storage", "webcam": "the webcam", "updates": "security updates"}


def _causes(kind: str, pool: _Pool, verdicts, allocated_to) -> list[Cause]:
    singular, plural = KIND_NAMES[kind]
    grouped = defaultdict(list)
    for n, verdict in verdicts:
        grouped[verdict["constraint"]].append(n)
    out = []
    for constraint in CONSTRAINTS:
        lines = grouped.get(constraint)
        if not lines:
            continue
        units = sum(n.quantity - allocated_to[n.key] for n in lines)
        asked = _count(units, kind)
        meeting = failing = 0
        if constraint == "none_of_kind":
            sentence = f"{asked} asked for; no {singular} is ready."
        elif constraint in ("not_enough", "left_over"):
            fitting = np.zeros(pool.size, dtype=bool)
            for n in lines:
                fitting |= pool.fitting(n)
            meeting = int(fitting.sum())
            if constraint == "not_enough":
                every = (
                    f"all {meeting} ready {plural} that fit were"
                    if meeting > 1
                    else f"the one ready {singular} that fits was"
                )
                sentence = f"{asked} asked for could not be met: {every} allocated."
            else:
                left = int((fitting & pool.free).sum())
                sentence = (
                    f"{asked} asked for {_are(units)} not met, yet {_count(left, kind, 'ready ')} that "
                    f"{'fits' if left == 1 else 'fit'} {_are(left)} not allocated."
                )
        elif constraint == "several":
            sentence = (
                f"{asked} asked for could not be met: no ready {singular} meets all of the minimums "
                "asked for, and none fails on only one."
            )
        else:
            meeting = pool.union(lines, constraint, "meeting")
            failing = pool.union(lines, constraint)
            sentence = f"{asked} asked for {_asked(constraint, lines)}; "
            if meeting == 0:
                sentence += f"0 ready {plural} {NONE_MEET[constraint]}."
            else:
                fail = "fails" if failing == 1 else "fail"
                sentence += f"{_count(failing, kind, 'ready ')} not allocated {fail} only on {FAILING[constraint]}"
                if constraint == "updates" and kind in REINSTALLABLE:
                    sentence += ": candidates for ChromeOS Flex or Linux"
                sentence += "."
        out.append(Cause(constraint, len(lines), units, meeting, failing, sentence))
    return out


LINE_REASON = {
    "none_of_kind": "no device of this type is ready",
    "left_over": "some ready devices that fit are not allocated",
    "not_enough": "every ready device that fits was allocated",
    "ram": "too little RAM",
    "storage": "too little storage",
    "webcam": "no webcam",
    "updates": "security updates end too soon or are unknown",
    "several": "no ready device meets all the minimums together",
}


def _line(n: Need, verdict: dict, allocated: int) -> UnmetLine:
    unmet = n.quantity - allocated
    plural = KIND_NAMES[n.kind][1] if n.quantity != 1 else KIND_NAMES[n.kind][0]
    reason = LINE_REASON[verdict["constraint"]]
    if verdict["constraint"] in MINIMUMS:
        reason = (
            f"{reason}: {verdict['meeting'][verdict['constraint']]} ready devices meet that minimum, "
            f"{verdict['failing_only'][verdict['constraint']]} unallocated ones fail on it alone"
        )
    return UnmetLine(
        need=n.key,
        request=n.request,
        kind=n.kind,
        quantity=n.quantity,
        unmet=unmet,
        constraint=verdict["constraint"],
        fitting=verdict["fitting"],
        meeting=tuple(verdict["meeting"].items()),
        failing_only=tuple(verdict["failing_only"].items()),
        sentence=f"Need {n.key} (request {n.request}): {unmet} of {n.quantity} {plural} not met; {reason}.",
    )
