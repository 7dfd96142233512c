"""allocate(): validate, build the network, solve its three stages, and turn the flow into picks."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

import numpy as np

from .network import Network, build
from .types import KIND_NAMES, Need, Pick, Stock, validated


def allocate(stock: Iterable[Stock], needs: Iterable[Need], *, today: date | None = None) -> list[Pick]:
    """Share the ready `stock` out over the `needs` (see the package docstring for the exact order of
    what is optimised). `today` only dates the reasons (waiting and ready days); it defaults to the
    latest date in the input, so the answer never depends on the clock."""
    stock, needs, today = validated(stock, needs, today)
    if not stock or not needs:
        return []
    network = build(stock, needs)
    flow, _values = network.circulation.solve(network.stages)
    picks = [_pick(device, need, today) for device, need in _assign(network, flow)]
    return sorted(picks, key=lambda p: (p.tier, -(p.waiting_days or 0), p.request, p.need, p.stock))


def _pair(sources: list[list[Any]], sinks: list[list[Any]]) -> list[tuple[Any, Any, int]]:
    """Match two lists of [id, amount] with equal totals, first to first (a deterministic decomposition)."""
    out, i = [], 0
    for sink, wanted in sinks:
        while wanted:
            take = min(wanted, sources[i][1])
            out.append((sources[i][0], sink, take))
            sources[i][1] -= take
            wanted -= take
            if sources[i][1] == 0:
                i += 1
    return out


def _assign(network: Network, flow: np.ndarray) -> list[tuple[Stock, Need]]:
    """Concrete (device, need) pairs from the flow: classes to branches, branches to lines, then the
    class's chosen devices to its lines."""
    into_d: defaultdict[int, list[list[Any]]] = defaultdict(list)  # D node -> [[class, units]]
    for arc, c, d in network.local:
        if flow[arc]:
            into_d[d].append([c, int(flow[arc])])
    into_spec, out_of_spec = defaultdict(list), defaultdict(list)
    for arc, c, s in network.to_spec:
        if flow[arc]:
            into_spec[s].append([c, int(flow[arc])])
    for arc, s, p in network.spec_pool:
        if flow[arc]:
            out_of_spec[s].append([p, int(flow[arc])])
    into_pool, out_of_pool = defaultdict(list), defaultdict(list)
    for s, sinks in out_of_spec.items():
        for c, p, units in _pair(into_spec[s], sinks):
            into_pool[p].append([c, units])
    for arc, p, d in network.pool:
        if flow[arc]:
            out_of_pool[p].append([d, int(flow[arc])])
    for p, sinks in out_of_pool.items():
        for c, d, units in _pair(into_pool[p], sinks):
            into_d[d].append([c, units])
    out_of_d: defaultdict[int, list[list[Any]]] = defaultdict(list)
    for arc, node, need in network.lines:
        if flow[arc]:
            out_of_d[node].append([need, int(flow[arc])])
    per_class = defaultdict(list)
    for node, sinks in out_of_d.items():
        sources = sorted(into_d[node])
        for c, need, units in _pair(sources, sinks):
            per_class[c].append((need, units))
    chosen = defaultdict(list)
    for i in np.flatnonzero(flow[network.device_arc]).tolist():
        chosen[int(network.device_class[i])].append(network.devices[i])
    pairs: list[tuple[Stock, Need]] = []
    for c, wanted in per_class.items():
        devices = iter(sorted(chosen[c], key=lambda d: (d.ready_since, d.key)))
        for need, units in sorted(
            wanted, key=lambda item: (item[0].tier, item[0].waiting_since, item[0].request, item[0].key)
        ):
            pairs.extend((next(devices), need) for _ in range(units))
    return pairs


@cache
def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _spec_fit(device: Stock, need: Need) -> str:
    name = KIND_NAMES[device.kind][0]
    asked = []
    if need.min_ram_gb:
        asked.append(f"{device.ram_gb} GB RAM ({need.min_ram_gb} GB asked for)")
    if need.min_storage_gb:
        asked.append(f"{device.storage_gb} GB storage ({need.min_storage_gb} GB asked for)")
    if need.webcam:
        asked.append("a webcam")
    if need.updates_until is not None:
        asked.append(f"security updates until {_day(device.updates_until)} ({_day(need.updates_until)} asked for)")
    if not asked:
        return f"A {name}, as asked; no minimum spec was asked for."
    return f"A {name} meeting every minimum asked for: " + ", ".join(asked) + "."


def _pick(device: Stock, need: Need, today: date) -> Pick:
    waiting = (today - need.waiting_since).days
    ready = (today - device.ready_since).days
    if device.site == need.site:
        branch = "Already at the collection branch."
    else:
        branch = f"Needs moving from site {device.site} to the collection branch (site {need.site})."
    reasons = (
        f"Tier {need.tier} request, waiting {_days(waiting)} since it was approved on {_day(need.waiting_since)}.",
        _spec_fit(device, need),
        branch,
        f"Ready for {_days(ready)} (since {_day(device.ready_since)}); longest-ready devices go first.",
    )
    return Pick(
        stock=device.key,
        need=need.key,
        reasons=reasons,
        request=need.request,
        tier=need.tier,
        waiting_days=waiting,
        from_site=device.site,
        to_site=need.site,
        ready_days=ready,
    )
