"""Demo sites, staff with their roles, and devices across the lifecycle.

Devices are written with bulk inserts through `reuse.services.lifecycle.devices_create`, which
checks every step of each history against the transition table and chains its custody events as
the services do; their drives and the wipes that let them pass gate 1 follow. 100,000 take about a
minute.
"""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from core.roles import ADMIN, COORDINATOR, DESK, IT
from reuse.models import (
    RESET_KINDS,
    Device,
    DeviceKind,
    DeviceStatus,
    ResetChecklist,
    SanitisationRecord,
    Site,
    StorageMedium,
    StorageType,
    luhn_valid,
)
from reuse.services.devices import allocate_asset_tags
from reuse.services.lifecycle import Step, devices_create
from reuse.services.support import support_table

S = DeviceStatus

DEMO_PASSWORD = "relay-demo-2026"  # noqa: S105 - printed by `make run`; demo databases only

SITES = [
    ("DEPOT", "Civic Centre IT Depot", Site.Kind.DEPOT, "0123456"[:5]),
    ("CENTRAL", "Central Library", Site.Kind.BRANCH, "012345"),
    ("NORTHGATE", "Northgate Library", Site.Kind.BRANCH, "01345"),
    ("RIVERSIDE", "Riverside Library", Site.Kind.BRANCH, "12345"),
    ("MARKET", "Market Street Community Hub", Site.Kind.HUB, "0123"),
]

STAFF = [
    # username, first, last, role, site codes
    ("alice", "Alice", "Okafor", IT, ["DEPOT"]),
    ("bob", "Bob", "Hughes", IT, ["DEPOT"]),
    ("dina", "Dina", "Patel", DESK, ["CENTRAL", "NORTHGATE"]),
    ("ellis", "Ellis", "Morgan", DESK, ["RIVERSIDE"]),
    ("carl", "Carl", "Evans", COORDINATOR, []),
    ("admin", "Ada", "Admin", ADMIN, []),
]

MODELS = [
    # kind, make, model, cpu, ram, storage, storage type, os, os version, tpm
    ("laptop", "Dell", "Latitude 5490", "Intel Core i5-8350U", 8, 256, "ssd", "Windows", "11 Pro", "2.0"),
    ("laptop", "Dell", "Latitude 7400", "Intel Core i7-8665U", 16, 512, "nvme", "Windows", "11 Pro", "2.0"),
    ("laptop", "Dell", "Vostro 5581", "Intel Core i5-8265U", 8, 1000, "hdd", "Ubuntu", "24.04 LTS", "2.0"),
    ("laptop", "Lenovo", "ThinkPad T480", "Intel Core i5-8250U", 8, 256, "nvme", "Windows", "11 Pro", "2.0"),
    (
        "laptop",
        "Lenovo",
        "ThinkPad X1 Carbon Gen 6",
        "Intel Core i7-8550U",
        16,
        512,
        "nvme",
        "Windows",
        "11 Pro",
        "2.0",
    ),
    ("laptop", "HP", "EliteBook 840 G5", "Intel Core i5-8350U", 8, 256, "ssd", "ChromeOS Flex", "126", "2.0"),
    ("laptop", "HP", "ProBook 450 G6", "Intel Core i3-8145U", 4, 128, "ssd", "Ubuntu", "24.04 LTS", "2.0"),
    ("desktop", "Dell", "OptiPlex 7060", "Intel Core i5-8500", 8, 256, "ssd", "Windows", "11 Pro", "2.0"),
    ("desktop", "HP", "EliteDesk 800 G4", "Intel Core i5-8500", 8, 500, "hdd", "Ubuntu", "24.04 LTS", "2.0"),
    ("tablet", "Apple", "iPad (8th generation)", "A12 Bionic", 3, 32, "emmc", "iPadOS", "17.7", ""),
    ("tablet", "Samsung", "Galaxy Tab A8", "Unisoc T618", 3, 32, "emmc", "Android", "14", ""),
    ("phone", "Samsung", "Galaxy A52", "Snapdragon 720G", 4, 128, "emmc", "Android", "14", ""),
    ("phone", "Apple", "iPhone SE (2nd generation)", "A13 Bionic", 3, 64, "emmc", "iOS", "17.7", ""),
    ("hotspot", "Huawei", "E5576", "", None, None, "", "", "", ""),
]

