"""Demo data for the reuse app: sites, staff with their roles, and devices across the lifecycle.

`seed_demo` calls `seed()` here first, then each other app's `demo.seed()`. Devices are written with
bulk inserts (with their media, wipes and hash-chained custody events) so 100,000 take seconds.
"""

import datetime
import random

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from reuse.labels.demo import seed as seed_labels
from reuse.models import (
    CustodyEvent,
    Device,
    DeviceStatus,
    ResetChecklist,
    SanitisationRecord,
    Site,
    StorageMedium,
    luhn_valid,
)
from reuse.roles import ADMIN, COORDINATOR, DESK, IT
from reuse.services.lifecycle import allocate_asset_tags

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
    ("laptop", "Lenovo", "ThinkPad X1 Carbon Gen 6", "Intel Core i7-8550U", 16, 512, "nvme", "Windows", "11 Pro",
     "2.0"),
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

DEPARTMENTS = ["Adult Social Care", "Children's Services", "Finance", "Housing", "Highways", "Libraries",
               "Revenues and Benefits", "Planning", "Waste Services", "Customer Contact Centre"]

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
    DeviceStatus.GIFTED: ([DeviceStatus.RECEIVED, DeviceStatus.SANITISED, DeviceStatus.READY,
                           DeviceStatus.RESERVED, DeviceStatus.GIFTED], 5),
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
            code=code, defaults={"name": name, "kind": kind, "opening_days": days,
                                 "address": f"{name}, Anytown"})
    users = {}
    for username, first, last, role, site_codes in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@anytown.example",
                      "is_staff": role == ADMIN, "is_superuser": role == ADMIN},
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


def seed_devices(count: int, *, sites: dict, users: dict, rng: random.Random, stdout) -> int:
    depot = sites["DEPOT"]
    branches = [s for s in sites.values() if s.kind == Site.Kind.BRANCH]
    operator, verifier = users["alice"], users["bob"]
    tags = allocate_asset_tags(count)
    now = timezone.now()
    made = 0
    for start in range(0, count, BATCH):
        devices, histories = [], []
        for tag in tags[start:start + BATCH]:
            kind, make, model, cpu, ram, storage, stype, os_name, os_version, tpm = rng.choice(MODELS)
            status = _pick_status(rng)
            path = HISTORIES[status][0]
            received_at = now - datetime.timedelta(days=rng.randint(len(path) * 2, 400), minutes=rng.randint(0, 600))
            wiped = DeviceStatus.SANITISED in path
            on_shelf = status in (DeviceStatus.READY,) and rng.random() < 0.7
            # The tag's number makes serials and IMEIs unique however many times the demo is loaded.
            number = int(tag.rsplit("-", 1)[1])
            serial = f"{make[:2].upper()}{rng.randrange(16**6):06X}{number:07d}"
            devices.append(Device(
                asset_tag=tag, kind=kind, make=make, model=model, serial=serial,
                imei=_demo_imei(rng, number) if kind == "phone" else "",
                council_asset_number=f"ABC{rng.randint(100000, 999999)}",
                cpu=cpu, ram_gb=ram, storage_gb=storage, storage_type=stype, os_name=os_name, os_version=os_version,
                tpm_version=tpm, battery_health_pct=rng.randint(55, 100) if kind != "desktop" else None,
                webcam=kind in ("laptop", "tablet", "phone"), has_charger=rng.random() < 0.85,
                has_case=kind in ("tablet", "phone") and rng.random() < 0.5,
                grade=rng.choice("AABBBC") if wiped else "", source_department=rng.choice(DEPARTMENTS),
                lot=f"LOT-{received_at:%Y%m}", site=rng.choice(branches) if on_shelf else depot,
                status=status, status_changed_at=received_at + datetime.timedelta(days=len(path)),
                cycle=1, sanitised_cycle=1 if wiped and status != DeviceStatus.RECYCLED else None,
                received_at=received_at, created_by=operator,
            ))
            histories.append((path, received_at))
        with transaction.atomic():
            Device.objects.bulk_create(devices, batch_size=500)
            _write_history(devices, histories, operator=operator, verifier=verifier, depot=depot, rng=rng)
        made += len(devices)
        stdout.write(f"  {made} devices")
    return made


def _write_history(devices, histories, *, operator, verifier, depot, rng):
    media, events = [], []
    for device, (path, received_at) in zip(devices, histories, strict=True):
        if device.kind not in ("phone", "tablet", "hotspot"):
            media.append(StorageMedium(device=device, kind=device.storage_type or "ssd",
                                       make="Samsung" if device.storage_type != "hdd" else "Seagate",
                                       model="PM981" if device.storage_type == "nvme" else "860 EVO",
                                       serial=f"S{device.serial[2:]}", capacity_gb=device.storage_gb))
        prev_hash, prev = "", ""
        for seq, status in enumerate(path, start=1):
            at = received_at + datetime.timedelta(days=seq - 1, hours=seq)
            event = CustodyEvent(device=device, seq=seq, at=at, actor=operator,
                                 site=device.site if status in (DeviceStatus.READY, DeviceStatus.RESERVED,
                                                                DeviceStatus.GIFTED) else depot,
                                 from_status=prev, to_status=status, reason=REASONS[status], prev_hash=prev_hash)
            event.hash = event.compute_hash()
            events.append(event)
            prev_hash, prev = event.hash, status
    StorageMedium.objects.bulk_create(media, batch_size=500)
    CustodyEvent.objects.bulk_create(events, batch_size=500)
    records, checklists = [], []
    by_device = {m.device_id: m for m in media}
    for device, (path, received_at) in zip(devices, histories, strict=True):
        if DeviceStatus.SANITISED not in path:
            continue
        started = received_at + datetime.timedelta(hours=20)
        if device.kind in ("phone", "tablet", "hotspot"):
            checklists.append(ResetChecklist(
                device=device, cycle=1, encryption_on=True, factory_reset=True, activation_lock_removed=True,
                sim_removed=True, sd_removed=True, operator=operator, verified_by=verifier,
                completed_at=started))
            continue
        nvme = device.storage_type == "nvme"
        records.append(SanitisationRecord(
            device=device, medium=by_device[device.pk], cycle=1,
            category="purge" if nvme else "clear", technique="sanitize" if nvme else "overwrite",
            tool="nwipe", tool_version="0.34", rounds=1, started_at=started,
            ended_at=started + datetime.timedelta(minutes=rng.randint(20, 240)), operator=operator,
            result="passed", verification_method="Last pass verified by reading back", verification_result="passed",
            verified_by=verifier, verified_at=started + datetime.timedelta(hours=5),
            standard="nist-800-88-r1"))
    SanitisationRecord.objects.bulk_create(records, batch_size=500)
    ResetChecklist.objects.bulk_create(checklists, batch_size=500)


def _demo_imei(rng: random.Random, number: int) -> str:
    body = f"35{rng.randrange(10**5):05d}{number:07d}"
    return next(body + digit for digit in "0123456789" if luhn_valid(body + digit))


def seed(*, options: dict, stdout, context: dict) -> None:
    rng = context["rng"]
    context.update(seed_sites_and_staff(stdout))
    stdout.write(f"Sites and staff ready; writing {options['devices']} devices")
    seed_devices(options["devices"], sites=context["sites"], users=context["users"], rng=rng, stdout=stdout)
    from reuse import demo_sanitisation

    demo_sanitisation.seed(options=options, stdout=stdout, context=context)
    seed_labels(sites=context["sites"], users=context["users"], stdout=stdout)
