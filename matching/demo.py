"""Demo data for matching (`seed_demo --requests N`): community organisations and requests in every
state, made through the services in the order a real request lives them: submitted, verified and
approved (or declined, withdrawn), matched by one real run, reviewed, booked, handed over (as gifts and
long-term loans, signed on screen, on paper or read aloud), followed up and closed.

Devices are whatever the reuse and lending demos left ready, so the run's shortage report is real too.
One run over 100,000 devices takes a few seconds.
"""

import datetime
import io
import random
import uuid

from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from core.errors import DomainError
from matching.models import CommunityRequest, FollowUp, Organisation
from matching.services.allocations import proposals_decide
from matching.services.followups import follow_up_answer
from matching.services.handovers import collection_book, collection_days, handover_perform
from matching.services.requests import (
    LineDraft,
    RequestDraft,
    organisation_verify,
    request_approve,
    request_close,
    request_decline,
    request_note,
    request_submit,
    request_withdraw,
)
from matching.services.runs import match_run
from reuse.models import Site

ORGANISATIONS = [
    ("Northside Food Bank", "charity", "1098765", ""),
    ("Riverside Refugee Welcome", "charity", "1187654", ""),
    ("Anytown Care Leavers' Forum", "public", "", ""),
    ("Market Street Digital Champions", "community", "", ""),
    ("Bridge Back to Work CIC", "cic", "", "12345678"),
    ("St Anne's Lunch Club", "faith", "", ""),
    ("Anytown College Hardship Fund", "education", "", ""),
    ("Greenway Housing Association", "housing", "", "IP031234"),
]
FIRST = ["Priya", "Tom", "Amina", "Gareth", "Sofia", "Kwame", "Hannah", "Jamal", "Ruth", "Dev"]
LAST = ["Shah", "Reed", "Okoro", "Pugh", "Costa", "Mensah", "Liddell", "Ali", "Owen", "Patel"]
SERVED = [
    ["digitally_excluded", "older_people"],
    ["refugees"],
    ["care_leavers"],
    ["digitally_excluded"],
    ["jobseekers"],
    ["older_people", "disabled"],
    ["students"],
    ["digitally_excluded", "jobseekers"],
]
AREAS = ["AN1", "AN2", "AN3", "AN4", "AN5", "Riverside ward", "AN7", "ZZ9"]
# The life each request lives, in turn: every state appears once `--requests` reaches the list's length.
STATES = [
    "submitted",
    "verified",
    "declined",
    "waiting",
    "allocated",
    "booked",
    "gifted",
    "lent",
    "withdrawn",
    "followed_up",
    "closed",
    "waiting",
    "submitted",
    "allocated",
    "gifted",
]
REASONS = {
    "declined": "We can only supply groups working with people in the borough; please contact your own council.",
    "withdrawn": "The group found devices elsewhere.",
    "closed": "The group needs no more devices this term.",
}