DEPARTMENTS = [
    "Adult Social Care",
    "Children's Services",
    "Finance",
    "Housing",
    "Highways",
    "Libraries",
    "Revenues and Benefits",
    "Planning",
    "Waste Services",
    "Customer Contact Centre",
]

# Where each demo device ends up, with the path it took there, and how many in a hundred do.
# `reserved`, `on_loan` and `lost` are reached by the lending app's demo, through real loans and holds.
HISTORIES = {
    DeviceStatus.RECEIVED: ([DeviceStatus.RECEIVED], 22),
    DeviceStatus.SANITISED: ([DeviceStatus.RECEIVED, DeviceStatus.SANITISED], 10),
    DeviceStatus.READY: ([DeviceStatus.RECEIVED, DeviceStatus.SANITISED, DeviceStatus.READY], 45),
    DeviceStatus.REPAIR: ([DeviceStatus.RECEIVED, DeviceStatus.SANITISED, DeviceStatus.REPAIR], 5),
    DeviceStatus.QUARANTINED: ([DeviceStatus.RECEIVED, DeviceStatus.QUARANTINED], 3),
    DeviceStatus.RECYCLED: ([DeviceStatus.RECEIVED, DeviceStatus.RECYCLED], 8),
    DeviceStatus.DESTROYED: ([DeviceStatus.RECEIVED, DeviceStatus.DESTROYED], 2),
    DeviceStatus.GIFTED: (
        [DeviceStatus.RECEIVED, DeviceStatus.SANITISED, DeviceStatus.READY, DeviceStatus.RESERVED, DeviceStatus.GIFTED],
        5,
    ),
}

REASONS = {
    DeviceStatus.RECEIVED: "Received from council IT",
    DeviceStatus.SANITISED: "All storage wiped and verified",
    DeviceStatus.READY: "Graded and labelled",
    DeviceStatus.REPAIR: "Keyboard needs replacing",
    DeviceStatus.QUARANTINED: "Drive would not wipe: held for destruction decision",
    DeviceStatus.RECYCLED: "Beyond economic repair",
    DeviceStatus.DESTROYED: "Drive failed verification; shredded",
    DeviceStatus.RESERVED: "Allocated to a community group",
    DeviceStatus.GIFTED: "Handed over to a community group",
}

BATCH = 2000


def seed_sites_and_staff(stdout) -> dict:
    sites = {}
    for code, name, kind, days in SITES:
        sites[code], _ = Site.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "opening_days": days, "address": f"{name}, Anytown"}
        )
    users = {}
    for username, first, last, role, site_codes in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@anytown.example",
                "is_staff": role == ADMIN,
                "is_superuser": role == ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        for code in site_codes:
            sites[code].staff.add(user)
        users[username] = user
    return {"sites": sites, "users": users}


def _pick_status(rng: random.Random) -> DeviceStatus:
    statuses = list(HISTORIES)
    return rng.choices(statuses, weights=[HISTORIES[s][1] for s in statuses])[0]


def _steps(path, received_at, *, actor, depot, shelf) -> list[Step]:
    """The demo history `path` as lifecycle steps: a day apart, at the depot until the device is on a shelf."""
    on_shelf = (S.READY, S.RESERVED, S.GIFTED)
    return [
        Step(
            status,
            received_at + datetime.timedelta(days=seq - 1, hours=seq),
            actor,
            shelf if status in on_shelf else depot,
            REASONS[status],
        )
        for seq, status in enumerate(path, start=1)
    ]


