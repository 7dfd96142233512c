"""Matching runs and their proposals: what each run saw, what it proposed and why, kept for explaining a
decision months later.

A run stores the engine's whole input (every ready device and every open line, as the engine saw them)
and its picks, compressed; `MatchRun.seen()` reads them back as the engine's own dataclasses, so the
run can be replayed exactly. A committed run's picks are also `Proposal` rows for coordinators to review.
"""

import datetime
import json
import zlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from matching.engine import Need, Pick, Stock
from matching.models.requests import CommunityRequest, RequestLine
from reuse.models import Device, Site

__all__ = ["MatchRun", "Proposal", "ProposalStatus", "RunStatus", "RunTrigger"]


class RunTrigger(models.TextChoices):
    COMMAND = "command", "Command line"
    BUTTON = "button", "A coordinator"
    SCHEDULE = "schedule", "Nightly schedule"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


def _pack(value) -> bytes:
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 6)


def _unpack(blob) -> object:
    return json.loads(zlib.decompress(bytes(blob)))


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


STOCK_FIELDS = ("key", "kind", "site", "ram_gb", "storage_gb", "webcam", "updates_until", "ready_since")
NEED_FIELDS = (
    "key",
    "request",
    "tier",
    "waiting_since",
    "site",
    "kind",
    "quantity",
    "min_ram_gb",
    "min_storage_gb",
    "webcam",
    "updates_until",
)
PICK_FIELDS = ("stock", "need", "request", "tier", "waiting_days", "from_site", "to_site", "ready_days")
DATE_FIELDS = {"updates_until", "ready_since", "waiting_since"}


def _row(item, fields) -> list:
    return [(v.isoformat() if isinstance(v, datetime.date) else v) for v in (getattr(item, f) for f in fields)]


def _item(cls, fields, row):
    return cls(**{f: (_day(v) if f in DATE_FIELDS else v) for f, v in zip(fields, row, strict=True)})


class MatchRun(models.Model):
    Trigger = RunTrigger
    Status = RunStatus

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    committed = models.BooleanField(default=False, help_text="Its picks were stored as proposals for review.")
    today = models.DateField(null=True, blank=True, help_text="The date the run worked to (waiting days).")
    input_data = models.BinaryField(null=True, editable=False)  # the engine's input, compressed JSON
    picks_data = models.BinaryField(null=True, editable=False)  # its answer, compressed JSON
    devices_seen = models.PositiveIntegerField(default=0)
    lines_seen = models.PositiveIntegerField(default=0)
    requests_seen = models.PositiveIntegerField(default=0)
    units_asked = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    shortages = models.JSONField(default=list, blank=True)  # the shortage report, as sentences by type
    summary = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(trigger__in=RunTrigger.values), name="match_run_trigger_valid"),
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="match_run_status_valid"),
            # One run at a time: two buttons pressed together, or the schedule and a button, start one.
            models.UniqueConstraint(fields=["status"], condition=Q(status="running"), name="match_run_one_at_a_time"),
        ]

    def __str__(self):
        return f"Run {self.pk} ({self.started_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("matching:run-detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status == RunStatus.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.DONE

    def store(self, *, stock: list[Stock], needs: list[Need], picks: list[Pick]) -> None:
        self.input_data = _pack(
            {"stock": [_row(s, STOCK_FIELDS) for s in stock], "needs": [_row(n, NEED_FIELDS) for n in needs]}
        )
        self.picks_data = _pack([[*_row(p, PICK_FIELDS), list(p.reasons)] for p in picks])

    def seen(self) -> tuple[list[Stock], list[Need]]:
        """The engine's input exactly as this run gave it."""
        if self.input_data is None:
            return [], []
        data = _unpack(self.input_data)
        assert isinstance(data, dict)
        return (
            [_item(Stock, STOCK_FIELDS, row) for row in data["stock"]],
            [_item(Need, NEED_FIELDS, row) for row in data["needs"]],
        )

    def picks(self) -> list[Pick]:
        if self.picks_data is None:
            return []
        rows = _unpack(self.picks_data)
        assert isinstance(rows, list)
        return [Pick(reasons=tuple(row[-1]), **dict(zip(PICK_FIELDS, row[:-1], strict=True))) for row in rows]


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    SWAPPED = "swapped", "Accepted with another device"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Replaced by a later run"


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PROPOSED)


class Proposal(models.Model):
    """One device a committed run proposed for one request line, with the reasons, until reviewed."""

    Status = ProposalStatus

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    request = models.ForeignKey(CommunityRequest, on_delete=models.PROTECT, related_name="proposals")
    line = models.ForeignKey(RequestLine, on_delete=models.PROTECT, related_name="proposals")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list)
    tier = models.PositiveSmallIntegerField(help_text="The tier the engine used (out-of-area requests go below).")
    waiting_days = models.PositiveIntegerField()
    from_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    to_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField(max_length=300, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["run", "tier", "-waiting_days", "request", "line", "device"]
        indexes = [models.Index(fields=["status", "request"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"),
            models.UniqueConstraint(fields=["run", "device"], name="proposal_device_once_per_run"),
        ]

    def __str__(self):
        return f"Proposal {self.pk}: device {self.device_id} for line {self.line_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PROPOSED

    @property
    def at_collection_branch(self) -> bool:
        return self.from_site_id == self.to_site_id
