"""Reservations: a device kept back for one owner, recorded explicitly.

A `reserved` device has exactly one live reservation, and the reservation says what kind of owner holds
it (a waiting-list borrower, a community group), so any page can say who a device is kept for without
knowing the app that owns it. The owner's own record (lending's `Hold`, matching's `Allocation`) points
at the reservation; reuse never imports either app. `reuse.services.reservations` opens and ends
reservations together with the device's move into and out of `reserved`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reuse.models.devices import Device

__all__ = ["Reservation", "ReservationEnd", "ReservationOwner"]


class ReservationOwner(models.TextChoices):
    HOLD = "hold", "a waiting-list borrower"
    ALLOCATION = "allocation", "a community group"


class ReservationEnd(models.TextChoices):
    HANDED_OUT = "handed_out", "Handed out to its owner"
    RELEASED = "released", "Released"


class ReservationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(ended_at__isnull=True)


class Reservation(models.Model):
    """One device kept for one owner, from `created_at` until it is handed out or released."""

    Owner = ReservationOwner
    End = ReservationEnd

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="reservations")
    owner = models.CharField("reserved for", max_length=12, choices=ReservationOwner.choices)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end = models.CharField(max_length=12, choices=ReservationEnd.choices, blank=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Gate 3's other half: at most one live reservation per device, whoever asks at the same moment.
            models.UniqueConstraint(
                fields=["device"], condition=Q(ended_at__isnull=True), name="reservation_one_live_per_device"
            ),
            models.CheckConstraint(condition=Q(owner__in=ReservationOwner.values), name="reservation_owner_valid"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end="") | Q(ended_at__isnull=False, end__in=ReservationEnd.values),
                name="reservation_end_matches_ended",
            ),
        ]

    def __str__(self):
        return f"{self.device_id} reserved for {self.get_owner_display()}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    @property
    def description(self) -> str:
        """'Reserved for a community group', for any page that shows the device."""
        return f"Reserved for {self.get_owner_display()}"
