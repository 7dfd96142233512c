"""Disposal batches: devices handed to a recycler in one collection, with the paperwork the law asks for."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reuse.models.devices import Device

__all__ = ["DisposalBatch", "DisposalItem"]


class DisposalMethod(models.TextChoices):
    RECYCLE = "recycled", "Recycle"
    DESTROY = "destroyed", "Destroy"


class DisposalBatch(models.Model):
    """Devices handed to a recycler in one collection, with the paperwork the law asks for."""

    Method = DisposalMethod

    reference = models.CharField(max_length=30, unique=True, editable=False)
    method = models.CharField(max_length=10, choices=Method.choices)
    recycler = models.CharField("recycler", max_length=200)
    waste_transfer_note = models.CharField("waste transfer note reference", max_length=100)
    destruction_certificate = models.CharField("certificate of destruction reference", max_length=100, blank=True)
    collected_on = models.DateField("collection date", default=timezone.localdate)
    notes = models.TextField(blank=True)
    devices: "models.ManyToManyField[Device, DisposalItem]" = models.ManyToManyField(
        Device, through="DisposalItem", related_name="disposal_batches"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "disposal batches"
        constraints = [
            models.CheckConstraint(condition=Q(method__in=DisposalMethod.values), name="disposal_method_valid"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("reuse:disposal-detail", args=[self.reference])


class DisposalItem(models.Model):
    batch = models.ForeignKey(DisposalBatch, on_delete=models.PROTECT, related_name="items")
    # A device leaves the service once: recycled and destroyed are final statuses.
    device = models.OneToOneField(Device, on_delete=models.PROTECT, related_name="disposal_item")

    class Meta:
        ordering = ["device__asset_tag"]

    def __str__(self):
        return f"{self.batch_id}: {self.device_id}"
