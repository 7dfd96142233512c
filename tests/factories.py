"""Test builders: people, sites, devices in any state, wipe evidence, borrowers and signatures.

Fixtures in the conftest files hand these out; tests that need a builder directly import it from here
(never from a conftest). Builders that go through a service (devices are registered, not inserted)
say so; `force_status` is the one that does not, for tests that start mid-lifecycle.
"""

import datetime
import io
import re

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from PIL import Image, ImageDraw

from lending.models import Borrower
from reuse.models import WIPED_STATUSES, Device, ResetChecklist, SanitisationRecord, Site, StorageMedium
from reuse.services.devices import allocate_asset_tags
from reuse.services.lifecycle import Step, devices_create, received

PASSWORD = "correct-horse-battery"
R = SanitisationRecord
MODELS = [
    ("laptop", "Dell", "Latitude 5490"),
    ("tablet", "Apple", "iPad (8th generation)"),
    ("phone", "Samsung", "Galaxy A52"),
    ("laptop", "Lenovo", "ThinkPad X1 Carbon Gen 6"),
]


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SITE{n}")
    name = factory.LazyAttribute(lambda site: f"{site.code.title()} Library")
    kind = Site.Kind.BRANCH
    opening_days = "012345"


class BorrowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borrower

    card_number = factory.Sequence(lambda n: f"2041700000{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Rosa Borrower{n + 1}")
    postcode = "AN1 2AB"


def make_user(username: str, role: str | None, sites=()) -> User:
    """A member of staff holding `role` (one of core.roles), working at `sites`."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), email=f"{username}@example.org"
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for site in sites:
        site.staff.add(user)
    return user


def received_devices(count: int, *, site: Site, actor, **fields) -> list[Device]:
    """`count` devices just received at `site`, written in bulk with their first custody events."""
    now = timezone.now()
    history = received(at=now, actor=actor, site=site, reason="Received from council IT")
    devices = []
    for number, tag in enumerate(allocate_asset_tags(count)):
        kind, make, model = MODELS[number % len(MODELS)]
        values = {"kind": kind, "make": make, "model": model, **fields}
        devices.append((Device(asset_tag=tag, site=site, created_by=actor, **values), history))
    return devices_create(devices)


def device_with_history(*, kind, received_at, path, actor, site, gap_days=1, where=None) -> Device:
    """One device received at `received_at` that then went through `path` (statuses), one every `gap_days`
    days, each at `site` unless `where` names another for that status. Written in bulk, as intake and the
    demo write histories (checked against the transitions, chained, no gates)."""
    steps = [Step("received", received_at, actor, site, "Received from council IT")]
    moment = received_at
    for status in path:
        moment += datetime.timedelta(days=gap_days)
        steps.append(Step(status, moment, actor, (where or {}).get(status, site), ""))
    device = Device(
        asset_tag=allocate_asset_tags(1)[0],
        kind=kind,
        make="Dell",
        model="Latitude",
        site=site,
        received_at=received_at,
    )
    return devices_create([(device, steps)])[0]


def record_wipe(
    device, medium, *, operator, verifier, result=R.Result.PASSED, verification=R.Result.PASSED, cycle=None
) -> SanitisationRecord:
    """A wipe record of `medium`, verified by `verifier` (None: awaiting verification)."""
    start = timezone.now() - datetime.timedelta(hours=1)
    return SanitisationRecord.objects.create(
        device=device,
        medium=medium,
        cycle=cycle or device.cycle,
        category=R.Category.CLEAR,
        technique=R.Technique.OVERWRITE,
        tool="nwipe",
        tool_version="0.34",
        rounds=1,
        started_at=start,
        ended_at=start + datetime.timedelta(minutes=30),
        operator=operator,
        result=result,
        verification_method="Verify last pass",
        verification_result=verification,
        verified_by=verifier,
        verified_at=timezone.now(),
    )


def wipe_all(device, *, operator, verifier) -> None:
    """Give every medium (or a phone's checklist) a passing, verified record for the current cycle."""
    if device.needs_reset_checklist:
        ResetChecklist.objects.create(
            device=device,
            cycle=device.cycle,
            **ResetChecklist.ALL_TICKED,
            operator=operator,
            verified_by=verifier,
        )
    for medium in device.media.filter(removed_at__isnull=True):
        record_wipe(device, medium, operator=operator, verifier=verifier)


def add_drives(device, count: int = 1) -> list[StorageMedium]:
    return [
        StorageMedium.objects.create(
            device=device,
            kind="ssd",
            make="Samsung",
            model="860 EVO",
            serial=f"{device.asset_tag}-D{n}",
            capacity_gb=256,
        )
        for n in range(count)
    ]


def force_status(device, status) -> None:
    """Put a device straight into `status`, as if its history had happened (no custody events: tests of
    one transition from a given status only)."""
    wiped = status in WIPED_STATUSES
    Device.objects.filter(pk=device.pk).update(status=status, sanitised_cycle=device.cycle if wiped else None)
    device.refresh_from_db()


def signature_bytes() -> bytes:
    """A drawn signature as the desk's canvas sends it: a PNG with a transparent background."""
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(40, 150), (120, 50), (200, 150), (280, 50), (360, 150)], fill="black", width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def form_token(page: str, action: str = "") -> str:
    """The one-time token of the first form on `page`, or of the form that posts to `action`."""
    start = page.index(f'action="{action}"') if action else 0
    return re.search(r'name="token" value="([0-9a-f-]+)"', page[start:]).group(1)