def _signature(rng: random.Random) -> bytes:
    image = Image.new("RGB", (600, 200), "white")
    points, x, y = [], 40, 120
    for _ in range(24):
        x, y = x + rng.randint(10, 20), max(40, min(170, y + rng.randint(-40, 40)))
        points.append((x, y))
    ImageDraw.Draw(image).line(points, fill="black", width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _organisation(n: int) -> tuple[str, str, str, str]:
    if n < len(ORGANISATIONS):
        return ORGANISATIONS[n]
    return (f"Anytown Community Group {n + 1}", "community", "", "")


def _draft(n: int, rng: random.Random, branches: list[Site], now: datetime.datetime) -> RequestDraft:
    # Three requests an organisation at most (the default cap), so the n-th request goes to group n // 2.
    name, kind, charity, company = _organisation(n // 2)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    kinds = rng.choice([["laptop"], ["laptop", "tablet"], ["tablet"], ["phone"], ["laptop", "phone"]])
    lines = [
        LineDraft(
            kind=k,
            quantity=rng.choice([1, 2, 2, 3, 4, 6]),
            min_ram_gb=rng.choice([0, 0, 4, 8]) if k == "laptop" else 0,
            webcam=rng.random() < 0.4,
            updates_until=datetime.date(2027, 12, 31) if rng.random() < 0.25 else None,
            connectivity=rng.choice(["", "", "sim", "voucher"]),
            setup_help=rng.random() < 0.5,
            accessibility=rng.choice(["", "", "Large screen, please", "Screen reader friendly"]),
        )
        for k in kinds
    ]
    return RequestDraft(
        organisation_name=name,
        organisation_kind=kind,
        charity_number=charity,
        company_number=company,
        contact_name=f"{first} {last}",
        contact_email=f"{first}.{last}{n}@example.org".lower(),
        contact_phone=f"07700 900{rng.randint(0, 999):03d}",
        served_groups=SERVED[n % len(SERVED)],
        people_count=rng.randint(3, 60),
        area=AREAS[n % len(AREAS)],
        client_reference=f"{rng.randint(1, 99)} AN{rng.randint(1, 9)} {rng.randint(1, 9)}AB"
        if rng.random() < 0.3
        else "",
        collection_site_id=rng.choice(branches).pk,
        needed_by=timezone.localdate(now) + datetime.timedelta(days=rng.randint(30, 120)),
        lines=lines,
    )


def seed(*, options: dict, stdout, context: dict) -> None:
    count = options.get("requests") or 0
    if not count:
        return
    rng, users = context["rng"], context["users"]
    carl, dina = users.get("carl"), users.get("dina")
    branches = list(Site.objects.active().branches().order_by("code"))
    now = timezone.now()
    made: list[tuple[CommunityRequest, str]] = []
    for n in range(count):
        state = STATES[n % len(STATES)]
        submitted = now - datetime.timedelta(days=rng.randint(20, 90), hours=rng.randint(0, 8))
        try:
            req = request_submit(draft=_draft(n, rng, branches, now), now=submitted)
        except DomainError:
            continue  # demo data loaded again: that group has as many requests open as it may
        made.append((req, state))
        if state == "submitted":
            continue
        organisation_verify(organisation=req.organisation, actor=carl, note="Checked on the register", request=req)
        if state == "verified":
            request_note(request=req, actor=carl, text="Rang the group to confirm the numbers.")
            continue
        if state == "declined":
            request_decline(request=req, actor=carl, reason=REASONS["declined"])
            continue
        tier = 1 if state in ("gifted", "followed_up") else rng.choice([1, 2, 2, 3])
        request_approve(request=req, actor=carl, tier=tier, in_area=req.in_area if req.in_area is not None else True)
        # Waiting times differ: approved a few days after each was submitted.
        CommunityRequest.objects.filter(pk=req.pk).update(approved_at=F("submitted_at") + datetime.timedelta(days=3))
        if state == "withdrawn":
            request_withdraw(request=req, reason=REASONS["withdrawn"])
    run = match_run(actor=carl, commit=True)
    stdout.write(f"Matching: {count} requests, one run proposing {run.proposed} devices")
    _review(made, run, carl=carl, dina=dina, rng=rng)


def _review(made, run, *, carl, dina, rng) -> None:
    """Carry each request as far as its state says, with the run's proposals."""
    for req, state in made:
        if state not in ("allocated", "booked", "gifted", "lent", "followed_up", "closed"):
            continue
        pending = run.proposals.pending().filter(request=req)
        if pending.exists():
            proposals_decide(request=req, actor=carl, accept=pending)
        if state == "closed":
            request_close(request=req, actor=carl, reason=REASONS["closed"])
            continue
        if state == "allocated" or not req.allocations.awaiting_handover().exists():
            continue
        days = collection_days(req)
        if days:
            collection_book(request=req, date=days[0], part=rng.choice(["morning", "afternoon"]))
        if state == "booked":
            continue
        method = rng.choice(["drawn", "paper", "read_aloud"])
        try:
            handover = handover_perform(
                request=req,
                site=req.collection_site,
                actor=dina if req.collection_site.staff.filter(pk=dina.pk).exists() else carl,
                kind="loan" if state == "lent" else "gift",
                signed_by_name=req.contact_name,
                signed_by_role="Volunteer coordinator",
                signature_method=method,
                signature_png=_signature(rng) if method == "drawn" else None,
                idempotency_key=uuid.uuid4(),
                connectivity=["Data voucher DV-" + f"{rng.randrange(16**8):08X}, 15 GB"] if rng.random() < 0.4 else [],
            )
        except DomainError:
            continue
        if state == "followed_up":
            follow_up = handover.follow_ups.order_by("days").first()
            assert follow_up is not None
            FollowUp.objects.filter(pk=follow_up.pk).update(sent_at=timezone.now())
            handed = handover.allocations.count()
            follow_up_answer(
                follow_up=follow_up,
                people_reached=rng.randint(handed, handed * 4),
                devices_in_use=handed,
                devices_unneeded=0,
            )


def loaded() -> bool:
    return Organisation.objects.exists()
