"""The recount's schedule and task, and the figures seed_demo leaves counted."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from insights import selectors
from insights.models import Publication
from insights.selectors import Scope
from insights.tasks import SCHEDULE_NAME, ensure_schedule, refresh_figures
from reuse.models import CustodyEvent

pytestmark = pytest.mark.django_db


def test_migrate_schedules_the_recount_every_configured_minutes(settings):
    schedule = Schedule.objects.get(name=SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == ("insights.tasks.refresh_figures", "I", -1)
    settings.OPEN_DATA_REFRESH_MINUTES = 15
    ensure_schedule()
    assert Schedule.objects.get(name=SCHEDULE_NAME).minutes == 15
    assert Schedule.objects.filter(name=SCHEDULE_NAME).count() == 1


def test_the_task_recounts(make_device):
    make_device()
    assert refresh_figures() >= 0
    assert selectors.flow_totals(selectors.monthly_flow(Scope()))["received"] == 1


def test_seed_demo_leaves_the_figures_counted():
    call_command("seed_demo", devices=40, borrowers=5, requests=0, stdout=StringIO())
    assert Publication.objects.get().refreshed_at is not None
    received = selectors.flow_totals(selectors.monthly_flow(Scope()))["received"]
    assert received == CustodyEvent.objects.filter(from_status="").count() >= 40
