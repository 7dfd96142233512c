"""The published figures: a rollup of counts that the dashboard, the open-data files and the API all read.

Counting a 100,000-device custody record on every page view would cost a scan of the events table each
time; instead `insights.services.figures_refresh` recounts everything from the source tables (on a
schedule, or when a coordinator asks) and replaces these rows in one transaction. Every figure anyone
sees is then a sum over this small table, so the dashboard, the CSV, the JSON and the API agree by
construction, and "last updated" is the moment of that refresh.
"""

from django.db import models
from django.db.models import Q

from reuse.models import Site


class Measure(models.TextChoices):
    # Devices entering `category` (a device status) that month; `received` counts devices new to the
    # service only (a device coming back from a loan is not received again).
    STATUS = "status", "Devices entering a status"
    # Devices lent or gifted for the first time: what the impact figures count (once per device).
    FIRST_REUSE = "first_reuse", "Devices reused for the first time"
    # The same devices, with `bucket` the whole days from intake to that first reuse (for medians).
    REUSE_DAYS = "reuse_days", "Days from intake to first reuse"
    # Community requests (matching), each row with `site` the request's collection branch, its
    # organisation's type and its published area (`insights.services.published_area`):
    # requests received in `month` (their submission), `category` their outcome now;
    REQUESTS = "requests", "Requests received"
    # requests completed in `month`;
    REQUESTS_FULFILLED = "fulfilled", "Requests fulfilled"
    # requests still open at the end of `month` (this month: now);
    REQUESTS_WAITING = "waiting", "Requests waiting"
    # people the handovers of `month` reached, from each handover's latest follow-up answer.
    PEOPLE_REACHED = "people_reached", "People reached"


class Outcome(models.TextChoices):
    """What became of a request, as the figures name it."""

    WAITING = "waiting", "Waiting (being checked or waiting for devices)"
    FULFILLED = "fulfilled", "Fulfilled"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


class Tally(models.Model):
    """How many of `measure` happened in `month` at `site`, for devices of `kind` (`category` says which
    status; `bucket` holds the days of a REUSE_DAYS row). Request rows say the `organisation_type` and
    `area` instead of `kind`."""

    measure = models.CharField(max_length=20, choices=Measure.choices)
    month = models.DateField(help_text="The first day of the month, in the council's time zone.")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("device type", max_length=10, blank=True)
    category = models.CharField(max_length=30, blank=True)
    organisation_type = models.CharField(max_length=12, blank=True)
    area = models.CharField(max_length=60, blank=True)
    bucket = models.IntegerField(default=0)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["measure", "month"])]
        constraints = [
            models.CheckConstraint(condition=Q(measure__in=Measure.values), name="tally_measure_valid"),
        ]

    def __str__(self):
        return f"{self.measure} {self.month:%Y-%m} {self.kind} {self.category}: {self.value}"


class Publication(models.Model):
    """The one row saying when the figures were last recounted (and how long that took)."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Figures of {self.refreshed_at:%Y-%m-%d %H:%M}" if self.refreshed_at else "Figures not counted yet"
