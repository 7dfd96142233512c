"""CSV intake: an uploaded file kept between preview and confirmation, then the record of its import."""

import secrets

from django.conf import settings
from django.db import models

from reuse.models.sites import Site

__all__ = ["DeviceImport"]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DeviceImport(models.Model):
    """One CSV intake.

    While it is being previewed, the file itself is kept here (not on one web server's disk, so the
    confirmation may land on any host) under a random token that goes in the URL instead of anything
    from the file. The content is deleted once imported, cancelled or a day old (an hourly task clears
    uploads nobody confirmed): Snipe-IT exports carry staff names and email addresses, which Relay does
    not keep.
    """

    class DateFormat(models.TextChoices):
        UK = "uk", "UK: day/month/year (31/01/2025)"
        US = "us", "US: month/day/year (01/31/2025)"
        ISO = "iso", "ISO: year-month-day (2025-01-31)"

    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(null=True, editable=False)
    # The file parsed once at upload (reuse.intake.stored): the plan of the file alone, compressed, and
    # the summary the preview page shows once it was checked against the database.
    plan = models.BinaryField(null=True, editable=False)
    preview = models.JSONField(null=True, editable=False)
    format = models.CharField(max_length=10, blank=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    date_format = models.CharField(max_length=3, choices=DateFormat.choices, default=DateFormat.UK)
    lot = models.CharField("lot / batch", max_length=50, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    first_tag = models.CharField(max_length=20, blank=True)
    last_tag = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"Intake #{self.pk} {self.file_name}"
