"""Handovers at the collection branch: who may perform them (desk staff of that branch, coordinators), the
devices gifted (or lent long-term) through the lifecycle, terms frozen, follow-ups scheduled, the agreement
PDF read back, loaned devices coming back."""

import datetime
import io
import uuid

import pytest
from django.core import mail
from PIL import Image
from pypdf import PdfReader

from core.errors import DomainError
from core.models import PersonalDataAccess
from matching.models import FollowUp, Handover, HandoverTerms
from matching.pdf import build_handover_agreement
from matching.services.allocations import proposals_decide
from matching.services.handovers import collection_book, collection_days, handover_device_returned, handover_perform
from matching.services.runs import match_run
from tests.factories import make_user, signature_bytes
from tests.matching.support import approved, line


@pytest.fixture
def waiting(branch, carl, ready_at):
    """A request with two laptops allocated at Central Library, its collection booked."""

    def build(quantity=2, **fields):
        req = approved(branch, carl, lines=[line("laptop", quantity, connectivity="sim")], **fields)
        devices = [ready_at(branch, serial=f"SN-HO-{n}", has_charger=n == 0) for n in range(2)]
        run = match_run(actor=carl, commit=True)
        proposals_decide(request=req, actor=carl, accept=run.proposals.all())
        collection_book(request=req, date=collection_days(req)[0], part="afternoon")
        return req, devices

    return build


def hand_over(req, site, actor, **kwargs):
    kwargs.setdefault("kind", "gift")
    kwargs.setdefault("signed_by_name", "Priya Shah")
    kwargs.setdefault("signature_method", "paper")
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return handover_perform(request=req, site=site, actor=actor, **kwargs)


def read(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_a_gift_makes_the_devices_the_organisations(waiting, branch, dina, django_capture_on_commit_callbacks):
    req, devices = waiting()
    with django_capture_on_commit_callbacks(execute=True):
        handover = hand_over(req, branch, dina, connectivity=["SIM 8944100000000000077, 20 GB a month"])
    for device in devices:
        device.refresh_from_db()
        last = device.events.order_by("-seq").first()
        assert (device.status, last.from_status, last.to_status, last.actor) == ("gifted", "reserved", "gifted", dina)
        assert last.reason == f"Gifted to Northside Food Bank ({handover.reference}, {req.reference})"
        assert device.reservations.get().end == "handed_out"
    req.refresh_from_db()
    assert req.status == "fulfilled" and req.bookings.get().done_at is not None
    assert handover.terms == HandoverTerms.current("gift") and handover.allocations.count() == 2
    due = sorted(FollowUp.objects.filter(handover=handover).values_list("days", "due_on"))
    assert due == [(days, handover.performed_on + datetime.timedelta(days=days)) for days in (30, 90)]
    [email] = [m for m in mail.outbox if "signed agreement" in m.subject]
    assert email.attachments[0][0] == f"gift-agreement-{handover.reference}.pdf"


def test_the_gift_agreement_pdf_names_everything_and_the_signature(waiting, branch, dina, tmp_path):
    req, devices = waiting()
    handover = hand_over(
        req,
        branch,
        dina,
        signature_method="drawn",
        signature_png=signature_bytes(),
        signed_by_role="Centre manager",
        connectivity=["SIM 8944100000000000077, 20 GB a month"],
        accessories=["Mouse"],
    )
    pdf = build_handover_agreement(handover)
    (tmp_path / "gift.pdf").write_bytes(pdf)
    text, reader = read(pdf)
    for expected in (
        "Gift of refurbished devices",
        "Northside Food Bank",
        "1098765",
        devices[0].asset_tag,
        "SN-HO-0",
        devices[1].asset_tag,
        "SN-HO-1",
        "Charger",
        "SIM 8944100000000000077, 20 GB a month",
        "Mouse",
        "terms version 1",
        "From today",
        "Signed by Priya Shah, Centre manager, for Northside Food Bank",
        "Signed on screen",
        handover.reference,
        req.reference,
        "Dina",
    ):
        assert expected in text, expected
    [image] = [image for page in reader.pages for image in page.images]
    assert Image.open(io.BytesIO(image.data)).size == (600, 200)


def test_terms_are_frozen_into_the_handover(waiting, branch, dina):
    req, _ = waiting()
    handover = hand_over(req, branch, dina)
    HandoverTerms.objects.create(kind="gift", title="Gift, new wording", body="New terms.")
    handover.refresh_from_db()
    assert handover.terms.number == 1
    text, _ = read(build_handover_agreement(handover))
    assert "terms version 1" in text and "New terms." not in text
    with pytest.raises(TypeError):
        handover.terms.save()


def test_a_long_term_loan_names_the_organisation_and_can_come_back(waiting, branch, dina):
    req, devices = waiting()
    handover = hand_over(req, branch, dina, kind="loan", signature_method="read_aloud")
    text, _ = read(build_handover_agreement(handover))
    assert "Long-term loan of devices to an organisation" in text and "Lent to" in text
    assert "Northside Food Bank" in text and "Read aloud and agreed" in text and "remain the council's" in text
    devices[0].refresh_from_db()
    assert devices[0].status == "on_loan"
    allocation = handover.allocations.get(device=devices[0])
    handover_device_returned(allocation=allocation, actor=dina, site=branch)
    devices[0].refresh_from_db()
    assert devices[0].status == "received" and not devices[0].wipe_stands
    with pytest.raises(DomainError) as error:
        handover_device_returned(allocation=allocation, actor=dina, site=branch)
    assert error.value.code == "already_returned"


def test_a_gift_cannot_come_back_through_the_handover(waiting, branch, dina):
    req, _ = waiting()
    handover = hand_over(req, branch, dina)
    with pytest.raises(DomainError) as error:
        handover_device_returned(allocation=handover.allocations.first(), actor=dina, site=branch)
    assert error.value.code == "not_lent"


def test_the_same_handover_sent_twice_is_one_handover(waiting, branch, dina):
    req, _ = waiting()
    key = uuid.uuid4()
    assert hand_over(req, branch, dina, idempotency_key=key) == hand_over(req, branch, dina, idempotency_key=key)
    assert Handover.objects.count() == 1


def test_desk_staff_of_another_branch_may_not_hand_over(waiting, branch, other_branch):
    req, devices = waiting()
    elsewhere = make_user("erin", "Library desk", [other_branch])
    with pytest.raises(DomainError) as error:
        hand_over(req, branch, elsewhere)
    assert error.value.code == "not_your_branch"
    devices[0].refresh_from_db()
    assert devices[0].status == "reserved" and not Handover.objects.exists()


def test_a_coordinator_may_hand_over_at_any_branch_but_only_the_collection_branch(waiting, branch, other_branch, carl):
    req, _ = waiting()
    with pytest.raises(DomainError) as error:
        hand_over(req, other_branch, carl)
    assert error.value.code == "wrong_branch"
    assert hand_over(req, branch, carl).performed_by == carl


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"signed_by_name": " "}, "name_missing"),
        ({"signature_method": "drawn"}, "signature_missing"),
        ({"signature_method": "drawn", "signature_png": b"GIF89a not a png"}, "signature_invalid"),
        ({"kind": "sale"}, "kind_invalid"),
    ],
)
def test_a_handover_without_a_proper_signature_writes_nothing(waiting, branch, dina, fields, code):
    req, devices = waiting()
    with pytest.raises(DomainError) as error:
        hand_over(req, branch, dina, **fields)
    assert error.value.code == code
    devices[0].refresh_from_db()
    assert devices[0].status == "reserved" and not Handover.objects.exists()


