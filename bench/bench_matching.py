"""Matching at the bench's scale: `manage.py match` end to end over 100,000 devices and a realistic queue
of approved requests, `seed_demo --requests`, and the public form's submit with its confirmation page."""

import random
import re
import statistics
import time
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db.models import Sum
from django.test import Client, override_settings
from django.utils import timezone

from matching.engine import allocate, shortages
from matching.models import CommunityRequest, MatchRun, Organisation, RequestLine, Tier
from matching.services.runs import engine_input
from reuse.models import Device, Site

DEVICES = 100_000
APPROVED = 600  # a busy council's queue: a few hundred groups' requests waiting at once
KINDS = [("laptop", 0.55), ("tablet", 0.2), ("phone", 0.2), ("desktop", 0.05)]


def _queue(rng: random.Random) -> None:
    """Approved requests written in bulk (set-up only, not measured): lines of 1-6 devices, a fifth with a
    webcam or RAM minimum, some with a security-updates minimum, spread over the branches and tiers."""
    branches = list(Site.objects.branches())
    tiers = list(Tier.objects.values_list("number", flat=True))
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench Group {n}", kind="community", verified_at=now) for n in range(APPROVED // 2)]
    )
    requests = CommunityRequest.objects.bulk_create(
        [
            CommunityRequest(
                reference=f"REQ-BENCH-{n:05d}",
                organisation=organisations[n // 2],
                status="approved",
                people_count=rng.randint(3, 60),
                area=rng.choice(["AN1", "AN3", "AN5", "ZZ9"]),
                in_area=rng.random() < 0.9,
                collection_site=rng.choice(branches),
                needed_by=now.date() + timedelta(days=60),
                contact_name="Bench Contact",
                contact_email=f"bench{n}@example.org",
                consent_at=now,
                status_token=f"bench-token-{n:05d}-{rng.randrange(16**12):012x}",
                tier=rng.choice(tiers),
                approved_at=now - timedelta(days=rng.randint(0, 120)),
                submitted_at=now - timedelta(days=130),
            )
            for n in range(APPROVED)
        ]
    )
    lines = []
    for req in requests:
        for kind in {
            rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0] for _ in range(rng.choice([1, 1, 2]))
        }:
            quantity = rng.choice([1, 2, 2, 3, 4, 6])
            lines.append(
                RequestLine(
                    request=req,
                    kind=kind,
                    quantity=quantity,
                    asked_quantity=quantity,
                    webcam=rng.random() < 0.2,
                    min_ram_gb=8 if kind == "laptop" and rng.random() < 0.2 else 0,
                    updates_until=now.date() + timedelta(days=365) if rng.random() < 0.15 else None,
                )
            )
    RequestLine.objects.bulk_create(lines)


def _timed(fn, repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _submit(client: Client, branch: Site) -> float:
    """Walk the public form's question pages (not timed), then time the final submit."""
    page = client.get("/request/organisation/").content.decode()
    token = re.search(r'name="started" value="([^"]+)"', page).group(1)
    soon = timezone.localdate() + timedelta(days=40)
    steps = [
        (
            "/request/organisation/",
            {"organisation_name": f"Form Group {random.random()}", "organisation_kind": "community", "started": token},
        ),
        ("/request/contact/", {"contact_name": "Bench Person", "contact_email": "bench@example.org"}),
        ("/request/people/", {"served_groups": ["jobseekers"], "people_count": "5", "area": "AN2"}),
        (
            "/request/devices/add/",
            {
                "kind": "laptop",
                "quantity": "2",
                "min_ram_gb": "8",
                "min_storage_gb": "0",
                "webcam": "yes",
                "setup_help": "no",
            },
        ),
        ("/request/devices/", {"another": "no"}),
        (
            "/request/collection/",
            {
                "collection_site": branch.pk,
                "needed_by_0": soon.day,
                "needed_by_1": soon.month,
                "needed_by_2": soon.year,
            },
        ),
    ]
    for path, data in steps:
        assert client.post(path, data).status_code == 302, path
    started = time.perf_counter()
    response = client.post("/request/check/", {"consent": "on"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def run(report):
    have = Device.objects.count()
    if have < DEVICES:
        call_command("seed_demo", devices=DEVICES - have, borrowers=0, requests=0, stdout=StringIO())
    rng = random.Random(2026)
    _queue(rng)
    asked = RequestLine.objects.filter(request__status="approved").aggregate(n=Sum("quantity"))["n"]
    lines = RequestLine.objects.filter(request__status="approved").count()

    ready, total = Device.objects.lendable().count(), Device.objects.count()
    started = time.perf_counter()
    call_command("match", stdout=StringIO())
    report(
        f"manage.py match (dry run): {ready:,} ready of {total:,} devices, "
        f"{APPROVED} approved requests ({lines} lines, {asked:,} devices asked)",
        time.perf_counter() - started,
        "s",
    )
    started = time.perf_counter()
    call_command("match", "--commit", stdout=StringIO())
    report("manage.py match --commit (stores the proposals)", time.perf_counter() - started, "s")
    run = MatchRun.objects.filter(committed=True).first()
    started = time.perf_counter()
    wanted = engine_input()
    report("  reading the ready stock and open lines", time.perf_counter() - started, "s")
    started = time.perf_counter()
    picks = allocate(wanted.stock, wanted.needs, today=run.today)
    report("  the engine (allocate)", time.perf_counter() - started, "s")
    started = time.perf_counter()
    shortages(wanted.stock, wanted.needs, picks)
    report("  the shortage analysis", time.perf_counter() - started, "s")
    report("  proposals stored", run.proposed, "proposals")
    report("  what the run saw, stored compressed", (len(run.input_data) + len(run.picks_data)) / 1024, "KB")

    started = time.perf_counter()
    call_command("seed_demo", devices=0, borrowers=0, requests=200, stdout=StringIO())
    report("seed_demo --requests 200 (with its matching run)", time.perf_counter() - started, "s")

    branch = Site.objects.get(code="CENTRAL")
    with override_settings(REQUEST_FORM_MIN_SECONDS=0, TASKS_SYNC=False, RATELIMIT_ENABLE=False):
        times = [_submit(Client(), branch) for _ in range(7)]
        report("public form: the final submit (POST, email queued)", statistics.median(times[1:]) * 1000, "ms")
        client = Client()
        _submit(client, branch)
        done = _timed(lambda: client.get("/request/done/"), 10)
        report("  its confirmation page with the estimated wait", done * 1000, "ms")
        token = CommunityRequest.objects.order_by("-pk").values_list("status_token", flat=True).first()
        report("  the private status page", _timed(lambda: Client().get(f"/request/status/{token}/"), 10) * 1000, "ms")
