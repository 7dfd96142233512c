"""django-q2 entry points for the published figures, and their schedule."""

import logging

from django.conf import settings
from django.utils import timezone

from insights.services import figures_refresh

log = logging.getLogger(__name__)
SCHEDULE_NAME = "Recount the dashboard and open-data figures"


def refresh_figures() -> int:
    publication = figures_refresh()
    log.info("Recounted the published figures in %s ms", publication.duration_ms)
    return publication.duration_ms


def ensure_schedule(**kwargs):
    """After every migrate: recount the figures every OPEN_DATA_REFRESH_MINUTES (the first run straight away)."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "insights.tasks.refresh_figures",
            "schedule_type": Schedule.MINUTES,
            "minutes": settings.OPEN_DATA_REFRESH_MINUTES,
            "repeats": -1,
        },
        create_defaults={
            "func": "insights.tasks.refresh_figures",
            "schedule_type": Schedule.MINUTES,
            "minutes": settings.OPEN_DATA_REFRESH_MINUTES,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )
