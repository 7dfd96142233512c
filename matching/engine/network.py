"""The flow network the engine solves, built from devices aggregated into classes.

Nodes: a source S and a sink T joined by a return arc T -> S; one node per device class (kind, site and
spec as the needs see it); one per spec (a class without its site); per profile p (kind and minimums
asked for) a van pool V(p) and one node D(p, s) per collection branch s it is asked for at; one node per
request. Arcs, and what the three stages charge them:

    S -> class       one per device, capacity 1          stage 3: rank of (ready_since, key)
    class -> D(p, s) the class is at s and fits p        stage 2: -1 (no van trip)
    class -> spec    the van, from wherever the class is
    spec -> V(p)     the spec fits p
    V(p) -> D(p, s)  the van, to branch s
    D(p, s) -> req   one per request line, capacity its quantity
    req -> T         one per unit slot k = 1, 2, ... of the request, capacity 1
                                                         stage 1: rank of (tier, k, waiting_since) - R - 1

RAM, storage and updates dates are replaced by how many of the thresholds asked for (for that kind) they
reach, so two devices that meet exactly the same needs share a class however their raw specs differ.
A device may reach its own branch through the van arcs too; stage 2 makes that never worth it, so no
optimal flow does.
"""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .lexflow import Circulation
from .types import Need, Stock

SOURCE, SINK = 0, 1


@dataclass
class Network:
    circulation: Circulation
    stages: list[np.ndarray]
    devices: list[Stock]  # the devices of a kind asked for, by key
    device_class: np.ndarray  # class index of each device
    device_arc: np.ndarray  # its S -> class arc
    class_site: list[int]
    local: list[tuple[int, int, int]]  # (arc, class, D node)
    to_spec: list[tuple[int, int, int]]  # (arc, class, spec)
    spec_pool: list[tuple[int, int, int]]  # (arc, spec, profile)
    pool: list[tuple[int, int, int]]  # (arc, profile, D node)
    lines: list[tuple[int, int, Need]]  # (arc, D node, need)


class _Thresholds:
    """The minimums the needs of one kind ask for, and how far a device's spec reaches along them."""

    def __init__(self, needs: list[Need]):
        self.ram = sorted({n.min_ram_gb for n in needs if n.min_ram_gb > 0})
        self.storage = sorted({n.min_storage_gb for n in needs if n.min_storage_gb > 0})
        self.updates = sorted({n.updates_until for n in needs if n.updates_until is not None})
        self.webcam = any(n.webcam for n in needs)

    def device(self, d: Stock) -> tuple[int, int, int, int]:
        return (
            bisect_right(self.ram, d.ram_gb),
            bisect_right(self.storage, d.storage_gb),
            int(self.webcam and d.webcam),
            0 if d.updates_until is None else bisect_right(self.updates, d.updates_until),
        )

    def need(self, n: Need) -> tuple[int, int, int, int]:
        return (
            0 if n.min_ram_gb == 0 else self.ram.index(n.min_ram_gb) + 1,
            0 if n.min_storage_gb == 0 else self.storage.index(n.min_storage_gb) + 1,
            int(n.webcam),
            0 if n.updates_until is None else self.updates.index(n.updates_until) + 1,
        )


class _Arcs:
    def __init__(self):
        self.tail, self.head, self.upper = [], [], []

    def add(self, tail, head, upper) -> int:
        self.tail.append(tail)
        self.head.append(head)
        self.upper.append(upper)
        return len(self.tail) - 1


def _index(keys) -> tuple[dict, list]:
    """Number distinct keys in order of first appearance."""
    index: dict = {}
    for key in keys:
        index.setdefault(key, len(index))
    return index, list(index)


