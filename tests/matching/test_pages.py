"""Coordinators' pages: who may see them (contacts are coordinators' only; IT sees the shortage report),
every view of a contact logged and never cached, the triage queue's filters, the actions' refusals shown
in the page, and the coordinator's panel on the staff home."""

import pytest
from django.urls import reverse

from core.models import PersonalDataAccess
from matching.models import CommunityRequest
from tests.matching.support import approved, line, submit

COORDINATOR_ONLY = [
    "/matching/requests/",
    "/matching/runs/",
]


@pytest.mark.parametrize("path", COORDINATOR_ONLY)
@pytest.mark.parametrize("who", ["alice", "dina", "nobody"])
def test_only_coordinators_reach_the_triage_pages(client, request, path, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(path).status_code == 403


def test_it_and_desk_staff_never_see_a_contact(client, alice, dina, branch):
    req = submit(branch)
    for user in (alice, dina):
        client.force_login(user)
        response = client.get(f"/matching/requests/{req.reference}/")
        assert response.status_code == 403 and "priya@northside.example" not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, branch):
    req = submit(branch)
    for path in (
        "/matching/requests/",
        f"/matching/requests/{req.reference}/",
        "/matching/shortages/",
        "/matching/handovers/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_it_sees_the_shortage_report_without_any_contact(client, alice, carl, branch, ready_at):
    from matching.services.runs import match_run

    approved(branch, carl, lines=[line("laptop", 5, webcam=True)])
    ready_at(branch, webcam=False)
    match_run(actor=carl, commit=True)
    client.force_login(alice)
    page = client.get("/matching/shortages/").content.decode()
    assert "5 laptops asked for with a webcam; 0 ready laptops have one." in page
    assert "Priya" not in page and "northside.example" not in page and "Northside" not in page


def test_a_coordinator_viewing_a_request_is_logged_and_the_page_not_cached(coordinator, carl, branch):
    req = submit(branch)
    response = coordinator.get(f"/matching/requests/{req.reference.lower()}/")
    page = response.content.decode()
    assert "priya@northside.example" in page and "07700 900123" in page
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.subject_id, access.what) == (carl, req.pk, "request and contact")


def test_the_queue_lists_no_contacts_and_filters(coordinator, carl, branch, other_branch):
    waiting = submit(branch)
    done = approved(
        other_branch, carl, tier=1, organisation_name="Second Group", charity_number="", lines=[line("tablet", 1)]
    )
    page = coordinator.get("/matching/requests/").content.decode()
    assert waiting.reference in page and done.reference in page and "priya@" not in page
    assert not PersonalDataAccess.objects.exists()
    filtered = coordinator.get("/matching/requests/", {"status": "submitted"}).content.decode()
    assert waiting.reference in filtered and done.reference not in filtered
    by_kind = coordinator.get("/matching/requests/", {"kind": "tablet"}).content.decode()
    assert done.reference in by_kind and waiting.reference not in by_kind
    by_search = coordinator.get("/matching/requests/", {"q": "second"}).content.decode()
    assert done.reference in by_search and waiting.reference not in by_search
    unverified = coordinator.get("/matching/requests/", {"verified": "no"}).content.decode()
    assert waiting.reference in unverified and done.reference not in unverified


def test_the_queue_reads_a_page_in_few_queries(coordinator, branch, django_assert_max_num_queries):
    for n in range(30):
        submit(branch, organisation_name=f"Group {n}", charity_number="")
    with django_assert_max_num_queries(12):
        assert coordinator.get("/matching/requests/").status_code == 200


def test_verify_then_approve_from_the_request_page(coordinator, branch, django_capture_on_commit_callbacks):
    req = submit(branch)
    page = coordinator.get(req.get_absolute_url()).content.decode()
    assert "Verify the organisation" in page and "Verify the organisation first." in page
    response = coordinator.post(f"/matching/requests/{req.reference}/approve/", {"tier": 1, "in_area": "yes"})
    assert response.status_code == 400 and "Verify Northside Food Bank before approving" in response.content.decode()
    coordinator.post(f"/matching/requests/{req.reference}/verify/", {"note": "Charity Commission register"})
    response = coordinator.post(f"/matching/requests/{req.reference}/approve/", {"tier": 1, "in_area": "yes"})
    assert response.url == req.get_absolute_url()
    req.refresh_from_db()
    assert (req.status, req.tier, req.organisation.verification_note) == ("approved", 1, "Charity Commission register")


def test_declining_without_a_reason_is_summarised_and_keeps_the_page(coordinator, branch):
    req = submit(branch)
    response = coordinator.post(f"/matching/requests/{req.reference}/decline/", {"decline-reason": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page and "Give a reason the group will see" in page
    assert CommunityRequest.objects.get().status == "submitted"


def test_duplicate_hints_show_on_the_request_page(coordinator, branch):
    first = submit(branch, client_reference="12 AN2 4XY")
    second = submit(
        branch, organisation_name="Riverside Refugee Welcome", charity_number="", client_reference="12 an2 4xy"
    )
    page = coordinator.get(second.get_absolute_url()).content.decode()
    assert "The same household reference, given by Northside Food Bank" in page and first.reference in page


def test_quantity_change_page(coordinator, carl, branch):
    req = approved(branch, carl)
    laptops = req.lines.get()
    url = reverse("matching:line-quantity", args=[laptops.pk])
    response = coordinator.post(url, {"quantity": "1"})
    assert "Say why the quantity changes" in response.content.decode()
    response = coordinator.post(url, {"quantity": "1", "reason": "One learner left"})
    assert response.url == req.get_absolute_url()
    laptops.refresh_from_db()
    assert laptops.quantity == 1


def test_the_coordinators_home_panel_counts_the_work(coordinator, carl, branch):
    submit(branch)
    approved(branch, carl, organisation_name="Second Group", charity_number="")
    page = coordinator.get("/").content.decode()
    assert "data-coordinator-panel" in page and "to check" in page and "Follow-ups so far" in page
    assert 'href="/matching/requests/?status=submitted"' in page


def test_other_roles_home_has_no_coordinator_panel(client, alice, dina):
    for user in (alice, dina):
        client.force_login(user)
        assert "data-coordinator-panel" not in client.get("/").content.decode()


def test_navigation_offers_each_role_its_matching_pages(client, carl, alice, dina):
    client.force_login(carl)
    page = client.get("/").content.decode()
    assert 'href="/matching/requests/"' in page and 'href="/matching/runs/"' in page
    client.force_login(alice)
    assert 'href="/matching/shortages/"' in client.get("/").content.decode()
    client.force_login(dina)
    assert 'href="/matching/handovers/"' in client.get("/").content.decode()


def test_the_admin_never_shows_a_contact(client, ada, branch):
    req = submit(branch)
    client.force_login(ada)
    page = client.get(f"/admin/matching/communityrequest/{req.pk}/change/").content.decode()
    assert req.reference in page and "priya@northside.example" not in page and req.status_token not in page
    assert client.get("/admin/matching/tier/").status_code == 200
    assert client.get("/admin/matching/handoverterms/add/").status_code == 200