def seed_devices(count: int, *, sites: dict, users: dict, rng: random.Random, stdout) -> int:
    """`count` devices across the lifecycle, each with a history `devices_create` checks step by step."""
    depot = sites["DEPOT"]
    branches = [s for s in sites.values() if s.kind == Site.Kind.BRANCH]
    operator, verifier = users["alice"], users["bob"]
    tags = allocate_asset_tags(count)
    now = timezone.now()
    made = 0
    support = support_table()
    # Security updates by model, from the table as intake fills them (a handful of models: look each up once).
    updates = {
        (make, model, os_name, os_version): support.updates_until(
            make=make, model=model, os_name=os_name, os_version=os_version
        )
        for _kind, make, model, _cpu, _ram, _storage, _type, os_name, os_version, _tpm in MODELS
    }
    for start in range(0, count, BATCH):
        histories = []
        for tag in tags[start : start + BATCH]:
            kind, make, model, cpu, ram, storage, stype, os_name, os_version, tpm = rng.choice(MODELS)
            status = _pick_status(rng)
            path = HISTORIES[status][0]
            received_at = now - datetime.timedelta(days=rng.randint(len(path) * 2, 400), minutes=rng.randint(0, 600))
            on_shelf = status == S.READY and rng.random() < 0.7
            # The tag's number makes serials and IMEIs unique however many times the demo is loaded.
            number = int(tag.rsplit("-", 1)[1])
            serial = f"{make[:2].upper()}{rng.randrange(16**6):06X}{number:07d}"
            device = Device(
                asset_tag=tag,
                kind=kind,
                make=make,
                model=model,
                serial=serial,
                imei=_demo_imei(rng, number) if kind == DeviceKind.PHONE else "",
                council_asset_number=f"ABC{rng.randint(100000, 999999)}",
                cpu=cpu,
                ram_gb=ram,
                storage_gb=storage,
                storage_type=stype,
                os_name=os_name,
                os_version=os_version,
                updates_until=updates[(make, model, os_name, os_version)],
                tpm_version=tpm,
                battery_health_pct=rng.randint(55, 100) if kind != DeviceKind.DESKTOP else None,
                webcam=kind in (DeviceKind.LAPTOP, DeviceKind.TABLET, DeviceKind.PHONE),
                has_charger=rng.random() < 0.85,
                has_case=kind in (DeviceKind.TABLET, DeviceKind.PHONE) and rng.random() < 0.5,
                grade=rng.choice("AABBBC") if S.SANITISED in path else "",
                source_department=rng.choice(DEPARTMENTS),
                lot=f"LOT-{received_at:%Y%m}",
                site=rng.choice(branches) if on_shelf else depot,
                received_at=received_at,
                created_by=operator,
            )
            histories.append((device, _steps(path, received_at, actor=operator, depot=depot, shelf=device.site)))
        with transaction.atomic():
            devices = devices_create(histories, batch_size=500)
            _write_evidence(devices, _received_times(histories), operator=operator, verifier=verifier, rng=rng)
        made += len(histories)
        stdout.write(f"  {made} devices")
    return made


def _received_times(histories) -> list:
    return [steps[0].at for _device, steps in histories]


def _write_evidence(devices, received_times, *, operator, verifier, rng):
    """Each device's drives, and for those its history took through `sanitised`, the wipes that let it."""
    media = [
        StorageMedium(
            device=device,
            kind=device.storage_type or StorageType.SSD,
            make="Seagate" if device.storage_type == StorageType.HDD else "Samsung",
            model="PM981" if device.storage_type == StorageType.NVME else "860 EVO",
            serial=f"S{device.serial[2:]}",
            capacity_gb=device.storage_gb,
        )
        for device in devices
        if device.kind not in RESET_KINDS
    ]
    StorageMedium.objects.bulk_create(media, batch_size=500)
    by_device = {m.device_id: m for m in media}
    records, checklists = [], []
    R = SanitisationRecord
    for device, received_at in zip(devices, received_times, strict=True):
        if device.sanitised_cycle is None:
            continue
        started = received_at + datetime.timedelta(hours=20)
        if device.kind in RESET_KINDS:
            checklists.append(
                ResetChecklist(
                    device=device,
                    cycle=1,
                    **ResetChecklist.ALL_TICKED,
                    operator=operator,
                    verified_by=verifier,
                    completed_at=started,
                )
            )
            continue
        nvme = device.storage_type == StorageType.NVME
        records.append(
            R(
                device=device,
                medium=by_device[device.pk],
                cycle=1,
                category=R.Category.PURGE if nvme else R.Category.CLEAR,
                technique=R.Technique.SANITIZE if nvme else R.Technique.OVERWRITE,
                tool="nwipe",
                tool_version="0.34",
                rounds=1,
                started_at=started,
                ended_at=started + datetime.timedelta(minutes=rng.randint(20, 240)),
                operator=operator,
                result=R.Result.PASSED,
                verification_method="Last pass verified by reading back",
                verification_result=R.Result.PASSED,
                verified_by=verifier,
                verified_at=started + datetime.timedelta(hours=5),
                standard=R.Standard.NIST_R1,
            )
        )
    SanitisationRecord.objects.bulk_create(records, batch_size=500)
    ResetChecklist.objects.bulk_create(checklists, batch_size=500)


def _demo_imei(rng: random.Random, number: int) -> str:
    body = f"35{rng.randrange(10**5):05d}{number:07d}"
    return next(body + digit for digit in "0123456789" if luhn_valid(body + digit))
