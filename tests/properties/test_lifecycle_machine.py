"""Issue 11's stateful proof: random sequences of the real services (intake, drives, wipes, a second
person's verification, certificates, moves, status changes, loans and their renewals and returns, waiting
lists, community allocations and handovers), with the rules that must hold checked after every step:

- one status per device, and it is the last custody event's;
- every status change has its event, the chain of each device steps only through TRANSITIONS and
  verifies (`audit_verify`, what `manage.py verify_audit` runs);
- nothing is lent, reserved or gifted without the sanitisation gate (reuse/gates.py) standing for its
  current drives and cycle;
- at most one open loan per device, and a device is on loan exactly when it has one;
- at most one live reservation per device, held for exactly one owner (a hold or an allocation), and a
  device is reserved exactly when it has one.

The database is rolled back after every example (a savepoint around each run of the machine, inside the
test's own transaction). Refusals (DomainError) are part of the game: the services must refuse, never
break the rules. Sized for a shared 2-core machine; PROPERTY_EXAMPLES=200 searches longer.
"""

import os
import uuid

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from core.errors import DomainError
from core.roles import COORDINATOR, DESK, IT
from lending.models import Hold, Loan
from lending.services.holds import hold_cancel, hold_offer_next, hold_place
from lending.services.loans import loan_issue, loan_mark_lost, loan_renew, loan_return
from matching.models import Allocation, Proposal
from matching.services.allocations import allocation_cancel, proposal_accept
from matching.services.runs import match_run
from reuse.forms.devices import page_statuses
from reuse.gates import HANDOUT_STATUSES, gate_problems_bulk
from reuse.models import CustodyEvent, Device, DeviceStatus, Reservation, SanitisationRecord, Site
from reuse.services.audit import audit_verify
from reuse.services.certificates import certificate_issue
from reuse.services.devices import device_register
from reuse.services.lifecycle import TRANSITIONS, device_move, device_transition
from reuse.services.sanitisation import medium_add, sanitisation_record, sanitisation_verify
from tests.factories import BorrowerFactory, SiteFactory, make_user
from tests.matching.support import approved, hand_over, line

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "10"))
# Shrinking a failing run replays it many times over: PROPERTY_SHRINK=1 for a minimal one when you debug.
PHASES = list(Phase) if os.environ.get("PROPERTY_SHRINK") else [Phase.explicit, Phase.reuse, Phase.generate]
S = DeviceStatus
R = SanitisationRecord
STATUSES = [choice.value for choice in DeviceStatus]


class World:
    """What every example starts from: sites and people (built once, outside the rolled-back runs)."""

    def __init__(self):
        self.depot = SiteFactory(code="DEPOT", kind=Site.Kind.DEPOT, opening_days="01234")
        self.branch = SiteFactory(code="CENTRAL", kind=Site.Kind.BRANCH, opening_days="0123456")
        self.alice = make_user("alice", IT, [self.depot])
        self.bob = make_user("bob", IT, [self.depot])
        self.dina = make_user("dina", DESK, [self.branch])
        self.carl = make_user("carl", COORDINATOR)


def lendable():
    return Device.objects.filter(status=S.READY, site__code="CENTRAL").order_by("pk")


def live_allocations():
    return Allocation.objects.filter(reservation__ended_at__isnull=True).order_by("pk")


