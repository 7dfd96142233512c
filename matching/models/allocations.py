"""Allocations: a device confirmed for a request line. Each owns the device's reservation (reuse's
record, which holds the one-live-reservation-per-device index), until the handover or a cancellation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from matching.models.requests import CommunityRequest, RequestLine
from matching.models.runs import Proposal
from reuse.models import Device, Reservation

__all__ = ["Allocation"]


class AllocationQuerySet(models.QuerySet):
    def live(self):
        """Not cancelled: reserved for the group, or handed over."""
        return self.filter(cancelled_at__isnull=True)

    def awaiting_handover(self):
        return self.live().filter(handover__isnull=True)

    def handed_over(self):
        return self.live().filter(handover__isnull=False)


class Allocation(models.Model):
    request = models.ForeignKey(CommunityRequest, on_delete=models.PROTECT, related_name="allocations")
    line = models.ForeignKey(RequestLine, on_delete=models.PROTECT, related_name="allocations")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="allocations")
    reservation = models.OneToOneField(Reservation, on_delete=models.PROTECT, related_name="allocation")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    reasons = models.JSONField(default=list, help_text="Why this device went to this request, from the run.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    handover = models.ForeignKey(
        "matching.Handover", null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    returned_at = models.DateTimeField(null=True, blank=True, help_text="A device lent long-term, back with us.")

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["request", "line", "pk"]
        constraints = [
            # A double click or two coordinators confirming the same proposal make one allocation.
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(cancelled_at__isnull=True), name="allocation_one_per_proposal"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(handover__isnull=True),
                name="allocation_cancelled_not_handed",
            ),
        ]

    def __str__(self):
        return f"Allocation {self.pk}: device {self.device_id} for {self.request_id}"

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None

    @property
    def is_handed_over(self) -> bool:
        return self.handover_id is not None and self.cancelled_at is None
