"""Administrators version the terms; tasks take ids only; a device made ready at a branch fills a hold."""

from lending.models import AgreementVersion
from lending.services.holds import hold_place
from reuse.services.lifecycle import device_transition
from tests.factories import wipe_all


def test_editing_the_terms_adds_a_version(client, ada):
    client.force_login(ada)
    current = AgreementVersion.current()
    add = client.get("/admin/lending/agreementversion/add/").content.decode()
    assert current.body.splitlines()[0][:40] in add  # the new version starts from the latest text
    response = client.post(
        "/admin/lending/agreementversion/add/", {"title": "Device loan agreement", "body": "New plain terms."}
    )
    assert response.status_code == 302
    latest = AgreementVersion.current()
    assert (latest.number, latest.body, latest.created_by) == (current.number + 1, "New plain terms.", ada)
    # An existing version cannot be edited in place.
    client.post(f"/admin/lending/agreementversion/{current.pk}/change/", {"title": "x", "body": "changed"})
    current.refresh_from_db()
    assert current.body != "changed"


def test_tasks_are_queued_with_ids_only(lendable, borrower, issue, monkeypatch, django_capture_on_commit_callbacks):
    device = lendable()  # registering it queues its label's QR code (reuse), which is not what this is about
    calls = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kwargs: calls.append((func, args)))
    with django_capture_on_commit_callbacks(execute=True):
        loan = issue(device, borrower)
    assert calls == [("lending.tasks.email_agreement", (loan.pk,))]
    assert all(isinstance(arg, int) for _, args in calls for arg in args)


def test_device_made_ready_at_a_branch_fills_a_hold(
    make_device, make_borrower, branch, alice, bob, dina, django_capture_on_commit_callbacks
):
    hold = hold_place(borrower=make_borrower(), site=branch, device_kind="laptop", actor=dina)
    device = make_device(site=branch)
    wipe_all(device, operator=alice, verifier=bob)
    device_transition(device=device, to_status="sanitised", actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        device_transition(device=device, to_status="ready", actor=alice)
    hold.refresh_from_db()
    device.refresh_from_db()
    assert (hold.status, hold.device, device.status) == ("offered", device, "reserved")


def test_scanning_a_device_on_loan_offers_to_take_it_back(client, dina, lendable, borrower, issue, branch):
    loan = issue(lendable(), borrower)
    client.force_login(dina)
    body = client.get(f"/desk/{branch.code}/?device={loan.device.pk}").content.decode()
    assert 'data-problem="already_on_loan"' in body
    assert f"/loans/{loan.pk}/return/" in body and "Rosa Clarke" in body