def lifecycle_machine(world: World):
    class Lifecycle(RuleBasedStateMachine):
        devices = Bundle("devices")
        borrowers = Bundle("borrowers")

        def __init__(self):
            super().__init__()
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.refusals: list[str] = []

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def attempt(self, call):
            """Run a service; a refusal is recorded, anything else that goes wrong fails the example."""
            try:
                with transaction.atomic():
                    return call()
            except DomainError as error:
                self.refusals.append(error.code)
                return None

        def fresh(self, device) -> Device:
            return Device.objects.get(pk=device.pk)

        # Devices ---------------------------------------------------------------------------------------

        @initialize(target=devices)
        def one_laptop_at_the_depot_and_two_ready_at_the_branch(self):
            """A start in the middle of things, so that short runs reach loans, holds and allocations too."""
            fresh, ready, spare = self.register(2), self.register(1), self.register(1)
            for device in (ready, spare):
                self.make_ready_at_the_branch(device)
            return multiple(fresh, ready, spare)

        @initialize(target=borrowers)
        def a_borrower(self):
            return BorrowerFactory()

        @rule(target=devices, drives=st.integers(min_value=1, max_value=2))
        def register(self, drives):
            device = device_register(
                actor=world.alice, site=world.depot, kind="laptop", make="Dell", model="Latitude", webcam=True
            )
            for n in range(drives):
                medium_add(device=device, actor=world.alice, kind="ssd", serial=f"{device.asset_tag}-{n}")
            return device

        @rule(device=devices)
        def add_drive(self, device):
            self.attempt(lambda: medium_add(device=device, actor=world.alice, kind="hdd", serial=uuid.uuid4().hex))

        @rule(device=devices, passed=st.booleans())
        def wipe(self, device, passed):
            device = self.fresh(device)
            now = timezone.now()
            for medium in device.media.filter(removed_at__isnull=True):
                self.attempt(
                    lambda medium=medium: sanitisation_record(
                        device=device,
                        medium=medium,
                        actor=world.alice,
                        category=R.Category.CLEAR,
                        technique=R.Technique.OVERWRITE,
                        tool="nwipe",
                        started_at=now,
                        ended_at=now,
                        result=R.Result.PASSED if passed else R.Result.FAILED,
                        verification_method="Verify last pass",
                        verification_result=R.Result.PASSED if passed else R.Result.FAILED,
                    )
                )

        @rule(device=devices, by_operator=st.booleans(), confirm=st.booleans())
        def verify(self, device, by_operator, confirm):
            actor = world.alice if by_operator else world.bob
            for record in SanitisationRecord.objects.filter(device=device, verified_by__isnull=True):
                self.attempt(lambda record=record: sanitisation_verify(record=record, actor=actor, confirm=confirm))

        @rule(device=devices, to_status=st.sampled_from(STATUSES))
        def transition(self, device, to_status):
            """A status picked on the device page: what the page offers (`page_statuses`) is sent to the
            lifecycle; anything else the page's form refuses. Loans and reservations have their own rules."""
            current = self.fresh(device)
            if to_status in page_statuses(current.status, STATUSES):
                self.attempt(lambda: device_transition(device=current, to_status=to_status, actor=world.alice))

        @rule(device=devices, to_branch=st.booleans())
        def move(self, device, to_branch):
            site = world.branch if to_branch else world.depot
            self.attempt(lambda: device_move(device=device, site=site, actor=world.alice, reason="Van run"))

        @rule(device=devices)
        def make_ready_at_the_branch(self, device):
            """The happy path in one step (wipe, a second person's check, sanitised, ready, to the branch), so
            that loans, holds and allocations are reached within a few steps."""
            self.wipe(device, True)
            self.verify(device, False, True)
            for status in (S.SANITISED, S.READY):
                self.attempt(
                    lambda status=status: device_transition(device=device, to_status=status, actor=world.alice)
                )
            self.move(device, True)

        @rule(device=devices)
        def certify(self, device):
            self.attempt(lambda: certificate_issue(devices=[self.fresh(device)], actor=world.alice))

        # Lending ---------------------------------------------------------------------------------------

        @rule(target=borrowers)
        def new_borrower(self):
            return BorrowerFactory()

        @rule(device=devices, borrower=borrowers)
        def issue(self, device, borrower):
            self.attempt(
                lambda: loan_issue(
                    device=self.fresh(device),
                    borrower=borrower,
                    site=world.branch,
                    actor=world.dina,
                    idempotency_key=uuid.uuid4(),
                    signature_method="paper",
                )
            )

        @precondition(lambda self: lendable().exists())
        @rule(borrower=borrowers, pick=st.integers(min_value=0, max_value=3))
        def issue_one_ready(self, borrower, pick):
            devices = list(lendable())
            self.issue(devices[pick % len(devices)], borrower)

        def open_loan(self, pick):
            loans = list(Loan.objects.open().order_by("pk"))
            return loans[pick % len(loans)]

        @precondition(lambda self: Loan.objects.open().exists())
        @rule(pick=st.integers(min_value=0, max_value=3))
        def renew(self, pick):
            loan = self.open_loan(pick)
            self.attempt(lambda: loan_renew(loan=loan, actor=world.dina))

        @precondition(lambda self: Loan.objects.open().exists())
        @rule(pick=st.integers(min_value=0, max_value=3))
        def give_back(self, pick):
            loan = self.open_loan(pick)
            self.attempt(lambda: loan_return(loan=loan, actor=world.dina, site=world.branch))

        @precondition(lambda self: Loan.objects.open().exists())
        @rule(pick=st.integers(min_value=0, max_value=3))
        def lose(self, pick):
            loan = self.open_loan(pick)
            self.attempt(lambda: loan_mark_lost(loan=loan, actor=world.dina, site=world.branch))

        @rule(borrower=borrowers)
        def wait_for_one(self, borrower):
            self.attempt(
                lambda: hold_place(borrower=borrower, site=world.branch, device_kind="laptop", actor=world.dina)
            )

        @precondition(lambda self: lendable().exists())
        @rule()
        def offer_to_the_waiting_list(self):
            for device in lendable():
                self.attempt(lambda device=device: hold_offer_next(device_id=device.pk))

        @precondition(lambda self: Hold.objects.exists())
        @rule(pick=st.integers(min_value=0, max_value=3))
        def cancel_a_hold(self, pick):
            holds = list(Hold.objects.order_by("pk"))
            hold = holds[pick % len(holds)]
            self.attempt(lambda: hold_cancel(hold=hold, actor=world.dina))

        # Community requests ----------------------------------------------------------------------------

        @precondition(lambda self: lendable().exists())
        @rule()
        def match(self):
            name = f"Group {uuid.uuid4().hex[:8]}"
            approved(world.branch, world.carl, lines=[line("laptop", 1)], charity_number="", organisation_name=name)
            run = self.attempt(lambda: match_run(actor=world.carl, commit=True))
            for proposal in Proposal.objects.filter(run=run) if run else ():
                self.attempt(lambda proposal=proposal: proposal_accept(proposal=proposal, actor=world.carl))

        @precondition(lambda self: live_allocations().exists())
        @rule()
        def hand_over_one(self):
            allocation = live_allocations().first()
            self.attempt(lambda: hand_over(allocation.line.request, world.branch, world.dina))

        @precondition(lambda self: live_allocations().exists())
        @rule()
        def cancel_an_allocation(self):
            allocation = live_allocations().first()
            self.attempt(lambda: allocation_cancel(allocation=allocation, actor=world.carl, reason="Changed"))

        # What must hold after every step ---------------------------------------------------------------

        @invariant()
        def one_status_and_its_event(self):
            for device in Device.objects.all():
                events = list(device.events.order_by("seq").values_list("from_status", "to_status"))
                assert events and events[-1][1] == device.status, (device.asset_tag, device.status, events)
                for (_, before), (after_from, after_to) in zip(events, events[1:], strict=False):
                    assert after_from == before, (device.asset_tag, events)
                    assert after_to == before or after_to in TRANSITIONS[before], (device.asset_tag, events)

        @invariant()
        def the_custody_record_verifies(self):
            if CustodyEvent.objects.exists():
                assert audit_verify()[1] == []

        @invariant()
        def nothing_handed_out_without_the_gate(self):
            out = list(Device.objects.filter(status__in=HANDOUT_STATUSES))
            problems = gate_problems_bulk(out)
            for device in out:
                assert device.sanitised_cycle == device.cycle, device.asset_tag
                assert problems[device.pk] == [], (device.asset_tag, device.status, problems[device.pk])

        @invariant()
        def one_open_loan_per_device(self):
            assert not Loan.objects.open().values("device").annotate(n=Count("id")).filter(n__gt=1).exists()
            lent = set(Loan.objects.open().values_list("device_id", flat=True))
            assert lent == set(Device.objects.filter(status=S.ON_LOAN).values_list("pk", flat=True))

        @invariant()
        def one_live_reservation_with_one_owner(self):
            live = Reservation.objects.filter(ended_at__isnull=True)
            assert not live.values("device").annotate(n=Count("id")).filter(n__gt=1).exists()
            assert set(live.values_list("device_id", flat=True)) == set(
                Device.objects.filter(status=S.RESERVED).values_list("pk", flat=True)
            )
            for reservation in live.annotate(
                holds=Count("hold", distinct=True), allocations=Count("allocation", distinct=True)
            ):
                assert reservation.holds + reservation.allocations == 1, reservation.pk

    return Lifecycle


def test_random_journeys_keep_the_rules(db, media_root):
    machine = lifecycle_machine(World())
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=20,
            deadline=None,
            database=None,
            phases=PHASES,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
