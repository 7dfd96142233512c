"""Demo data for lending: policies, terms, borrowers, SIMs and vouchers, loans (some overdue, some back)
and waiting lists. Loans are made through the real services, on devices that are ready at a branch, so
the custody record and device statuses are exactly what the desk would have produced.
"""

import contextlib
import datetime
import io
import random
import uuid

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from core.errors import DomainError
from lending.models import LENT_KINDS, AgreementVersion, Borrower, ConnectivityItem, Hold, Loan, LoanPolicy
from lending.services.holds import hold_offer_next, hold_place
from lending.services.loans import loan_issue, loan_mark_lost, loan_renew, loan_return
from reuse.models import Device, DeviceKind, Site
from reuse.services.lifecycle import device_move

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dariusz",
    "Eleanor",
    "Farhan",
    "Grace",
    "Harry",
    "Ifeoma",
    "Jack",
    "Kasia",
    "Liam",
    "Maryam",
    "Noah",
    "Olivia",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tilly",
    "Usman",
    "Violet",
    "Wei",
    "Yusuf",
    "Zara",
    "Margaret",
    "Derek",
    "Joan",
    "Stanley",
    "Brenda",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morris",
    "Nowak",
    "O'Brien",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Walsh",
    "Williams",
    "Wright",
]
SUPPORT = [
    "",
    "",
    "",
    "",
    "Large print, please.",
    "Needs help setting up email.",
    "Hard of hearing: face them when speaking.",
    "First computer: book a digital-help session.",
    "Prefers a phone call to email.",
]
POLICIES = [
    # kind, branch code, days, renewals, max
    ("laptop", None, 28, 2, 1),
    ("tablet", None, 28, 2, 1),
    ("phone", None, 14, 1, 1),
    ("hotspot", None, 28, 2, 1),
    ("laptop", "NORTHGATE", 21, 1, 1),
]


def signature_png(rng: random.Random, name: str) -> bytes:
    """A plausible scribble, so demo agreements show a drawn signature."""
    image = Image.new("RGB", (600, 200), "white")
    draw = ImageDraw.Draw(image)
    x, y = 40, 120
    points = [(x, y)]
    for _ in range(len(name) * 3):
        x += rng.randint(8, 18)
        y = max(40, min(170, y + rng.randint(-35, 35)))
        points.append((x, y))
    draw.line(points, fill="black", width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def seed_policies_and_terms(sites: dict) -> None:
    for kind, code, days, renewals, most in POLICIES:
        LoanPolicy.objects.get_or_create(
            device_kind=kind,
            site=sites[code] if code else None,
            defaults={"loan_days": days, "renewals_allowed": renewals, "max_devices": most},
        )
    latest = AgreementVersion.current()
    if latest and latest.number == 1:
        AgreementVersion.objects.create(
            title=latest.title,
            body=latest.body
            + (
                "\n\nIf a SIM, data voucher or hotspot is lent with the device, it is for getting online only. "
                "Its allowance ends on the date shown above; ask at the desk for a new one."
            ),
        )


def seed_borrowers(count: int, rng: random.Random, actor) -> list[Borrower]:
    taken = set(Borrower.objects.values_list("card_number", flat=True))
    borrowers: list[Borrower] = []
    while len(borrowers) < count:
        card = "2" + "0417" + f"{rng.randrange(10**9):09d}"
        if card in taken:
            continue
        taken.add(card)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = (
            f"{first}.{last}".lower().replace("'", "") + f"{rng.randint(1, 99)}@example.com"
            if rng.random() < 0.6
            else ""
        )
        phone = f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.75 or not email else ""
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = f"AN{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        borrowers.append(
            Borrower(
                card_number=card,
                name=f"{first} {last}",
                email=email,
                phone=phone,
                postcode=postcode,
                support_needs=rng.choice(SUPPORT),
                created_by=actor,
            )
        )
    return Borrower.objects.bulk_create(borrowers, batch_size=500)


def seed_connectivity(branches: list[Site], rng: random.Random) -> None:
    C = ConnectivityItem.Kind
    today = timezone.localdate()
    items = []
    for branch in branches:
        for n in range(6):
            expires = today + datetime.timedelta(days=rng.choice([9, 60, 120, 180]) + n)
            items.append(
                ConnectivityItem(
                    kind=C.SIM,
                    identifier=f"8944{rng.randrange(10**15):015d}",
                    provider="Vodafone",
                    allowance="20 GB a month for 6 months",
                    site=branch,
                    expires_on=expires,
                )
            )
        for _ in range(3):
            items.append(
                ConnectivityItem(
                    kind=C.VOUCHER,
                    identifier=f"DV-{rng.randrange(16**8):08X}",
                    provider="National Databank",
                    allowance="15 GB",
                    site=branch,
                    expires_on=today + datetime.timedelta(days=rng.randint(5, 90)),
                )
            )
        items.append(
            ConnectivityItem(
                kind=C.HOTSPOT,
                identifier=f"HS-{branch.code}-{rng.randint(100, 999)}",
                provider="Three",
                allowance="Unlimited data",
                site=branch,
            )
        )
    ConnectivityItem.objects.bulk_create(items, ignore_conflicts=True)  # a second demo load repeats identifiers


