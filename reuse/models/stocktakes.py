"""Stocktakes: staff scan what is on a site's shelves; Relay compares it with where its record says devices
are (as Snipe-IT's audit does) and records the audit: who, when, what was found and what was not."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reuse.models.devices import FINAL_STATUSES, Device, DeviceStatus
from reuse.models.sites import Site

__all__ = ["Stocktake", "StocktakeScan", "ScanOutcome", "NOT_ON_A_SHELF"]

# Devices a stocktake does not expect on any shelf: with a resident, missing, or gone for good.
NOT_ON_A_SHELF = FINAL_STATUSES | {DeviceStatus.ON_LOAN, DeviceStatus.LOST}


class ScanOutcome(models.TextChoices):
    FOUND = "found", "Found where expected"
    ELSEWHERE = "elsewhere", "Recorded at another site"
    NOT_ON_SHELF = "not_on_shelf", "Recorded as not on a shelf"
    UNKNOWN = "unknown", "Unknown tag"


class StocktakeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(site__in=Site.objects.visible_to(user))


class Stocktake(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stocktakes")
    location = models.CharField("shelf or location", max_length=100, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Frozen at the finish: the devices the record put at the site that nobody scanned.
    missing = models.ManyToManyField(Device, related_name="+", blank=True)

    objects = StocktakeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Stocktake {self.pk}"

    def get_absolute_url(self):
        return reverse("reuse:stocktake-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class StocktakeScan(models.Model):
    """One tag scanned in a stocktake (a repeat scan of the same tag is the same row)."""

    Outcome = ScanOutcome

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="scans")
    tag = models.CharField(max_length=20)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Where the record put the device when it was scanned (a move at the finish changes the device, not this).
    recorded_site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=ScanOutcome.choices)
    scanned_at = models.DateTimeField(default=timezone.now)
    scanned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["scanned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "tag"], name="stocktake_scan_once"),
            models.CheckConstraint(condition=models.Q(outcome__in=ScanOutcome.values), name="stocktake_outcome_valid"),
        ]

    def __str__(self):
        return f"{self.tag} in {self.stocktake}"
