"""One timeline per device: every app's records, newest first, in words, as the viewer may see them, in a
bounded number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import PersonalDataAccess
from core.timeline import Entry, providers, register, timeline
from lending.services.loans import loan_renew, loan_return
from reuse.services.devices import device_edit
from reuse.services.lifecycle import correctable, device_correct, device_move


def kinds(entries):
    return [entry.kind for entry in entries]


def titles(entries):
    return [entry.title for entry in entries]


def test_every_app_registers_its_providers():
    assert {"reuse.custody", "reuse.sanitisation", "lending.loans", "matching.allocations"} <= set(providers())


def test_a_move_reads_as_a_move(ready_device, alice, branch):
    device = ready_device()
    device_move(device=device, site=branch, actor=alice)
    entries = timeline([device.pk], alice)
    assert entries[0].title == f"Moved from {device.site.__class__.objects.get(code='DEPOT')} to {branch}"
    assert not any(t == "Ready for reuse → Ready for reuse" for t in titles(entries))


def test_a_status_change_that_also_moved_it_says_where_it_went(ready_device, alice, branch):
    """Devices arrive on a branch's shelf as they are made ready (the demo's histories do): the step says so."""
    from reuse.services.lifecycle import device_transition

    device = ready_device()
    depot = device.site
    device_transition(device=device, to_status="received", actor=alice, site=branch)
    entries = timeline([device.pk], alice)
    assert entries[0].title == f"Ready for reuse → Received, moved from {depot} to {branch}"


def test_the_whole_history_newest_first(ready_device, alice, bob, branch):
    device = ready_device()
    device_edit(device=device, actor=alice, serial="SN-NEW")
    device_correct(device=device, event=correctable(device), actor=bob, reason="Screen cracked")
    entries = timeline([device.pk], alice)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[0].kind == "correction" and "Screen cracked" in entries[0].detail
    assert "Serial number changed from none to SN-NEW" in titles(entries)
    assert {"received", "wipe", "verification", "status", "note", "correction"} <= set(kinds(entries))


def test_it_staff_see_the_loan_not_the_borrower(lendable, borrower, issue, alice, dina, branch):
    device = lendable()
    loan = issue(device, borrower)
    loan_renew(loan=loan, actor=dina)
    loan_return(loan=loan, actor=dina, site=branch)
    it_view = [e for e in timeline([device.pk], alice) if e.kind == "loan"]
    assert [e.title for e in it_view] == [f"Returned (loan {loan.pk})", f"Lent (loan {loan.pk})"]
    assert "renewed 1 time" in it_view[1].detail
    assert all(borrower.name not in f"{e.title} {e.detail}" for e in timeline([device.pk], alice))
    assert it_view[1].link == ""
    assert not PersonalDataAccess.objects.exists()


def test_desk_staff_of_the_branch_see_the_borrower_and_it_is_logged(lendable, borrower, issue, dina):
    device = lendable()
    loan = issue(device, borrower)
    desk_view = [e for e in timeline([device.pk], dina) if e.kind == "loan"]
    assert desk_view[0].title == f"Lent to Rosa Clarke (loan {loan.pk})"
    assert desk_view[0].link == f"/lending/loans/{loan.pk}/" or desk_view[0].link.endswith(f"/{loan.pk}/")
    assert PersonalDataAccess.objects.filter(actor=dina, subject_id=borrower.pk).count() == 1


def test_desk_staff_of_another_branch_do_not(lendable, borrower, issue, other_branch):
    from core.roles import DESK
    from tests.factories import make_user

    elsewhere = make_user("erin", DESK, [other_branch])
    device = lendable()
    loan = issue(device, borrower)
    assert f"Lent (loan {loan.pk})" in titles(timeline([device.pk], elsewhere))


def test_a_bounded_number_of_queries_whatever_the_history(ready_device, alice, branch, depot):
    device = ready_device()

    def count():
        with CaptureQueriesContext(connection) as queries:
            timeline([device.pk], alice)
        return len(queries)

    count()  # the first look fills caches (roles) once
    short = count()
    for _ in range(10):
        device_move(device=device, site=branch, actor=alice)
        device_move(device=device, site=depot, actor=alice)
    assert count() == short
    assert short <= 12


def test_a_provider_from_elsewhere_is_merged_in_time_order(make_device, alice):
    device = make_device()
    later = timezone.now() + datetime.timedelta(days=1)
    register("test.future", lambda ids, viewer: [Entry(later, "test", "Tomorrow")])
    try:
        assert timeline([device.pk], alice)[0].title == "Tomorrow"
    finally:
        from core import timeline as module

        module._providers.pop("test.future")


def test_device_page_shows_the_timeline(client, alice, ready_device, branch):
    device = ready_device()
    device_move(device=device, site=branch, actor=alice)
    client.force_login(alice)
    page = client.get(device.get_absolute_url()).content.decode()
    assert "Moved from Civic Centre IT Depot to Central Library" in page
    assert "Ready for reuse → Ready for reuse" not in page
    assert "Wiped:" in page


def test_a_label_print_is_on_the_timeline(make_device, alice, l7160):
    from reuse.models import LabelJob

    device, other = make_device(), make_device()
    LabelJob.objects.create(
        template=l7160, tags=[other.asset_tag, device.asset_tag], count=2, status=LabelJob.Status.DONE, created_by=alice
    )
    LabelJob.objects.create(template=l7160, tags=[other.asset_tag], count=1, status=LabelJob.Status.DONE)
    labels = [e for e in timeline([device.pk], alice) if e.kind == "label"]
    assert len(labels) == 1 and labels[0].title == "Label printed" and labels[0].link
