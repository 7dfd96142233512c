"""matching.engine.allocate on 10,000 ready devices and 2,000 requests (about 3,000 lines), and the shortage
analysis after it. Pure code: it needs no database, so it works with or without the 100,000-device seed."""

import os
import random
import statistics
import time
from datetime import date, timedelta

from matching.engine import Need, Stock, allocate, shortages
from matching.engine.network import build

SEED = 2026
TODAY = date(2026, 11, 22)
SITES = range(1, 9)
# kind: (share of stock, share of lines, RAM choices, storage choices, share with a webcam)
KINDS = {
    "laptop": (0.50, 0.55, (4, 8, 8, 16), (128, 256, 256, 512), 0.85),
    "tablet": (0.15, 0.15, (2, 3, 4), (32, 64, 128), 0.95),
    "phone": (0.20, 0.20, (3, 4, 6), (32, 64, 128), 0.98),
    "desktop": (0.08, 0.05, (4, 8, 16), (256, 512, 1000), 0.10),
    "hotspot": (0.05, 0.04, (0,), (0,), 0.0),
    "other": (0.02, 0.01, (0,), (0,), 0.0),
}
# Security updates end with the model family: a handful of dates, and some unknown.
UPDATE_DATES = [
    date(2025, 10, 14),
    date(2026, 6, 30),
    date(2027, 3, 31),
    date(2027, 10, 31),
    date(2028, 6, 30),
    date(2029, 4, 30),
    date(2030, 10, 31),
    None,
]


def _stock(rng: random.Random, count: int) -> list[Stock]:
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    out = []
    for key in range(1, count + 1):
        kind = rng.choices(kinds, weights)[0]
        _, _, ram, storage, webcam = KINDS[kind]
        out.append(
            Stock(
                key=key,
                kind=kind,
                site=rng.choice(SITES),
                ram_gb=rng.choice(ram),
                storage_gb=rng.choice(storage),
                webcam=rng.random() < webcam,
                updates_until=rng.choice(UPDATE_DATES),
                ready_since=TODAY - timedelta(days=rng.randrange(180)),
            )
        )
    return out


def _needs(rng: random.Random, requests: int) -> list[Need]:
    kinds = list(KINDS)
    weights = [KINDS[k][1] for k in kinds]
    out, key = [], 0
    for request in range(1, requests + 1):
        tier, site = rng.choices((1, 2, 3), (0.2, 0.5, 0.3))[0], rng.choice(SITES)
        waiting = TODAY - timedelta(days=rng.randrange(120))
        for _ in range(rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]):
            key += 1
            kind = rng.choices(kinds, weights)[0]
            _, _, ram, storage, webcam = KINDS[kind]
            specs = rng.random() < 0.6
            out.append(
                Need(
                    key=key,
                    request=request,
                    tier=tier,
                    waiting_since=waiting,
                    site=site,
                    kind=kind,
                    quantity=rng.choices(range(1, 11), (30, 20, 12, 8, 8, 6, 4, 4, 4, 4))[0],
                    min_ram_gb=rng.choice((0,) + ram[:2]) if specs else 0,
                    min_storage_gb=rng.choice((0,) + storage[:2]) if specs else 0,
                    webcam=specs and webcam > 0.5 and rng.random() < 0.4,
                    updates_until=rng.choice((None, None, date(2026, 12, 31), date(2027, 12, 31), date(2028, 6, 30)))
                    if specs
                    else None,
                )
            )
    return out


def instance(devices: int = 10_000, requests: int = 2_000, seed: int = SEED):
    rng = random.Random(seed)
    return _stock(rng, devices), _needs(rng, requests)


def _timed(func, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run(report):
    stock, needs = instance()
    network = build(sorted(stock, key=lambda s: s.key), sorted(needs, key=lambda n: n.key))
    seconds, picks = _timed(lambda: allocate(stock, needs, today=TODAY), 3)
    report(
        f"allocate: {len(stock):,} devices, {len({n.request for n in needs}):,} requests, "
        f"{len(needs):,} lines (median of 3)",
        seconds,
        "s",
        "under 1 s",
    )
    report("  device classes the solver saw", len(network.class_site), "classes")
    report("  arcs in its network", len(network.circulation.tail), "arcs")
    report("  devices proposed", len(picks), "picks")
    seconds, found = _timed(lambda: shortages(stock, needs, picks), 3)
    report("shortage analysis after it (median of 3)", seconds, "s")
    report("  types short", len(found), "types")
    report(
        "  load average while measuring (1 min)",
        os.getloadavg()[0],
        "on 2 cores" if os.cpu_count() == 2 else f"on {os.cpu_count()} cores",
    )


if __name__ == "__main__":
    run(lambda figure, value, unit, target="": print(f"{figure}: {value:.4g} {unit} {target}"))