def test_nothing_to_hand_over_is_said_plainly(branch, carl, dina):
    req = approved(branch, carl)
    with pytest.raises(DomainError) as error:
        hand_over(req, branch, dina)
    assert error.value.code == "nothing_to_collect"


def test_the_desk_hands_over_on_paper_without_javascript_and_downloads_the_pdf(client, waiting, branch, dina):
    req, devices = waiting()
    client.force_login(dina)
    listing = client.get("/matching/handovers/").content.decode()
    assert req.reference in listing and "Hand over" in listing
    page = client.get(f"/matching/handovers/new/{req.reference}/")
    text = page.content.decode()
    assert (
        devices[0].asset_tag in text
        and "a sim card with data with each laptop" in text
        and "no-store" in page["Cache-Control"]
    )
    token = str(uuid.uuid4())
    form = {"token": token, "kind": "gift", "signed_by_name": "Priya Shah", "signature_method": "paper"}
    response = client.post(f"/matching/handovers/new/{req.reference}/", form)
    assert response.status_code == 400 and "Confirm that they agree to the terms" in response.content.decode()
    response = client.post(f"/matching/handovers/new/{req.reference}/", {**form, "agreed": "on"})
    handover = Handover.objects.get()
    assert response.url == handover.get_absolute_url()
    detail = client.get(response.url)
    assert "Priya Shah" in detail.content.decode() and "no-store" in detail["Cache-Control"]
    pdf = client.get(f"/matching/handovers/{handover.reference}/agreement.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text, _ = read(pdf.content)
    assert "Signed on paper" in text and devices[1].asset_tag in text
    logged = list(PersonalDataAccess.objects.values_list("action", "what"))
    assert ("view", "handover: who signed") in logged and ("export", "signed agreement PDF") in logged


def test_desk_staff_see_only_their_branches_handovers(client, waiting, branch, other_branch):
    req, _ = waiting()
    elsewhere = make_user("erin", "Library desk", [other_branch])
    client.force_login(elsewhere)
    assert req.reference not in client.get("/matching/handovers/").content.decode()
    assert client.get(f"/matching/handovers/new/{req.reference}/").status_code == 404
