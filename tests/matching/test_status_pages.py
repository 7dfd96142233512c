"""The group's private pages by token: the status page follows each step in plain words and shows nothing
of any other request; a wrong token is the branded 404; booking a collection; withdrawing; follow-ups."""

import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from matching.models import CollectionBooking, FollowUp
from matching.services.allocations import proposals_decide
from matching.services.handovers import collection_days
from matching.services.runs import match_run
from reuse.models import SiteClosure
from tests.matching.support import allocate_all, approved, hand_over, line, submit


def allocated(branch, carl, ready_at, *, quantity=5, devices=2, **fields):
    req = approved(branch, carl, lines=[line("laptop", quantity)], **fields)
    for _ in range(devices):
        ready_at(branch)
    allocate_all(req, carl)
    return req


def page(client, req, suffix=""):
    response = client.get(f"/request/status/{req.status_token}/{suffix}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_new_request_shows_it_is_waiting_to_be_checked_and_its_estimated_wait(client, branch):
    req = submit(branch)
    text = page(client, req)
    assert req.reference in text and "Waiting to be checked" in text
    assert "0 of 2 laptops so far." in text
    assert "Estimated wait" in text and "How we estimate the wait" in text
    assert "Priya" not in text and "priya@northside.example" not in text  # no contact on a public page


def test_the_status_page_says_what_was_allocated_and_why(client, branch, carl, ready_at):
    req = allocated(branch, carl, ready_at, tier=2)
    text = page(client, req)
    assert "2 of 5 laptops so far: tier 2, waiting 0 days; 3 more when stock allows." in text
    assert "Why this device went to you" in text and "Tier 2 request" in text
    assert "Already at Central Library, the collection branch." in text
    assert "Book a day to collect them" in text


def test_the_status_page_shows_nothing_of_any_other_request(client, branch, carl, ready_at):
    mine = submit(branch)
    other = allocated(branch, carl, ready_at, organisation_name="Riverside Refugee Welcome", charity_number="", tier=1)
    text = page(client, mine)
    assert other.reference not in text and "Riverside" not in text
    assert all(a.device.asset_tag not in text for a in other.allocations.all())


def test_a_wrong_token_is_the_branded_404_and_says_nothing(client, branch):
    req = submit(branch)
    for token in ("nope", req.status_token[:-1], req.status_token.upper(), uuid.uuid4().hex):
        response = client.get(f"/request/status/{token}/")
        text = response.content.decode()
        assert response.status_code == 404 and "Page not found" in text
        assert req.reference not in text and "Northside" not in text
        assert "01632960000" in text  # the council's phone, as a tel: link


def test_the_status_page_is_never_cached_and_rate_limited(client, branch):
    req = submit(branch)
    response = client.get(f"/request/status/{req.status_token}/")
    assert "no-store" in response["Cache-Control"]
    statuses = [client.get("/request/status/guess/").status_code for _ in range(29)]  # 30 a minute
    assert set(statuses) == {404}
    assert client.get(f"/request/status/{req.status_token}/").status_code == 429


def test_the_status_page_follows_each_step(client, branch, carl, dina, ready_at, django_capture_on_commit_callbacks):
    req = allocated(branch, carl, ready_at, quantity=2)
    day = collection_days(req)[0]
    client.post(f"/request/status/{req.status_token}/collect/", {"date": day.isoformat(), "part": "morning"})
    text = page(client, req)
    assert f"Collection booked: Central Library, {day:%A} {day.day} {day:%B %Y}, morning" in text
    hand_over(req, branch, dina)
    text = page(client, req)
    assert "Complete" in text and "2 of 2 laptops: handed over." in text and "as a gift" in text
    assert "Tell us how it went" not in text
    FollowUp.objects.filter(request=req, days=30).update(sent_at=timezone.now())
    text = page(client, req)
    follow_up = FollowUp.objects.get(request=req, days=30)
    assert "Tell us how it went" in text and f"/request/follow-up/{follow_up.token}/" in text


def test_booking_offers_only_days_the_branch_is_open(client, branch, carl, ready_at):
    req = allocated(branch, carl, ready_at)
    days = collection_days(req)
    assert days and all(str(d.weekday()) in branch.opening_days for d in days)
    assert all(d > timezone.localdate() for d in days)
    SiteClosure.objects.create(site=branch, date=days[0], reason="Training")
    assert days[0] not in collection_days(req)
    closed = days[0]
    response = client.post(
        f"/request/status/{req.status_token}/collect/", {"date": closed.isoformat(), "part": "morning"}
    )
    assert response.status_code == 200 and "Choose one of the days the library is open" in response.content.decode()
    assert not CollectionBooking.objects.exists()
    sunday = next(
        timezone.localdate() + datetime.timedelta(days=n)
        for n in range(1, 8)
        if (timezone.localdate() + datetime.timedelta(days=n)).weekday() == 6
    )
    response = client.post(
        f"/request/status/{req.status_token}/collect/", {"date": sunday.isoformat(), "part": "morning"}
    )
    assert "Choose one of the days the library is open" in response.content.decode()


def test_devices_still_at_the_depot_push_the_first_day_out(branch, depot, carl, ready_at):
    req = approved(branch, carl, lines=[line("laptop", 1)])
    ready_at(depot)
    run = match_run(actor=carl, commit=True)
    proposals_decide(request=req, actor=carl, accept=run.proposals.all())
    assert min(collection_days(req)) >= timezone.localdate() + datetime.timedelta(days=3)


def test_booking_again_moves_the_collection_and_tells_the_group(
    client, branch, carl, ready_at, django_capture_on_commit_callbacks
):
    req = allocated(branch, carl, ready_at)
    first, second = collection_days(req)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/request/status/{req.status_token}/collect/", {"date": first.isoformat(), "part": "morning"})
        response = client.post(
            f"/request/status/{req.status_token}/collect/", {"date": second.isoformat(), "part": "afternoon"}
        )
    assert response.status_code == 302
    live = CollectionBooking.objects.live().get()
    assert (live.date, live.part) == (second, "afternoon")
    assert CollectionBooking.objects.filter(cancelled_at__isnull=False).count() == 1
    assert [m.subject.split(" (")[0] for m in mail.outbox[-2:]] == ["Your collection is booked"] * 2


def test_there_is_nothing_to_book_before_devices_are_allocated(client, branch, carl):
    req = approved(branch, carl)
    text = page(client, req, "collect/")
    assert "There is nothing to collect yet" in text


def test_the_group_can_withdraw_its_request(client, branch):
    req = submit(branch)
    response = client.post(f"/request/status/{req.status_token}/withdraw/", {})
    assert "Confirm that you want to withdraw the request" in response.content.decode()
    response = client.post(
        f"/request/status/{req.status_token}/withdraw/", {"confirm": "on", "reason": "Found some elsewhere"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "withdrawn"
    assert "Withdrawn by the group. Found some elsewhere" in page(client, req)


@pytest.mark.parametrize("suffix", ["collect/", "withdraw/"])
def test_the_other_token_pages_are_404_for_a_wrong_token(client, db, suffix):
    assert client.get(f"/request/status/wrong/{suffix}").status_code == 404
