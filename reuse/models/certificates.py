"""Certificates of sanitisation: what IT hands to information governance.

A certificate is issued once for the wipe evidence that stood when it was issued (the records and
checklists it names) and is looked up publicly only by a random token, never by its number or id.
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reuse.models.devices import Device
from reuse.models.sanitisation import ResetChecklist, SanitisationRecord

__all__ = ["Certificate", "CertificateEntry", "new_certificate_token"]


def new_certificate_token() -> str:
    """120 random bits in upper-case base32: unguessable, and all QR alphanumeric-mode characters."""
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii")


class Certificate(models.Model):
    """A certificate of sanitisation for one device, or for a batch of devices in one document."""

    number = models.CharField(max_length=30, unique=True, editable=False)
    token = models.CharField(max_length=32, unique=True, editable=False, default=new_certificate_token)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    devices: "models.ManyToManyField[Device, CertificateEntry]" = models.ManyToManyField(
        Device, through="CertificateEntry", related_name="certificates"
    )
    records = models.ManyToManyField(SanitisationRecord, related_name="certificates", blank=True)
    checklists = models.ManyToManyField(ResetChecklist, related_name="certificates", blank=True)
    # The PDF as issued, kept so that what was handed out can be shown again byte for byte.
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("reuse:certificate-detail", args=[self.number])

    @property
    def verify_url(self) -> str:
        """What the certificate's QR code holds. Upper-case token: a smaller QR code."""
        return f"{settings.SITE_URL}/verify/{self.token}"


class CertificateEntry(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="entries")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="certificate_entries")
    cycle = models.PositiveIntegerField(help_text="The intake cycle whose wipe the certificate covers.")
    # True on the one entry of a single-device certificate: at most one per device and cycle, so two
    # clicks at once cannot issue two numbers for the same wipe.
    single = models.BooleanField(default=False)
    # What the public verification page shows, frozen at issue (reuse.services.certificates.entry_snapshot):
    # the device and its wipes as they were certified, whatever has happened to the device since.
    snapshot = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["device__asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "device"], name="certificate_entry_unique"),
            models.UniqueConstraint(
                fields=["device", "cycle"], condition=Q(single=True), name="certificate_one_single_per_wipe"
            ),
        ]

    def __str__(self):
        return f"{self.certificate_id}: {self.device_id} cycle {self.cycle}"
