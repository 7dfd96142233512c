"""QR asset labels as data: label sizes, printers with their calibration, print jobs, pre-printed
tags and the QR codes already encoded.

Administrators add a label size in the Django admin; `reuse.labels.geometry.geometry_problems` is the
one check of whether its labels fit the page, used by `clean()` here and by every way of printing.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reuse.labels.geometry import geometry_problems, label_layout
from reuse.models.devices import Device
from reuse.models.sites import Site

__all__ = ["LabelTemplate", "Printer", "LabelJob", "PreprintedTag", "LabelCode", "asset_tag_from_scan", "parse_tags"]


def _mm(verbose_name: str, help_text: str = "", **kwargs):
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, help_text=help_text, **kwargs)


class LabelTemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class LabelTemplate(models.Model):
    """One label size: a sheet (or a continuous roll), how labels are laid out on it, what they show."""

    code = models.CharField(
        max_length=20, unique=True, help_text="Short upper-case code used on the command line, e.g. L7160."
    )
    name = models.CharField(max_length=100, help_text="What staff see when they choose a label size.")
    page_width_mm = _mm("page width (mm)", "A4 is 210 mm wide; a 62 mm roll is 62.")
    page_height_mm = _mm(
        "page height (mm)",
        "A4 is 297 mm. Leave empty for a continuous roll: each page is then "
        "cut after one sheet of labels, with the top margin above and below.",
        null=True,
        blank=True,
    )
    columns = models.PositiveSmallIntegerField(default=1, help_text="Labels across the page.")
    rows = models.PositiveSmallIntegerField(default=1, help_text="Labels down the page.")
    label_width_mm = _mm("label width (mm)")
    label_height_mm = _mm("label height (mm)")
    top_margin_mm = _mm("top margin (mm)", "From the top edge of the page to the top edge of the first row.")
    left_margin_mm = _mm("left margin (mm)", "From the left edge of the page to the left edge of the first column.")
    horizontal_pitch_mm = _mm(
        "horizontal pitch (mm)", "From the left edge of one label to the left edge of the next one across."
    )
    vertical_pitch_mm = _mm(
        "vertical pitch (mm)", "From the top edge of one label to the top edge of the next one down."
    )
    corner_radius_mm = _mm("corner radius (mm)", default=0)
    padding_mm = _mm(
        "inner margin (mm)",
        "Blank space kept inside each label's edge, so a slightly "
        "misaligned sheet does not cut into the code or the text.",
        default=2,
    )
    show_tag = models.BooleanField("show the asset tag", default=True)
    show_service_name = models.BooleanField("show the service and council name", default=True)
    show_type_model = models.BooleanField("show the device type and model", default=False)
    active = models.BooleanField(default=True, help_text="Untick to stop offering this size without deleting it.")

    objects = LabelTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "label size"
        constraints = [
            models.CheckConstraint(condition=Q(columns__gte=1, rows__gte=1), name="label_template_counts_positive"),
            models.CheckConstraint(
                condition=Q(
                    page_width_mm__gt=0,
                    label_width_mm__gt=0,
                    label_height_mm__gt=0,
                    top_margin_mm__gte=0,
                    left_margin_mm__gte=0,
                    corner_radius_mm__gte=0,
                    padding_mm__gte=0,
                ),
                name="label_template_sizes_positive",
            ),
            models.CheckConstraint(
                condition=Q(page_height_mm__isnull=True) | Q(page_height_mm__gt=0),
                name="label_template_page_height_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = (self.code or "").strip().upper()
        if self.code and not re.fullmatch(r"[A-Z0-9][A-Z0-9_-]*", self.code):
            raise ValidationError({"code": "Use letters, digits, hyphens and underscores only."})
        errors: dict[str, list[str]] = {}
        for field, message in geometry_problems(self):
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    @property
    def is_roll(self) -> bool:
        return self.page_height_mm is None

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def layout(self, printer=None, *, tag_length: int = 10):
        return label_layout(
            self,
            offset_x=printer.offset_x_mm if printer else 0,
            offset_y=printer.offset_y_mm if printer else 0,
            tag_length=tag_length,
        )


class PrinterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Printer(models.Model):
    """A printer labels are sent to, with how far it shifts what it prints (found with a calibration page)."""

    name = models.CharField(max_length=60, unique=True, help_text="As staff know it, e.g. 'Depot laser'.")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="printers")
    default_template = models.ForeignKey(
        LabelTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="usual label size",
    )
    offset_x_mm = _mm("horizontal offset (mm)", "Positive moves everything right, negative left.", default=0)
    offset_y_mm = _mm("vertical offset (mm)", "Positive moves everything down, negative up.", default=0)
    notes = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    objects = PrinterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # A printer that is more than 2 cm out needs fixing, not a number typed in.
            models.CheckConstraint(
                condition=Q(offset_x_mm__gte=-20, offset_x_mm__lte=20, offset_y_mm__gte=-20, offset_y_mm__lte=20),
                name="printer_offsets_within_20mm",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.site})" if self.site_id else self.name

    def clean(self):
        for field in ("offset_x_mm", "offset_y_mm"):
            value = getattr(self, field)
            if value is not None and not -20 <= value <= 20:
                raise ValidationError({field: "Must be between -20 and 20 mm."})


class LabelJobStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Printing"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class LabelJob(models.Model):
    """A batch of labels rendered in the background; its PDF is kept for staff to download."""

    Status = LabelJobStatus

    class Kind(models.TextChoices):
        DEVICES = "devices", "Device labels"
        PREPRINTED = "preprinted", "Pre-printed labels"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DEVICES)
    template = models.ForeignKey(LabelTemplate, on_delete=models.PROTECT, related_name="+")
    printer = models.ForeignKey(Printer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    skip = models.PositiveSmallIntegerField(default=0)
    # Asset tags in print order. Tags are not personal data, and a list keeps the order staff chose.
    tags = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0, help_text="Labels drawn so far.")
    pages = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="labels/%Y/%m/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "label batch"
        verbose_name_plural = "label batches"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=LabelJobStatus.values), name="label_job_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=models.F("count")), name="label_job_progress_le_count"),
        ]

    def __str__(self):
        return f"Label job {self.pk}: {self.count} on {self.template.code}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def percent(self) -> int:
        return int(100 * self.progress / self.count) if self.count else 0


class PreprintedTag(models.Model):
    """An asset tag printed ahead of time, waiting to be stuck on a device at intake."""

    asset_tag = models.CharField(max_length=20, unique=True)
    job = models.ForeignKey(LabelJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    device = models.OneToOneField(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="preprinted_tag"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = "pre-printed tag"
        constraints = [
            models.CheckConstraint(
                condition=Q(device__isnull=True, claimed_at__isnull=True)
                | Q(device__isnull=False, claimed_at__isnull=False),
                name="preprinted_tag_claim_complete",
            ),
        ]

    def __str__(self):
        return self.asset_tag

    @property
    def is_claimed(self) -> bool:
        return self.device_id is not None


class LabelCode(models.Model):
    """A QR code encoded once, when its tag was issued, keyed by the URL it holds (so a new SITE_URL
    encodes afresh): the code's modules as PDF path operators (`reuse.labels.pdf.qr_path`)."""

    url = models.CharField(max_length=255, unique=True)
    path = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "encoded QR code"

    def __str__(self):
        return self.url


def asset_tag_from_scan(value: str) -> str:
    """The asset tag in what a scanner typed: a bare tag, or a label's whole `.../d/<TAG>` URL."""
    value = (value or "").strip()
    match = re.search(r"/d/([^/?#\s]+)/?(?:[?#].*)?$", value, flags=re.IGNORECASE)
    return (match.group(1) if match else value).upper()


def parse_tags(text: str) -> list[str]:
    """Tags typed or scanned into a box, one per line or separated by commas or spaces: in order, without
    repeats, each read with `asset_tag_from_scan` (so a label's whole URL will do)."""
    raw = text.replace(",", " ").split()
    return list(dict.fromkeys(asset_tag_from_scan(value) for value in raw if value.strip()))