def seed_loans(borrowers, branches, users, rng: random.Random, stdout) -> int:
    staff = users.get("dina") or next(iter(users.values()))
    # About a quarter of borrowers are kept back for the waiting lists.
    pool = list(borrowers)[: max(1, len(borrowers) * 3 // 4)]
    rng.shuffle(pool)
    made = 0
    today = timezone.localdate()
    for branch in branches:
        devices = list(Device.objects.lendable().filter(site=branch).order_by("asset_tag"))
        rng.shuffle(devices)
        # Tablets, phones and hotspots are scarce and all out; a third of the laptops stay on the shelf.
        laptops = [d for d in devices if d.kind == DeviceKind.LAPTOP]
        scarce = (DeviceKind.TABLET, DeviceKind.PHONE, DeviceKind.HOTSPOT)
        lend = [d for d in devices if d.kind in scarce] + laptops[len(laptops) // 3 :]
        for device in lend:
            if not pool:
                break
            borrower = pool.pop()
            S = Loan.Signature
            method = rng.choice([S.DRAWN, S.DRAWN, S.PAPER, S.READ_ALOUD])
            sims = []
            if device.kind in (DeviceKind.LAPTOP, DeviceKind.TABLET) and rng.random() < 0.3:
                sims = list(
                    ConnectivityItem.objects.lendable_at(branch).filter(
                        kind=ConnectivityItem.Kind.SIM, expires_on__gt=today + datetime.timedelta(days=30)
                    )[:1]
                )
            try:
                loan = loan_issue(
                    device=device,
                    borrower=borrower,
                    site=branch,
                    actor=staff,
                    idempotency_key=uuid.uuid4(),
                    signature_method=method,
                    signature_png=signature_png(rng, borrower.name) if method == S.DRAWN else None,
                    connectivity=sims,
                )
            except DomainError:
                continue
            made += 1
            _age(loan, rng, today, staff, branch)
    stdout.write(f"  {made} loans")
    return made


def _age(loan: Loan, rng: random.Random, today, staff, branch) -> None:
    """Spread loans over the last few months: some due soon, some overdue, some back or lost."""
    roll = rng.random()
    days_ago = rng.randint(1, 26) if roll < 0.45 else rng.randint(29, 90)
    issued = timezone.now() - datetime.timedelta(days=days_ago, hours=rng.randint(0, 6))
    due = branch.next_open_day(issued.date() + datetime.timedelta(days=loan.loan_days))
    if roll < 0.05:
        due = today
    Loan.objects.filter(pk=loan.pk).update(issued_at=issued, due_date=due)
    loan.refresh_from_db()
    if 0.55 < roll < 0.8:
        loan_return(
            loan=loan,
            actor=staff,
            site=branch,
            condition_notes=rng.choice(["", "", "Light scratches."]),
            damaged=rng.random() < 0.1,
        )
    elif 0.8 <= roll < 0.83:
        loan_mark_lost(loan=loan, actor=staff, site=branch, notes="Reported stolen from a car.")
    elif 0.83 <= roll < 0.9 and due < today:
        with contextlib.suppress(DomainError):  # someone waits for that type there: no renewal, as at the desk
            loan_renew(loan=loan, actor=staff)


def seed_holds(borrowers, branches, users, rng: random.Random) -> int:
    staff = users.get("dina") or next(iter(users.values()))
    free = [b for b in borrowers if not b.loans.exists()]
    rng.shuffle(free)
    placed = 0
    for branch in branches:
        for kind in LENT_KINDS:
            if Device.objects.lendable().filter(site=branch, kind=kind).exists():
                continue  # nobody waits while one is on the shelf
            for _ in range(rng.randint(1, 3)):
                if not free:
                    return placed
                try:
                    hold_place(borrower=free.pop(), site=branch, device_kind=kind, actor=staff)
                    placed += 1
                except DomainError:
                    continue
    # Show the waiting list working: a ready device from the depot arrives at a branch where someone waits.
    for hold in Hold.objects.filter(status=Hold.Status.WAITING).select_related("site")[:2]:
        device = Device.objects.lendable().filter(kind=hold.device_kind, site__kind=Site.Kind.DEPOT).first()
        if device:
            with transaction.atomic():
                device_move(
                    device=device, site=hold.site, actor=staff, reason="Sent to the branch for its waiting list"
                )
            hold_offer_next(device_id=device.pk)
    return placed


def seed(*, options: dict, stdout, context: dict) -> None:
    rng, sites, users = context["rng"], context["sites"], context["users"]
    branches = [s for s in sites.values() if s.kind == Site.Kind.BRANCH]
    seed_policies_and_terms(sites)
    if not options.get("borrowers"):
        return
    borrowers = seed_borrowers(options["borrowers"], rng, users.get("dina"))
    seed_connectivity(branches, rng)
    stdout.write(f"Lending: {len(borrowers)} borrowers")
    seed_loans(borrowers, branches, users, rng, stdout)
    placed = seed_holds(borrowers, branches, users, rng)
    stdout.write(f"  {placed} waiting-list holds")
