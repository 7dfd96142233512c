"""The permission matrix's data set: one of everything a URL can point at, built once per module through
the services, at two branches, with a persona for every role.

`build_world()` returns a `World`: `users[role]` (None for anonymous) and `args[key]`, the URL arguments
the table in `tests/security/permissions.py` names by key. Records belong to branch A (Central) unless
their key says otherwise; desk staff of branch B (Northgate) are the "another branch" column.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import ADMIN, COORDINATOR, DESK, IT
from lending.services.holds import hold_place
from matching.models import FollowUp, Proposal
from matching.services.runs import match_run
from reuse.models import Device, LabelTemplate, ResetChecklist, Site
from reuse.services.audit import audit_digest_write
from reuse.services.certificates import certificate_issue
from reuse.services.devices import device_register
from reuse.services.disposal import disposal_batch_create
from reuse.services.evidence import evidence_store
from reuse.services.intake import upload_store
from reuse.services.labels import label_items_for_devices, label_job_create
from reuse.services.lifecycle import device_move, device_transition
from tests.factories import BorrowerFactory, SiteFactory, add_drives, make_user, record_wipe, wipe_all
from tests.matching.support import allocate_all, approved, hand_over, line

ANON, IT_TECH, DESK_HERE, DESK_THERE, COORD, ADMINISTRATOR, SUPERUSER = (
    "anon",
    "it",
    "desk_here",
    "desk_there",
    "coord",
    "admin",
    "super",
)
ROLES = (ANON, IT_TECH, DESK_HERE, DESK_THERE, COORD, ADMINISTRATOR, SUPERUSER)
SAFE = datetime.date(2030, 1, 1)
INTAKE_CSV = b"make,model,kind,serial\nDell,Latitude 5490,laptop,WORLD-SERIAL-1\n"


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    args: dict[str, list | dict] = field(default_factory=dict)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)


def _ready(*, actor, verifier, site, depot, kind="laptop", **fields):
    fields.setdefault("make", "Dell")
    fields.setdefault("model", "Latitude 5490")
    device = device_register(actor=actor, site=depot, kind=kind, webcam=True, updates_until=SAFE, **fields)
    add_drives(device, 1)
    wipe_all(device, operator=actor, verifier=verifier)
    device_transition(device=device, to_status="sanitised", actor=actor)
    device_transition(device=device, to_status="ready", actor=actor)
    if site != depot:
        device_move(device=device, site=site, actor=actor, reason="To the branch")
    device.refresh_from_db()
    return device


def build_world() -> World:
    depot = SiteFactory(code="DEPOT", name="Civic Centre IT Depot", kind=Site.Kind.DEPOT, opening_days="01234")
    here = SiteFactory(code="CENTRAL", name="Central Library", kind=Site.Kind.BRANCH, opening_days="012345")
    there = SiteFactory(code="NORTHGATE", name="Northgate Library", kind=Site.Kind.BRANCH, opening_days="01345")
    alice, bob = make_user("alice", IT, [depot]), make_user("bob", IT, [depot])
    dina, dan = make_user("dina", DESK, [here]), make_user("dan", DESK, [there])
    carl = make_user("carl", COORDINATOR)
    ada = make_user("ada", ADMIN)
    root = make_user("root", None)
    root.is_superuser = True
    root.save()
    world = World(
        users={
            ANON: None,
            IT_TECH: alice,
            DESK_HERE: dina,
            DESK_THERE: dan,
            COORD: carl,
            ADMINISTRATOR: User.objects.get(pk=ada.pk),
            SUPERUSER: User.objects.get(pk=root.pk),
        }
    )
    args = world.args
    args["none"] = []
    args["one"] = [1]
    args["here"] = [here.code]

    # Devices: one ready at branch A, one at the depot with a drive awaiting its wipe's verification, a
    # phone whose reset checklist awaits verification, one certified, one recycled in a disposal batch.
    ready = _ready(actor=alice, verifier=bob, site=here, depot=depot)
    args["device"] = [ready.asset_tag]
    fresh = device_register(actor=alice, site=depot, kind="laptop", make="HP", model="EliteBook 840")
    [medium] = add_drives(fresh, 1)
    record = record_wipe(fresh, medium, operator=alice, verifier=None)
    args["depot_device"] = [fresh.asset_tag]
    args["depot_medium"] = [fresh.asset_tag, medium.pk]
    args["record"] = [record.pk]
    phone = device_register(actor=alice, site=depot, kind="phone", make="Samsung", model="Galaxy A52")
    checklist = ResetChecklist.objects.create(
        device=phone, cycle=phone.cycle, **ResetChecklist.ALL_TICKED, operator=alice, verified_by=None
    )
    args["checklist"] = [checklist.pk]
    evidence, _ = evidence_store(upload=SimpleUploadedFile("nwipe-sda.log", b"nwipe log\n"), actor=alice)
    record.evidence = evidence
    record.save()
    args["evidence"] = [evidence.pk]
    certified = device_register(actor=alice, site=depot, kind="laptop", make="Dell", model="Latitude 7400")
    add_drives(certified, 1)
    wipe_all(certified, operator=alice, verifier=bob)
    device_transition(device=certified, to_status="sanitised", actor=alice)
    certificate = certificate_issue(devices=[certified], actor=alice)
    args["certificate"] = [certificate.number]
    args["certificate_token"] = [certificate.token]
    scrap = device_register(actor=alice, site=depot, kind="laptop", make="Acer", model="Aspire")
    batch = disposal_batch_create(
        devices=[scrap], method="recycled", recycler="Anytown Recycling", waste_transfer_note="WTN-1", actor=alice
    )
    args["disposal"] = [batch.reference]
    job = label_job_create(
        template=LabelTemplate.objects.get(code="L7160"),
        items=label_items_for_devices(Device.objects.filter(pk=ready.pk)),
        actor=alice,
    )
    args["label_job"] = [job.pk]
    upload = upload_store(actor=alice, site=depot, file_name="intake.csv", content=INTAKE_CSV, date_format="uk", lot="")
    args["intake_token"] = [upload.token]

    # Lending at branch A: a borrower, a loan, a hold (a tablet: none is ready there).
    borrower = BorrowerFactory(name="Rosa Clarke", email="rosa@example.com", card_number="20417000009999")
    on_loan = _ready(actor=alice, verifier=bob, site=here, depot=depot)
    from lending.services.loans import loan_issue

    loan = loan_issue(
        device=on_loan, borrower=borrower, site=here, actor=dina, idempotency_key=uuid.uuid4(), signature_method="paper"
    )
    hold = hold_place(borrower=borrower, site=here, device_kind="tablet", actor=dina)
    args["loan"] = [loan.pk]
    args["borrower"] = [borrower.key]
    args["here_borrower"] = [here.code, borrower.key]
    args["loan_slip"] = [loan.pk, "receipt"]
    args["hold"] = [hold.pk]

    # Matching: a request handed over at branch A (its handover, follow-up, allocation), and a second one
    # allocated and waiting for collection (its allocation, line, run and proposal).
    done = approved(here, carl, lines=[line("laptop", 1)], organisation_name="Done Group", charity_number="")
    _ready(actor=alice, verifier=bob, site=here, depot=depot)
    [handed] = allocate_all(done, carl)
    handover = hand_over(done, here, dina)
    args["handover"] = [handover.reference]
    args["handed_allocation"] = [handed.pk]
    args["follow_up_token"] = [FollowUp.objects.filter(handover=handover).first().token]
    waiting = approved(here, carl, lines=[line("laptop", 1)])
    _ready(actor=alice, verifier=bob, site=here, depot=depot)
    [allocation] = allocate_all(waiting, carl)
    args["request"] = [waiting.reference]
    args["status_token"] = [waiting.status_token]
    args["allocation"] = [allocation.pk]
    args["line"] = [waiting.lines.first().pk]
    _ready(actor=alice, verifier=bob, site=here, depot=depot)
    approved(here, carl, lines=[line("laptop", 1)], organisation_name="Third Group", charity_number="")
    run = match_run(actor=carl, commit=True)
    proposal = Proposal.objects.filter(run=run).first()
    args["run"] = [run.pk]
    args["run_request"] = [run.pk, proposal.request.reference]
    args["proposal"] = [proposal.pk]

    # Published things.
    args["audit_day"] = [audit_digest_write().day.isoformat()]
    args["dataset"] = ["devices-by-month"]
    args["problem"] = ["invalid-request"]
    args["api_device"] = {"asset_tag": ready.asset_tag}
    args["api_loan"] = {"pk": loan.pk}
    args["api_site"] = {"code": here.code}
    args["api_request"] = {"reference": waiting.reference}

    # A stocktake at branch A, one device scanned.
    from reuse.services.stocktakes import stocktake_scan, stocktake_start

    stocktake = stocktake_start(site=here, actor=dina)
    stocktake_scan(stocktake=stocktake, actor=dina, scanned=ready.asset_tag)
    args["stocktake"] = [stocktake.pk]
    return world
