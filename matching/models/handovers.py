"""Collections and handovers: the group books a day at its branch, and the devices are signed for there,
as a gift (ownership passes) or a long-term loan to the organisation, under numbered, frozen terms."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.signature import SignatureMethod
from matching.models.requests import CommunityRequest
from reuse.models import Site

__all__ = ["CollectionBooking", "DayPart", "Handover", "HandoverKind", "HandoverTerms"]


class DayPart(models.TextChoices):
    MORNING = "morning", "Morning (10am to 12:30pm)"
    AFTERNOON = "afternoon", "Afternoon (2pm to 4:30pm)"


class CollectionBookingQuerySet(models.QuerySet):
    def live(self):
        """Booked, and neither cancelled nor collected yet."""
        return self.filter(cancelled_at__isnull=True, done_at__isnull=True)

    def at_branches(self, sites):
        return self.filter(site__in=sites)


class CollectionBooking(models.Model):
    """The day (and part of the day) a group will collect its allocated devices at its branch."""

    request = models.ForeignKey(CommunityRequest, on_delete=models.CASCADE, related_name="bookings")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="branch")
    date = models.DateField()
    part = models.CharField("time", max_length=10, choices=DayPart.choices)
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField("collected", null=True, blank=True)

    objects = CollectionBookingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "part", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(cancelled_at__isnull=True, done_at__isnull=True),
                name="collection_one_live_booking_per_request",
            ),
            models.CheckConstraint(condition=Q(part__in=DayPart.values), name="collection_part_valid"),
        ]

    def __str__(self):
        return f"{self.request_id} at {self.site_id} on {self.date}"

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None and self.done_at is None

    @property
    def is_due(self) -> bool:
        return self.date <= timezone.localdate()


class HandoverKind(models.TextChoices):
    GIFT = "gift", "Gift: the devices become the organisation's"
    LOAN = "loan", "Long-term loan to the organisation"


class HandoverTerms(models.Model):
    """The terms a handover is signed under, numbered per kind. Frozen once saved: edit by adding a new one."""

    kind = models.CharField(max_length=4, choices=HandoverKind.choices)
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=120)
    body = models.TextField("terms", help_text="Plain English. One paragraph per term; a blank line between.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-number"]
        verbose_name_plural = "handover terms"
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="handover_terms_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=HandoverKind.values), name="handover_terms_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Handover terms are frozen once saved; add a new version instead")
        if self.number is None:
            last = HandoverTerms.objects.filter(kind=self.kind).order_by("-number").values_list("number", flat=True)
            self.number = (last.first() or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls, kind: str) -> "HandoverTerms | None":
        return cls.objects.filter(kind=kind).order_by("-number").first()

    @property
    def terms(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class Handover(models.Model):
    """Devices signed for at the branch. The terms version is frozen into it; so is who signed and how."""

    Kind = HandoverKind
    Signature = SignatureMethod

    reference = models.CharField(max_length=20, unique=True, editable=False)
    request = models.ForeignKey(CommunityRequest, on_delete=models.PROTECT, related_name="handovers")
    booking = models.ForeignKey(
        CollectionBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="branch")
    kind = models.CharField(max_length=4, choices=HandoverKind.choices)
    terms = models.ForeignKey(HandoverTerms, on_delete=models.PROTECT, related_name="handovers")
    idempotency_key = models.UUIDField(unique=True, editable=False)
    performed_at = models.DateTimeField(default=timezone.now)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who signed for the organisation: personal data, forgotten with the request's contact.
    signed_by_name = models.CharField("signed by", max_length=120)
    signed_by_role = models.CharField("their role", max_length=100, blank=True)
    signature_method = models.CharField(max_length=10, choices=SignatureMethod.choices)
    signature_png = models.BinaryField(null=True, blank=True, editable=False)
    connectivity = models.JSONField(
        "SIMs and data vouchers", default=list, blank=True, help_text="What went with the devices, one line each."
    )
    accessories = models.JSONField(default=list, blank=True, help_text="Anything else handed over.")

    class Meta:
        ordering = ["-performed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HandoverKind.values), name="handover_kind_valid"),
            models.CheckConstraint(
                condition=Q(signature_method__in=SignatureMethod.values), name="handover_signature_method_valid"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("matching:handover-detail", args=[self.reference])

    @property
    def is_gift(self) -> bool:
        return self.kind == HandoverKind.GIFT

    @property
    def signed_on_screen(self) -> bool:
        return self.signature_method == SignatureMethod.DRAWN

    @property
    def signed_on_paper(self) -> bool:
        return self.signature_method == SignatureMethod.PAPER

    @property
    def kind_word(self) -> str:
        return "gift" if self.is_gift else "long-term loan"

    @property
    def performed_on(self) -> datetime.date:
        return timezone.localdate(self.performed_at)
