"""The staff home starts the day: counts for the desk's branches and the depot's queues, each a link to
the list it counts, which shows exactly that many."""

import datetime
import re

import pytest
from django.utils import timezone

from lending.models import Loan


def count_link(body: str, name: str) -> tuple[int, str]:
    match = re.search(rf'href="([^"]+)" data-count="{name}"><strong>(\d+)</strong>', body)
    assert match, name
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_desk_home_counts_link_to_the_lists_they_count(client, dina, lendable, make_borrower, issue, branch):
    overdue = [issue(lendable(), make_borrower()) for _ in range(2)]
    Loan.objects.filter(pk__in=[loan.pk for loan in overdue]).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    due = issue(lendable(), make_borrower())
    Loan.objects.filter(pk=due.pk).update(due_date=timezone.localdate())
    issue(lendable(), make_borrower())  # out, not due: counted nowhere
    client.force_login(dina)
    body = client.get("/").content.decode()
    assert 'data-desk-day="CENTRAL"' in body
    for name, expected, words in (("overdue", 2, "2 loans"), ("due_today", 1, "1 loan<")):
        n, url = count_link(body, name)
        assert n == expected
        assert words in client.get(url).content.decode(), url
    n, url = count_link(body, "ready_to_collect")
    assert n == 0 and url.startswith("/holds/?state=offered")
    assert "0 places" in client.get(url).content.decode()
    n, url = count_link(body, "pickups")
    assert url == "/matching/handovers/" and client.get(url).status_code == 200


def test_expiring_holds_count_and_link(
    client, dina, ready_device, make_borrower, branch, alice, django_capture_on_commit_callbacks
):
    from lending.services.holds import hold_place
    from reuse.services.lifecycle import device_move

    hold_place(borrower=make_borrower(name="Pat Waiting"), site=branch, device_kind="laptop", actor=dina)
    device = ready_device()
    with django_capture_on_commit_callbacks(execute=True):
        device_move(device=device, site=branch, actor=alice, reason="To the branch")
    from lending.models import Hold

    Hold.objects.update(collect_by=timezone.localdate())
    client.force_login(dina)
    body = client.get("/").content.decode()
    assert count_link(body, "ready_to_collect")[0] == 1
    n, url = count_link(body, "expiring")
    assert n == 1
    page = client.get(url).content.decode()
    assert "1 place<" in page and "Pat Waiting" in page


def test_it_home_counts_link_to_the_queues(client, alice, make_device):
    make_device()
    make_device()
    client.force_login(alice)
    body = client.get("/").content.decode()
    n, url = count_link(body, "received")
    assert n == 2 and url == "/devices/?status=received"
    assert client.get(url).status_code == 200
    assert count_link(body, "to_verify")[1] == "/devices/sanitisation/"
    assert count_link(body, "shortages")[1] == "/matching/shortages/"
    assert client.get("/matching/shortages/").status_code == 200
    # The devices-by-status table: each number a link too.
    assert 'href="/devices/?status=ready"' in body


@pytest.mark.parametrize("who", ["dina", "alice"])
def test_home_is_not_cached(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert "no-store" in client.get("/")["Cache-Control"]
