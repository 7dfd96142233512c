"""Shared fixtures: personas (like healthchecks' alice, bob and charlie) and small builders."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils import timezone

from reuse.models import ResetChecklist, SanitisationRecord, Site, StorageMedium
from reuse.roles import ADMIN, COORDINATOR, DESK, IT
from reuse.services.lifecycle import device_register, device_transition

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_and_synchronous(settings):
    settings.TASKS_SYNC = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def depot(db):
    return Site.objects.create(code="DEPOT", name="Civic Centre IT Depot", kind=Site.Kind.DEPOT,
                               opening_days="01234")


@pytest.fixture
def branch(db):
    return Site.objects.create(code="CENTRAL", name="Central Library", kind=Site.Kind.BRANCH,
                               opening_days="012345")


@pytest.fixture
def other_branch(db):
    return Site.objects.create(code="NORTHGATE", name="Northgate Library", kind=Site.Kind.BRANCH,
                               opening_days="01345")


def make_user(username: str, role: str | None, sites=()):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title(),
                                    email=f"{username}@example.org")
    if role:
        user.groups.add(Group.objects.get(name=role))
    for site in sites:
        site.staff.add(user)
    return user


@pytest.fixture
def alice(depot):
    """IT technician at the depot."""
    return make_user("alice", IT, [depot])


@pytest.fixture
def bob(depot):
    """A second IT technician: verifies alice's wipes."""
    return make_user("bob", IT, [depot])


@pytest.fixture
def dina(branch):
    """Library desk staff at Central Library."""
    return make_user("dina", DESK, [branch])


@pytest.fixture
def carl(db):
    """Digital inclusion coordinator."""
    return make_user("carl", COORDINATOR)


@pytest.fixture
def ada(db):
    """Administrator."""
    user = make_user("ada", ADMIN)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def nobody(db):
    """Signed in, but with no role."""
    return make_user("nobody", None)


@pytest.fixture
def make_device(depot, alice):
    def build(kind="laptop", media=1, site=None, **fields):
        fields.setdefault("make", "Dell")
        fields.setdefault("model", "Latitude 5490")
        device = device_register(actor=alice, site=site or depot, kind=kind, **fields)
        for n in range(media):
            StorageMedium.objects.create(device=device, kind="ssd", make="Samsung", model="860 EVO",
                                         serial=f"{device.asset_tag}-D{n}", capacity_gb=256)
        return device

    return build


def record_wipe(device, medium, *, operator, verifier, result="passed", verification="passed", cycle=None):
    start = timezone.now() - datetime.timedelta(hours=1)
    return SanitisationRecord.objects.create(
        device=device, medium=medium, cycle=cycle or device.cycle, category="clear", technique="overwrite",
        tool="nwipe", tool_version="0.34", rounds=1, started_at=start, ended_at=start + datetime.timedelta(minutes=30),
        operator=operator, result=result, verification_method="Verify last pass",
        verification_result=verification, verified_by=verifier, verified_at=timezone.now())


def wipe_all(device, *, operator, verifier):
    """Give every medium (or a phone's checklist) a passing, verified record for the current cycle."""
    if device.needs_reset_checklist:
        ResetChecklist.objects.create(device=device, cycle=device.cycle, encryption_on=True, factory_reset=True,
                                      activation_lock_removed=True, sim_removed=True, sd_removed=True,
                                      operator=operator, verified_by=verifier)
    for medium in device.media.filter(removed_at__isnull=True):
        record_wipe(device, medium, operator=operator, verifier=verifier)


@pytest.fixture
def ready_device(make_device, alice, bob):
    """A laptop wiped, verified and ready for reuse at the depot."""

    def build(**fields):
        device = make_device(**fields)
        wipe_all(device, operator=alice, verifier=bob)
        device_transition(device=device, to_status="sanitised", actor=alice)
        device_transition(device=device, to_status="ready", actor=alice)
        return device

    return build


def run_at_once(*calls):
    """Run `calls` in threads, each with its own database connection, released together by a barrier.

    Returns each call's result, or the exception it raised, in order: a real race on PostgreSQL (row
    locks, constraints) and on the SQLite test file (the write lock), as in production.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
