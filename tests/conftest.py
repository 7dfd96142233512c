"""Shared fixtures: personas (like healthchecks' alice, bob and charlie), sites, devices in any state,
borrowers and loans. The builders behind them live in `tests/factories.py`."""

import time
import types
import uuid

import django_ratelimit.core
import pytest

from core.roles import ADMIN, COORDINATOR, DESK, IT
from lending.services.loans import loan_issue
from reuse.models import DeviceStatus, Site
from reuse.services.devices import device_register
from reuse.services.lifecycle import device_move, device_transition
from tests.factories import BorrowerFactory, SiteFactory, add_drives, make_user, wipe_all


@pytest.fixture(autouse=True)
def _fast_and_synchronous(settings):
    settings.TASKS_SYNC = True
    # A cache of its own for every test (rate-limit counts above all), even on a Redis shared by xdist workers.
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _rate_limit_clock_stands_still(monkeypatch):
    """django-ratelimit counts in fixed windows (staggered per key), so sixty requests that straddle the end of
    one would start counting again and a test of the sixty-first would fail one run in a few dozen. The
    limiter's clock (only its own: the module's `time`) stands still for the length of a test."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def depot(db):
    return SiteFactory(code="DEPOT", name="Civic Centre IT Depot", kind=Site.Kind.DEPOT, opening_days="01234")


@pytest.fixture
def branch(db):
    return SiteFactory(code="CENTRAL", name="Central Library", kind=Site.Kind.BRANCH, opening_days="012345")


@pytest.fixture
def other_branch(db):
    return SiteFactory(code="NORTHGATE", name="Northgate Library", kind=Site.Kind.BRANCH, opening_days="01345")


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
    """`make_device(kind=..., media=n, site=..., **fields)`: a device registered through intake, with n drives."""

    def build(kind="laptop", media=1, site=None, **fields):
        fields.setdefault("make", "Dell")
        fields.setdefault("model", "Latitude 5490")
        device = device_register(actor=alice, site=site or depot, kind=kind, **fields)
        add_drives(device, media)
        return device

    return build


@pytest.fixture
def ready_device(make_device, alice, bob):
    """A laptop wiped, verified and ready for reuse at the depot."""

    def build(**fields):
        device = make_device(**fields)
        wipe_all(device, operator=alice, verifier=bob)
        device_transition(device=device, to_status=DeviceStatus.SANITISED, actor=alice)
        device_transition(device=device, to_status=DeviceStatus.READY, actor=alice)
        return device

    return build


@pytest.fixture
def make_borrower(db):
    return BorrowerFactory


@pytest.fixture
def borrower(make_borrower):
    return make_borrower(name="Rosa Clarke", email="rosa@example.com", card_number="20417000009999")


@pytest.fixture
def lendable(ready_device, branch, alice):
    """A device wiped, ready and moved to Central Library."""

    def build(**fields):
        device = ready_device(**fields)
        device_move(device=device, site=branch, actor=alice, reason="To the branch")
        device.refresh_from_db()
        return device

    return build


@pytest.fixture
def issue(branch, dina):
    """`issue(device, borrower, **kwargs)`: a loan issued at Central Library's desk by dina."""

    def run(device, borrower, **kwargs):
        kwargs.setdefault("site", branch)
        kwargs.setdefault("actor", dina)
        kwargs.setdefault("idempotency_key", uuid.uuid4())
        kwargs.setdefault("signature_method", "paper")
        return loan_issue(device=device, borrower=borrower, **kwargs)

    return run


@pytest.fixture
def notify(settings):
    """A local stand-in for GOV.UK Notify (tests/notify_stub.py), with Relay's email and SMS sent through it."""
    from tests.notify_stub import NotifyStub

    stub = NotifyStub().start()
    settings.NOTIFY_API_KEY = stub.api_key
    settings.NOTIFY_BASE_URL = stub.url
    settings.NOTIFY_EMAIL_TEMPLATE_ID = stub.template("email", "subject", "body")
    settings.NOTIFY_EMAIL_FILE_TEMPLATE_ID = stub.template("email", "subject", "body", "link_to_file")
    settings.NOTIFY_SMS_TEMPLATE_ID = stub.template("sms", "body")
    settings.EMAIL_BACKEND = "core.notify.NotifyEmailBackend"
    settings.SMS_BACKEND = "notify"
    yield stub
    stub.stop()


@pytest.fixture
def community(branch, carl, dina, ready_device, alice):
    """`community(outcome, *, area="AN2", kind="charity", people=None, site=branch, submitted=None)`: one
    community request that ends as `outcome` (waiting, fulfilled, declined, withdrawn, closed), through
    matching's services. A fulfilled one collects one laptop; with `people`, its 30-day follow-up is
    answered with that many people reached. Each request comes from an organisation of its own."""
    from matching.models import FollowUp
    from matching.services.followups import follow_up_answer
    from matching.services.requests import request_close, request_decline, request_submit, request_withdraw
    from reuse.services.lifecycle import device_move
    from tests.matching.support import allocate_all, approve, draft, hand_over, line

    made = iter(range(1, 10_000))

    def build(outcome="waiting", *, area="AN2", kind="charity", people=None, site=None, submitted=None, **fields):
        site = site or branch
        n = next(made)
        fields.setdefault("organisation_name", f"Test Group {n}")
        fields.setdefault("contact_name", f"Contact Person{n}")
        fields.setdefault("contact_email", f"contact{n}@group{n}.example")
        order = draft(site, area=area, organisation_kind=kind, charity_number="", lines=[line("laptop", 1)], **fields)
        req = request_submit(draft=order, now=submitted)
        if outcome == "waiting":
            return req
        if outcome == "declined":
            return request_decline(request=req, actor=carl, reason="Outside what we can help with")
        if outcome == "withdrawn":
            return request_withdraw(request=req, reason="Found devices elsewhere")
        approve(req, carl, in_area=True)
        if outcome == "closed":
            return request_close(request=req, actor=carl, reason="No longer needed")
        device = ready_device(webcam=True, ram_gb=8, storage_gb=256)
        device_move(device=device, site=site, actor=alice, reason="To the branch")
        allocate_all(req, carl)
        handover = hand_over(req, site, dina)
        if people is not None:
            follow_up = FollowUp.objects.filter(handover=handover).order_by("days").first()
            follow_up_answer(follow_up=follow_up, people_reached=people, devices_in_use=1, devices_unneeded=0)
        req.refresh_from_db()
        assert req.status == "fulfilled", req.status
        return req

    return build
