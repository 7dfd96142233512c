"""Community requests: submitted, linked to their organisation, triaged (verify, approve, decline, tiers,
quantities, notes), with duplicate hints and the group told at each decision."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import DomainError
from matching.models import CommunityRequest, Organisation, RequestEvent
from matching.selectors import duplicate_hints
from matching.services.requests import (
    area_reading,
    client_reference_hmac,
    line_change_quantity,
    organisation_verify,
    request_approve,
    request_decline,
    request_note,
    request_set_tier,
    request_withdraw,
)
from tests.matching.support import approve, approved, line, submit


def test_submitting_numbers_the_request_and_gives_it_a_private_token(
    branch, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(branch, lines=[line("laptop", 3, webcam=True), line("tablet", 1)])
    year = timezone.localdate().year
    assert re.fullmatch(rf"REQ-{year}-\d{{4}}", req.reference)
    assert len(req.status_token) >= 40 and req.status_token not in req.reference
    assert (req.status, req.organisation.name, req.in_area, req.area) == (
        "submitted",
        "Northside Food Bank",
        True,
        "AN2",
    )
    assert [(ln.kind, ln.quantity, ln.asked_quantity, ln.webcam) for ln in req.lines.all()] == [
        ("laptop", 3, 3, True),
        ("tablet", 1, 1, False),
    ]
    assert req.events.get().kind == "submitted"
    [email] = mail.outbox
    assert email.to == ["priya@northside.example"] and req.reference in email.subject
    assert f"{settings.SITE_URL}/request/status/{req.status_token}/" in email.body
    assert "Estimated wait" in email.body


def test_the_emailed_link_starts_with_site_url(branch, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://relay.anytown.example"
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(branch)
    assert f"https://relay.anytown.example/request/status/{req.status_token}/" in mail.outbox[0].body


def test_a_later_request_is_linked_to_the_organisation_by_number_or_name(branch, carl):
    first = submit(branch)
    organisation_verify(organisation=first.organisation, actor=carl)
    by_number = submit(branch, organisation_name="Northside Foodbank CIO", charity_number="1098765")
    by_name = submit(branch, organisation_name="The Northside Food Bank Ltd.", charity_number="")
    other = submit(branch, organisation_name="Riverside Refugee Welcome", charity_number="")
    assert by_number.organisation == first.organisation == by_name.organisation
    assert other.organisation != first.organisation and not other.organisation.is_verified
    assert by_number.organisation_given["name"] == "Northside Foodbank CIO"
    assert Organisation.objects.count() == 2


def test_an_organisation_may_have_only_so_many_open_requests(branch, settings):
    settings.REQUEST_OPEN_LIMIT = 2
    submit(branch)
    submit(branch)
    with pytest.raises(DomainError) as error:
        submit(branch)
    assert error.value.code == "open_limit"
    assert CommunityRequest.objects.count() == 2


def test_a_finished_request_no_longer_counts_against_the_cap(branch, settings):
    settings.REQUEST_OPEN_LIMIT = 1
    request_withdraw(request=submit(branch))
    assert submit(branch).status == "submitted"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"lines": []}, "no_lines"),
        ({"lines": [line(quantity=0)]}, "quantity_out_of_range"),
        ({"lines": [line(quantity=51)]}, "quantity_out_of_range"),
        ({"lines": [line()] * 7}, "too_many_lines"),
        ({"needed_by": datetime.date(2020, 1, 1)}, "needed_by_past"),
    ],
)
def test_bad_submissions_are_refused_and_write_nothing(branch, fields, code):
    with pytest.raises(DomainError) as error:
        submit(branch, **fields)
    assert error.value.code == code
    assert not CommunityRequest.objects.exists() and not Organisation.objects.exists()


def test_only_an_active_branch_can_be_the_collection_point(depot):
    with pytest.raises(DomainError) as error:
        submit(depot)
    assert error.value.code == "not_a_branch"


@pytest.mark.parametrize(
    ("typed", "stored", "inside"),
    [
        ("an2", "AN2", True),
        ("AN2 4XY", "AN2", True),
        ("an10 1aa", "AN10", False),
        ("ZZ1", "ZZ1", False),
        ("  Riverside   ward ", "Riverside ward", None),
    ],
)
def test_the_area_is_judged_from_the_configured_postcode_districts(settings, typed, stored, inside):
    settings.COUNCIL_POSTCODE_DISTRICTS = ["AN1", "AN2"]
    assert area_reading(typed) == (stored, inside)


def test_a_household_reference_is_kept_only_as_a_keyed_hmac(branch, settings):
    req = submit(branch, client_reference="12 AN2 4XY")
    assert req.client_reference_hmac == client_reference_hmac("12an24xy")
    assert len(req.client_reference_hmac) == 64 and "AN2" not in req.client_reference_hmac
    settings.CLIENT_REFERENCE_KEY = "another-key-" * 4
    assert client_reference_hmac("12 AN2 4XY") != req.client_reference_hmac
    assert client_reference_hmac("   ") == ""


def test_the_same_household_from_two_groups_and_the_same_groups_open_requests_are_hinted(branch):
    first = submit(branch, client_reference="12 AN2 4XY")
    second = submit(
        branch, organisation_name="Riverside Refugee Welcome", charity_number="", client_reference="12an24xy"
    )
    third = submit(branch)
    hints = duplicate_hints(second)
    assert [(other.reference, text) for text, other in hints] == [
        (first.reference, "The same household reference, given by Northside Food Bank")
    ]
    assert {other.reference for _text, other in duplicate_hints(third)} == {first.reference}


def test_approval_needs_a_verified_organisation(branch, carl):
    req = submit(branch)
    with pytest.raises(DomainError) as error:
        request_approve(request=req, actor=carl, tier=1)
    assert error.value.code == "organisation_not_verified"
    req.refresh_from_db()
    assert req.status == "submitted"


def test_a_ward_must_be_decided_inside_or_out_before_approval(branch, carl):
    req = submit(branch, area="Riverside ward")
    organisation_verify(organisation=req.organisation, actor=carl)
    with pytest.raises(DomainError) as error:
        request_approve(request=req, actor=carl, tier=1)
    assert error.value.code == "area_undecided"
    req = request_approve(request=req, actor=carl, tier=1, in_area=False)
    assert (req.status, req.in_area) == ("approved", False)


def test_approving_queues_the_request_and_tells_the_group(branch, carl, django_capture_on_commit_callbacks):
    req = submit(branch)
    with django_capture_on_commit_callbacks(execute=True):
        req = approve(req, carl, tier=1)
    assert (req.status, req.tier, req.approved_by) == ("approved", 1, carl)
    assert req.waiting_since == timezone.localdate()
    assert "approved" in mail.outbox[-1].subject
    public = list(req.events.filter(public=True).values_list("kind", flat=True))
    assert public == ["submitted", "verified", "approved"]


def test_an_unknown_tier_is_refused(branch, carl):
    req = submit(branch)
    organisation_verify(organisation=req.organisation, actor=carl)
    with pytest.raises(DomainError) as error:
        request_approve(request=req, actor=carl, tier=9)
    assert error.value.code == "unknown_tier"


def test_declining_needs_a_reason_the_group_sees(branch, carl, django_capture_on_commit_callbacks):
    req = submit(branch)
    with pytest.raises(DomainError) as error:
        request_decline(request=req, actor=carl, reason="  ")
    assert error.value.code == "reason_missing"
    with django_capture_on_commit_callbacks(execute=True):
        request_decline(request=req, actor=carl, reason="We only supply groups working in the borough.")
    req.refresh_from_db()
    assert (req.status, req.finished_at is not None) == ("declined", True)
    assert "We only supply groups working in the borough." in mail.outbox[-1].body
    with pytest.raises(DomainError) as error:
        request_approve(request=req, actor=carl, tier=1)
    assert error.value.code == "not_submitted"


def test_quantity_changes_need_a_reason_and_never_go_below_what_is_allocated(branch, carl, ready_at):
    from matching.services.allocations import proposals_decide
    from matching.services.runs import match_run

    req = approved(branch, carl, lines=[line("laptop", 3)])
    ready_at(branch)
    run = match_run(actor=carl, commit=True)
    proposals_decide(request=req, actor=carl, accept=run.proposals.all())
    laptops = req.lines.get()
    with pytest.raises(DomainError) as error:
        line_change_quantity(line=laptops, actor=carl, quantity=2, reason="")
    assert error.value.code == "reason_missing"
    with pytest.raises(DomainError) as error:
        line_change_quantity(line=laptops, actor=carl, quantity=0, reason="Fewer learners")
    assert error.value.code == "below_allocated"
    line_change_quantity(line=laptops, actor=carl, quantity=2, reason="Two learners moved away")
    laptops.refresh_from_db()
    assert (laptops.quantity, laptops.asked_quantity) == (2, 3)
    event = req.events.get(kind="quantity")
    assert event.public and event.text == "Laptop: 3 → 2. Two learners moved away"


def test_tier_changes_and_notes_are_recorded(branch, carl):
    req = approved(branch, carl, tier=2)
    request_set_tier(request=req, actor=carl, tier=1)
    request_note(request=req, actor=carl, text="Spoke to Priya: urgent for the Monday class.")
    req.refresh_from_db()
    assert req.tier == 1
    note = req.events.get(kind=RequestEvent.Kind.NOTE)
    assert not note.public and note.actor == carl
    with pytest.raises(DomainError) as error:
        request_note(request=req, actor=carl, text=" ")
    assert error.value.code == "note_empty"


def test_withdrawing_puts_reserved_devices_back_on_the_shelf(branch, carl, ready_at):
    from matching.services.allocations import proposals_decide
    from matching.services.runs import match_run

    req = approved(branch, carl, lines=[line("laptop", 1)])
    device = ready_at(branch)
    run = match_run(actor=carl, commit=True)
    [allocation], _ = proposals_decide(request=req, actor=carl, accept=run.proposals.all())
    device.refresh_from_db()
    assert device.status == "reserved"
    request_withdraw(request=req, reason="The class was cancelled")
    device.refresh_from_db()
    allocation.refresh_from_db()
    assert device.status == "ready" and allocation.cancelled_at is not None
    assert req.events.get(kind="withdrawn").text == "Withdrawn by the group. The class was cancelled"
