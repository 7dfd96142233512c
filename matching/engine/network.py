"""The flow network the engine solves, built from devices aggregated into classes.

Nodes: a source S and a sink T joined by a return arc T -> S; one node per device class; per profile
(kind and minimum spec asked for) a van pool V(p) and one node D(p, s) per collection branch s asked
from; one node per request. Arcs, with what the stages below charge them:

    S -> class       one per device, capacity 1          level 6: rank of (ready_since, key)
    class -> D(p, s) device already at s, for profile p  level 5: -1 (no van trip)
    class -> V(p)    device elsewhere, for profile p
    V(p) -> D(p, s)  the van
    D(p, s) -> req   one per request line, capacity its quantity
    req -> T         one per unit slot k = 1, 2, ... of the request, capacity 1
                                                         levels 1-4: rank of (tier, k, waiting_since) - R - 1

A class is every device of one kind, site and spec *as the needs see it*: RAM, storage and updates dates
are replaced by how many of the thresholds asked for (for that kind) they reach, so two devices that meet
exactly the same needs share a class however their raw specs differ.
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
    van: list[tuple[int, int, int]]  # (arc, class, profile)
    pool: list[tuple[int, int, int]]  # (arc, profile, D node)
    lines: list[tuple[int, int, Need]]  # (arc, D node, need)


class _Thresholds:
    """The minimums needs of one kind ask for, and how far a device's spec reaches along them."""

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

    def add_many(self, tail: np.ndarray, head: np.ndarray, upper: np.ndarray) -> np.ndarray:
        start = len(self.tail)
        self.tail.extend(tail.tolist())
        self.head.extend(head.tolist())
        self.upper.extend(upper.tolist())
        return np.arange(start, len(self.tail))


def build(stock: list[Stock], needs: list[Need]) -> Network:
    """The network for sorted, validated input (the same input always builds the same network)."""
    asked_kinds = {n.kind for n in needs}
    devices = [d for d in stock if d.kind in asked_kinds]
    per_kind = defaultdict(int)
    for d in devices:
        per_kind[d.kind] += 1
    thresholds = {kind: _Thresholds([n for n in needs if n.kind == kind]) for kind in asked_kinds}

    class_index, class_key, device_class = {}, [], []
    for d in devices:
        key = (d.kind, d.site, thresholds[d.kind].device(d))
        device_class.append(class_index.setdefault(key, len(class_key)))
        if len(class_key) < len(class_index):
            class_key.append(key)
    class_count = np.bincount(np.array(device_class, dtype=np.int64), minlength=len(class_key))

    profile_index, profile_key, d_nodes = {}, [], {}
    for n in needs:
        key = (n.kind, thresholds[n.kind].need(n))
        p = profile_index.setdefault(key, len(profile_key))
        if p == len(profile_key):
            profile_key.append(key)
        d_nodes.setdefault((p, n.site), None)
    requests = sorted({n.request for n in needs})

    # Node numbers.
    first_class = 2
    first_pool = first_class + len(class_key)
    next_node = first_pool + len(profile_key)
    for pair in d_nodes:  # insertion order follows the sorted needs, so it is canonical
        d_nodes[pair] = next_node
        next_node += 1
    request_node = {r: next_node + i for i, r in enumerate(requests)}
    n_nodes = next_node + len(requests)

    arcs = _Arcs()
    arcs.add(SINK, SOURCE, len(devices))
    device_arc = arcs.add_many(
        np.full(len(devices), SOURCE),
        first_class + np.array(device_class, dtype=np.int64),
        np.ones(len(devices), dtype=np.int64),
    )

    local, van = _class_arcs(arcs, class_key, class_count, profile_key, d_nodes, first_class, first_pool)

    line_cap = {n.key: min(n.quantity, per_kind[n.kind]) for n in needs}
    pool, demand_at = [], defaultdict(int)
    for n in needs:
        demand_at[d_nodes[(profile_index[(n.kind, thresholds[n.kind].need(n))], n.site)]] += line_cap[n.key]
    for (p, _site), node in d_nodes.items():
        pool.append((arcs.add(first_pool + p, node, demand_at[node]), p, node))

    lines, slots_of = [], defaultdict(int)
    for n in needs:
        node = d_nodes[(profile_index[(n.kind, thresholds[n.kind].need(n))], n.site)]
        lines.append((arcs.add(node, request_node[n.request], line_cap[n.key]), node, n))
        slots_of[n.request] += line_cap[n.key]
    by_request = {n.request: n for n in needs}
    slot_arcs, slot_keys = [], []
    for r in requests:
        first = by_request[r]
        for k in range(1, slots_of[r] + 1):
            slot_arcs.append(arcs.add(request_node[r], SINK, 1))
            slot_keys.append((first.tier, k, first.waiting_since.toordinal()))

    n_arcs = len(arcs.tail)
    stages = [np.zeros(n_arcs, dtype=np.int64) for _ in range(3)]
    if slot_keys:
        keys = np.array(slot_keys, dtype=np.int64)
        keys -= keys.min(axis=0)
        span = keys.max(axis=0) + 1  # one integer per (tier, k, waiting_since), in the same order
        _, rank = np.unique((keys[:, 0] * span[1] + keys[:, 1]) * span[2] + keys[:, 2], return_inverse=True)
        stages[0][slot_arcs] = rank - rank.max() - 2
    stages[1][[arc for arc, _, _ in local]] = -1
    if devices:
        order = np.lexsort((np.array([d.key for d in devices]), np.array([d.ready_since.toordinal() for d in devices])))
        rank = np.empty(len(devices), dtype=np.int64)
        rank[order] = np.arange(len(devices))
        stages[2][device_arc] = rank

    circulation = Circulation(
        n_nodes=n_nodes,
        tail=np.array(arcs.tail, dtype=np.int64),
        head=np.array(arcs.head, dtype=np.int64),
        lower=np.zeros(n_arcs, dtype=np.int64),
        upper=np.array(arcs.upper, dtype=np.int64),
    )
    return Network(
        circulation,
        stages,
        devices,
        np.array(device_class, dtype=np.int64),
        device_arc,
        [key[1] for key in class_key],
        local,
        van,
        pool,
        lines,
    )


def _class_arcs(arcs, class_key, class_count, profile_key, d_nodes, first_class, first_pool):
    """Arcs from every class to every profile it can serve: straight to the branch when it is already
    there, through the profile's van pool when the profile is asked for at some other branch."""
    sites_of = defaultdict(set)
    for p, site in d_nodes:
        sites_of[p].add(site)
    local, van = [], []
    kinds = sorted({key[0] for key in profile_key})
    for kind in kinds:
        classes = [c for c, key in enumerate(class_key) if key[0] == kind]
        profiles = [p for p, key in enumerate(profile_key) if key[0] == kind]
        if not classes:
            continue
        have = np.array([class_key[c][2] for c in classes], dtype=np.int64)
        want = np.array([profile_key[p][1] for p in profiles], dtype=np.int64)
        ci, pi = np.nonzero((have[:, None, :] >= want[None, :, :]).all(axis=2))
        for i, j in zip(ci.tolist(), pi.tolist(), strict=True):
            c, p = classes[i], profiles[j]
            site = class_key[c][1]
            node = d_nodes.get((p, site))
            if node is not None:
                local.append((arcs.add(first_class + c, node, int(class_count[c])), c, node))
            if sites_of[p] - {site}:
                van.append((arcs.add(first_class + c, first_pool + p, int(class_count[c])), c, p))
    return local, van
