"""Request contacts on the retention schedule: due once the request is finished and the period has passed
(and no follow-up is still to be sent); anonymising forgets names, email, phone, the HMAC and free text,
and keeps the figures. The values are checked gone from the rows themselves."""

import datetime

from django.db import connection
from django.utils import timezone

from core.retention import rules
from matching.models import CommunityRequest, FollowUp, Handover
from matching.services.followups import follow_up_answer
from matching.services.requests import request_decline, request_note
from matching.services.retention import contact_anonymise, contacts_due
from tests.factories import signature_bytes
from tests.matching.support import allocate_all, approved, hand_over, line, submit

LATER = datetime.timedelta(days=366)


def test_the_rule_is_registered_with_its_period_setting():
    [rule] = [r for r in rules() if r.name == "request contacts"]
    assert rule.period_setting == "REQUEST_CONTACT_RETENTION_DAYS"
    assert rule.due is contacts_due


def test_only_finished_requests_past_the_period_are_due(branch, carl, settings):
    settings.REQUEST_CONTACT_RETENTION_DAYS = 365
    open_request = submit(branch)
    declined = submit(branch)
    request_decline(request=declined, actor=carl, reason="Outside our remit")
    now = timezone.now()
    assert list(contacts_due(now)) == []
    assert list(contacts_due(now + LATER)) == [declined]
    assert open_request not in contacts_due(now + LATER * 10)


def test_a_request_waiting_for_a_follow_up_is_not_due_yet(branch, carl, dina, ready_at):
    req = approved(branch, carl, lines=[line("laptop", 1)])
    ready_at(branch)
    allocate_all(req, carl)
    hand_over(req, branch, dina)
    req.refresh_from_db()
    assert req.status == "fulfilled"
    assert req not in contacts_due(timezone.now() + LATER)
    FollowUp.objects.filter(request=req).update(sent_at=timezone.now())
    assert req in contacts_due(timezone.now() + LATER)


def test_anonymising_through_the_registered_rule_forgets_the_people_and_keeps_the_figures(branch, carl, dina, ready_at):
    req = approved(
        branch,
        carl,
        client_reference="12 AN2 4XY",
        lines=[line("laptop", 2, accessibility="Mr Jones needs a large screen")],
    )
    ready_at(branch)
    allocate_all(req, carl)
    handover = hand_over(
        req,
        branch,
        dina,
        signed_by_name="Derek Signer",
        signed_by_role="Volunteer lead",
        signature_method="drawn",
        signature_png=signature_bytes(),
    )
    follow_up_answer(
        follow_up=handover.follow_ups.get(days=30),
        people_reached=7,
        devices_in_use=1,
        devices_unneeded=0,
        comments="Mrs Patel uses it for her GP",
    )
    request_note(request=req, actor=carl, text="Priya's manager is Sam Reed")
    [rule] = [r for r in rules() if r.name == "request contacts"]
    rule.anonymise(req)

    req = CommunityRequest.objects.get(pk=req.pk)
    handover = Handover.objects.get(pk=handover.pk)
    assert (req.contact_name, req.contact_email, req.contact_phone, req.client_reference_hmac) == ("", "", "", "")
    assert req.is_anonymised
    assert (handover.signed_by_name, handover.signed_by_role, handover.signature_png) == ("", "", None)
    # Figures stay.
    assert (req.people_count, req.lines.get().quantity, req.allocations.count()) == (12, 2, 1)
    assert FollowUp.objects.figures()["people_reached"] == 7
    # And nothing of the people is left in any row of matching's tables.
    secrets = [
        "Priya",
        "priya@northside.example",
        "07700 900123",
        "Derek Signer",
        "Volunteer lead",
        "Mr Jones",
        "Mrs Patel",
        "Sam Reed",
    ]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("matching_"):
                continue
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from the introspection
            text = repr(cursor.fetchall())
            for secret in secrets:
                assert secret not in text, (table, secret)


def test_the_pdf_of_an_anonymised_handover_says_the_name_was_removed(branch, carl, dina, ready_at):
    from matching.pdf import build_handover_agreement
    from tests.matching.test_handovers import read

    req = approved(branch, carl, lines=[line("laptop", 1)])
    ready_at(branch)
    allocate_all(req, carl)
    handover = hand_over(req, branch, dina, signed_by_name="Derek Signer")
    contact_anonymise(req)
    text, _ = read(build_handover_agreement(handover))
    text = " ".join(text.split())
    assert "Derek Signer" not in text and "name removed under the retention schedule" in text


def test_apply_retention_forgets_a_finished_request_contact_and_says_so(branch, carl, settings):
    """The command the council runs walks matching's rule too: contact gone, erasure logged, run counted."""
    from django.core.management import call_command

    from core.models import AccessAction, RetentionRun
    from core.privacy import accesses_of

    settings.REQUEST_CONTACT_RETENTION_DAYS = 30
    declined = submit(branch)
    request_decline(request=declined, actor=carl, reason="Outside our remit")
    CommunityRequest.objects.filter(pk=declined.pk).update(finished_at=timezone.now() - datetime.timedelta(days=31))
    recent = submit(branch)
    request_decline(request=recent, actor=carl, reason="Outside our remit")

    call_command("apply_retention")

    declined.refresh_from_db()
    recent.refresh_from_db()
    assert declined.is_anonymised and (declined.contact_name, declined.contact_email) == ("", "")
    assert not recent.is_anonymised and recent.contact_email
    run = RetentionRun.objects.get(rule="request contacts")
    assert (run.count, run.period_days, run.dry_run) == (1, 30, False)
    assert accesses_of(declined).filter(action=AccessAction.ERASE).count() == 1
