"""Follow-ups: sent once when due with a private link, answered once, and counted in the impact figures."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import DomainError
from matching.models import FollowUp
from matching.services.followups import follow_up_answer, follow_ups_send_due
from tests.matching.support import allocate_all, approved, hand_over, line


@pytest.fixture
def handed_over(branch, carl, dina, ready_at):
    def build(devices=2, **fields):
        req = approved(branch, carl, lines=[line("laptop", devices)], **fields)
        for _ in range(devices):
            ready_at(branch)
        allocate_all(req, carl)
        return hand_over(req, branch, dina)

    return build


def test_due_follow_ups_are_emailed_once_with_their_private_link(
    handed_over, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://relay.anytown.example"
    handover = handed_over()
    thirty = FollowUp.objects.get(handover=handover, days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_ups_send_due(today=thirty.due_on - datetime.timedelta(days=1)) == 0
        assert follow_ups_send_due(today=thirty.due_on) == 1
        assert follow_ups_send_due(today=thirty.due_on) == 0
    [email] = [m for m in mail.outbox if "How are the devices doing" in m.subject]
    assert f"https://relay.anytown.example/request/follow-up/{thirty.token}/" in email.body
    assert email.to == ["priya@northside.example"]


def test_the_follow_up_page_takes_the_answer_once(client, handed_over):
    handover = handed_over()
    thirty = FollowUp.objects.get(handover=handover, days=30)
    url = f"/request/follow-up/{thirty.token}/"
    page = client.get(url).content.decode()
    assert "How are the devices doing?" in page and "collected 2 devices" in page
    response = client.post(url, {"people_reached": "abc", "devices_in_use": "2", "devices_unneeded": "0"})
    assert "Enter the number of people as a whole number" in response.content.decode()
    response = client.post(url, {"people_reached": "9", "devices_in_use": "2", "devices_unneeded": "1"})
    assert "You were given 2 devices: check the numbers." in response.content.decode()
    response = client.post(url, {"people_reached": "9", "devices_in_use": "1", "devices_unneeded": "1"})
    assert response.url == url
    thirty.refresh_from_db()
    assert (thirty.people_reached, thirty.devices_unneeded, thirty.is_answered) == (9, 1, True)
    assert "Thank you" in client.get(url).content.decode()
    assert client.get("/request/follow-up/not-a-token/").status_code == 404
    with pytest.raises(DomainError) as error:
        follow_up_answer(follow_up=thirty, people_reached=1, devices_in_use=1, devices_unneeded=0)
    assert error.value.code == "already_answered"


def test_answers_are_counted_once_per_handover_with_the_latest_answer(handed_over):
    first = handed_over()
    second = handed_over(organisation_name="Second Group", charity_number="")
    follow_up_answer(follow_up=first.follow_ups.get(days=30), people_reached=10, devices_in_use=2, devices_unneeded=0)
    follow_up_answer(follow_up=first.follow_ups.get(days=90), people_reached=14, devices_in_use=1, devices_unneeded=1)
    follow_up_answer(follow_up=second.follow_ups.get(days=30), people_reached=5, devices_in_use=2, devices_unneeded=0)
    assert FollowUp.objects.figures() == {
        "answers": 3,
        "handovers_answered": 2,
        "people_reached": 19,
        "devices_unneeded": 1,
    }


def test_the_follow_up_days_come_from_the_setting(handed_over, settings):
    settings.FOLLOW_UP_DAYS = [14]
    handover = handed_over()
    assert list(handover.follow_ups.values_list("days", "due_on")) == [
        (14, timezone.localdate(handover.performed_at) + datetime.timedelta(days=14))
    ]