def build(stock: list[Stock], needs: list[Need]) -> Network:
    """The network for sorted, validated input (the same input always builds the same network)."""
    thresholds = {kind: _Thresholds([n for n in needs if n.kind == kind]) for kind in {n.kind for n in needs}}
    devices = [d for d in stock if d.kind in thresholds]
    device_key = [(d.kind, d.site, thresholds[d.kind].device(d)) for d in devices]
    class_index, classes = _index(device_key)
    device_class = np.array([class_index[key] for key in device_key], dtype=np.int64)
    class_count = np.bincount(device_class, minlength=len(classes))
    spec_index, specs = _index((kind, levels) for kind, _, levels in classes)
    need_profile = [(n.kind, thresholds[n.kind].need(n)) for n in needs]
    profile_index, profiles = _index(need_profile)
    d_index, d_pairs = _index((profile_index[key], n.site) for key, n in zip(need_profile, needs, strict=True))
    requests = sorted({n.request for n in needs})

    first_class = 2
    first_spec = first_class + len(classes)
    first_pool = first_spec + len(specs)
    first_d = first_pool + len(profiles)
    first_request = first_d + len(d_pairs)
    request_node = {r: first_request + i for i, r in enumerate(requests)}

    arcs = _Arcs()
    arcs.add(SINK, SOURCE, len(devices))
    device_arc = np.array([arcs.add(SOURCE, first_class + c, 1) for c in device_class.tolist()], dtype=np.int64)
    fits = _fitting(classes, profiles)  # (class, profile) pairs, by class
    supply = np.zeros(len(profiles), dtype=np.int64)  # devices that fit each profile
    sites_of = defaultdict(set)
    for p, site in d_pairs:
        sites_of[p].add(site)
    local, to_spec, spec_pool, spec_profiles = [], [], [], defaultdict(set)
    for c, p in fits:
        supply[p] += class_count[c]
        kind, site, levels = classes[c]
        if (p, site) in d_index:
            local.append(
                (arcs.add(first_class + c, first_d + d_index[p, site], int(class_count[c])), c, d_index[p, site])
            )
        if sites_of[p] - {site}:
            spec_profiles[spec_index[kind, levels]].add(p)
    spec_count = np.zeros(len(specs), dtype=np.int64)
    for c, (kind, _, levels) in enumerate(classes):
        s = spec_index[kind, levels]
        spec_count[s] += class_count[c]
        if spec_profiles[s]:
            to_spec.append((arcs.add(first_class + c, first_spec + s, int(class_count[c])), c, s))
    for s in range(len(specs)):
        for p in sorted(spec_profiles[s]):
            spec_pool.append((arcs.add(first_spec + s, first_pool + p, int(spec_count[s])), s, p))

    cap = [min(n.quantity, int(supply[profile_index[key]])) for key, n in zip(need_profile, needs, strict=True)]
    asked_at = np.zeros(len(d_pairs), dtype=np.int64)
    lines: list[tuple[int, int, Need]] = []
    slots_of: defaultdict[int, int] = defaultdict(int)
    for key, n, units in zip(need_profile, needs, cap, strict=True):
        d = d_index[profile_index[key], n.site]
        asked_at[d] += units
        lines.append((arcs.add(first_d + d, request_node[n.request], units), d, n))
        slots_of[n.request] += units
    pool = [(arcs.add(first_pool + p, first_d + d, int(asked_at[d])), p, d) for d, (p, _) in enumerate(d_pairs)]
    first_line = {n.request: n for n in needs}
    slot_arcs, slot_keys = [], []
    for r in requests:
        for k in range(1, slots_of[r] + 1):
            slot_arcs.append(arcs.add(request_node[r], SINK, 1))
            slot_keys.append((first_line[r].tier, k, first_line[r].waiting_since.toordinal()))

    stages = _stages(len(arcs.tail), slot_arcs, slot_keys, [arc for arc, _, _ in local], devices, device_arc)
    circulation = Circulation(
        n_nodes=first_request + len(requests),
        tail=np.array(arcs.tail, dtype=np.int64),
        head=np.array(arcs.head, dtype=np.int64),
        lower=np.zeros(len(arcs.tail), dtype=np.int64),
        upper=np.array(arcs.upper, dtype=np.int64),
    )
    return Network(
        circulation,
        stages,
        devices,
        device_class,
        device_arc,
        [key[1] for key in classes],
        local,
        to_spec,
        spec_pool,
        pool,
        lines,
    )


def _fitting(classes, profiles) -> list[tuple[int, int]]:
    """Every (class, profile) pair where the class's devices meet the profile's minimums."""
    pairs: list[tuple[int, int]] = []
    for kind in sorted({kind for kind, _ in profiles}):
        mine = [c for c, key in enumerate(classes) if key[0] == kind]
        theirs = [p for p, key in enumerate(profiles) if key[0] == kind]
        if not mine:
            continue
        have = np.array([classes[c][2] for c in mine], dtype=np.int64)
        want = np.array([profiles[p][1] for p in theirs], dtype=np.int64)
        ci, pi = np.nonzero((have[:, None, :] >= want[None, :, :]).all(axis=2))
        pairs.extend((mine[i], theirs[j]) for i, j in zip(ci.tolist(), pi.tolist(), strict=True))
    return sorted(pairs)


def _stages(n_arcs, slot_arcs, slot_keys, local_arcs, devices, device_arc) -> list[np.ndarray]:
    stages = [np.zeros(n_arcs, dtype=np.int64) for _ in range(3)]
    if slot_keys:
        keys = np.array(slot_keys, dtype=np.int64)
        keys -= keys.min(axis=0)
        span = keys.max(axis=0) + 1  # one integer per (tier, k, waiting_since), in the same order
        _, rank = np.unique((keys[:, 0] * span[1] + keys[:, 1]) * span[2] + keys[:, 2], return_inverse=True)
        stages[0][slot_arcs] = rank - rank.max() - 2
    stages[1][local_arcs] = -1
    if devices:
        ready = np.array([d.ready_since.toordinal() for d in devices])
        order = np.lexsort((np.array([d.key for d in devices]), ready))
        rank = np.empty(len(devices), dtype=np.int64)
        rank[order] = np.arange(len(devices))
        stages[2][device_arc] = rank
    return stages
