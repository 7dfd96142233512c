"""Sites, devices and their custody record.

A device has one stored `status`. Only `reuse.services.device_transition` changes it, and every change
appends a `CustodyEvent` in the same transaction. Events are chained per device by SHA-256 so that
`verify_audit` can tell when a row was altered or removed.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

__all__ = [
    "Site",
    "SiteClosure",
    "DeviceStatus",
    "WIPED_STATUSES",
    "FINAL_STATUSES",
    "DeviceKind",
    "RESET_KINDS",
    "Grade",
    "StorageType",
    "Device",
    "StorageMedium",
    "CustodyEvent",
    "Evidence",
    "SanitisationRecord",
    "ResetChecklist",
    "luhn_valid",
    "validate_imei",
    "label_url",
    "Counter",
]


class SiteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def branches(self):
        return self.filter(kind=Site.Kind.BRANCH)


class Site(models.Model):
    """A place devices live: an IT depot, a library branch or a community hub."""

    class Kind(models.TextChoices):
        DEPOT = "depot", "IT depot"
        BRANCH = "branch", "Library branch"
        HUB = "hub", "Community hub"

    WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

    code = models.CharField(max_length=20, unique=True, help_text="Short upper-case code, e.g. CENTRAL")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    address = models.TextField(blank=True)
    opening_days = models.CharField(
        max_length=7,
        default="012345",
        help_text="Days the site is open, as digits: 0 is Monday, 6 is Sunday.",
    )
    active = models.BooleanField(default=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sites", blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["depot", "branch", "hub"]), name="site_kind_valid"),
            models.CheckConstraint(condition=Q(opening_days__regex=r"^[0-6]*$"), name="site_opening_days_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = self.code.strip().upper()
        if len(set(self.opening_days)) != len(self.opening_days):
            raise ValidationError({"opening_days": "Each day may appear once."})

    @property
    def open_weekday_names(self) -> list[str]:
        return [self.WEEKDAYS[int(d)] for d in sorted(self.opening_days)]

    def is_open_on(self, day: datetime.date) -> bool:
        return str(day.weekday()) in self.opening_days and not self.closures.filter(date=day).exists()

    def next_open_day(self, day: datetime.date) -> datetime.date:
        """The first day on or after `day` when the site is open (a due date must land on one)."""
        if not self.opening_days:
            return day
        closed = set(self.closures.filter(date__gte=day, date__lt=day + datetime.timedelta(days=60))
                     .values_list("date", flat=True))
        for offset in range(60):
            candidate = day + datetime.timedelta(days=offset)
            if str(candidate.weekday()) in self.opening_days and candidate not in closed:
                return candidate
        return day


class SiteClosure(models.Model):
    """A day an otherwise open site is closed: bank holidays, staff training."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="site_closure_unique")]

    def __str__(self):
        return f"{self.site} closed {self.date:%d/%m/%Y}"


class DeviceStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SANITISED = "sanitised", "Sanitised"
    REPAIR = "repair", "In repair"
    READY = "ready", "Ready for reuse"
    RESERVED = "reserved", "Reserved"
    ON_LOAN = "on_loan", "On loan"
    QUARANTINED = "quarantined", "Quarantined"
    LOST = "lost", "Lost"
    GIFTED = "gifted", "Gifted"
    RECYCLED = "recycled", "Recycled"
    DESTROYED = "destroyed", "Destroyed"


# Statuses a device can only hold while its current wipe stands (gate 1 passed in this intake cycle).
# Enforced by a CheckConstraint too, so even a raw UPDATE from the shell cannot skip the wipe.
WIPED_STATUSES = frozenset({"sanitised", "repair", "ready", "reserved", "on_loan", "gifted"})
FINAL_STATUSES = frozenset({"gifted", "recycled", "destroyed"})


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", "Laptop"
    DESKTOP = "desktop", "Desktop"
    TABLET = "tablet", "Tablet"
    PHONE = "phone", "Phone"
    HOTSPOT = "hotspot", "Mobile hotspot"
    OTHER = "other", "Other"


# Devices wiped by an encrypted factory reset and a checklist, not by overwriting each drive.
RESET_KINDS = frozenset({"phone", "tablet", "hotspot"})


class Grade(models.TextChoices):
    UNGRADED = "", "Not graded"
    A = "A", "A: as new"
    B = "B", "B: light wear"
    C = "C", "C: heavy wear, works"
    PARTS = "P", "For parts"


class StorageType(models.TextChoices):
    HDD = "hdd", "Hard disk (HDD)"
    SSD = "ssd", "SATA SSD"
    NVME = "nvme", "NVMe SSD"
    EMMC = "emmc", "eMMC / flash"
    OTHER = "other", "Other"


def label_url(tag: str) -> str:
    """What a QR label for `tag` holds. Printed labels are permanent: never change what this returns.

    Upper case keeps the code in QR's alphanumeric mode (a smaller version); the tag is no personal data.
    """
    return f"{settings.SITE_URL}/d/{tag.upper()}"


class DeviceQuerySet(models.QuerySet):
    def at_sites(self, sites):
        return self.filter(site__in=sites)

    def with_status(self, *statuses):
        return self.filter(status__in=statuses)

    def lendable(self):
        return self.filter(status=DeviceStatus.READY, sanitised_cycle=F("cycle"))


def luhn_valid(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_imei(value: str):
    if value and (len(value) != 15 or not luhn_valid(value)):
        raise ValidationError("Enter a 15-digit IMEI (the check digit does not match)", code="imei_invalid")


class Device(models.Model):
    asset_tag = models.CharField(max_length=20, unique=True, editable=False)
    council_asset_number = models.CharField("council asset number", max_length=50, blank=True, db_index=True)
    kind = models.CharField("type", max_length=10, choices=DeviceKind.choices)
    make = models.CharField(max_length=60)
    model = models.CharField(max_length=100)
    serial = models.CharField("serial number", max_length=60, blank=True)
    imei = models.CharField("IMEI", max_length=15, blank=True, validators=[validate_imei])

    cpu = models.CharField("CPU", max_length=100, blank=True)
    ram_gb = models.PositiveSmallIntegerField("RAM (GB)", null=True, blank=True)
    storage_gb = models.PositiveIntegerField("storage (GB)", null=True, blank=True)
    storage_type = models.CharField(max_length=10, choices=StorageType.choices, blank=True)
    os_name = models.CharField("operating system", max_length=60, blank=True)
    os_version = models.CharField("OS version", max_length=40, blank=True)
    tpm_version = models.CharField("TPM version", max_length=10, blank=True)
    battery_health_pct = models.PositiveSmallIntegerField("battery health (%)", null=True, blank=True)
    webcam = models.BooleanField(null=True, blank=True)
    has_charger = models.BooleanField("charger", default=False)
    has_case = models.BooleanField("case", default=False)
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    source_department = models.CharField(max_length=100, blank=True)
    lot = models.CharField("lot / batch", max_length=50, blank=True, db_index=True)
    notes = models.TextField(blank=True)

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="devices")
    status = models.CharField(max_length=12, choices=DeviceStatus.choices, default=DeviceStatus.RECEIVED,
                              editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # Each entry into `received` starts a new intake cycle; wipes count only for the cycle they were
    # made in, and `sanitised_cycle` records the cycle whose wipe passed gate 1.
    cycle = models.PositiveIntegerField(default=1, editable=False)
    sanitised_cycle = models.PositiveIntegerField(null=True, blank=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        indexes = [
            models.Index(fields=["status", "site"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["serial"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeviceStatus.values), name="device_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=DeviceKind.values), name="device_kind_valid"),
            models.CheckConstraint(
                condition=(~Q(status__in=sorted(WIPED_STATUSES))
                           | Q(sanitised_cycle__isnull=False, sanitised_cycle=F("cycle"))),
                name="device_wiped_status_needs_current_wipe",
            ),
            models.UniqueConstraint(fields=["serial"], condition=~Q(serial=""), name="device_serial_unique"),
            models.UniqueConstraint(fields=["imei"], condition=~Q(imei=""), name="device_imei_unique"),
        ]

    def __str__(self):
        return f"{self.asset_tag} {self.make} {self.model}"

    def get_absolute_url(self):
        return reverse("reuse:device-detail", args=[self.asset_tag])

    @property
    def label_url(self) -> str:
        return label_url(self.asset_tag)

    @property
    def needs_reset_checklist(self) -> bool:
        return self.kind in RESET_KINDS

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def wipe_stands(self) -> bool:
        return self.sanitised_cycle == self.cycle


class StorageMedium(models.Model):
    """One drive or flash store in a device; each needs its own sanitisation record."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField("type", max_length=10, choices=StorageType.choices)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=100, blank=True)
    serial = models.CharField("serial number", max_length=80, blank=True, db_index=True)
    capacity_gb = models.PositiveIntegerField("capacity (GB)", null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="Set when the drive is taken out (destroyed or replaced).")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        parts = [self.get_kind_display(), self.make, self.model, self.serial]
        return " ".join(p for p in parts if p)


class CustodyEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Custody events are append-only")

    def delete(self):
        raise TypeError("Custody events are append-only")


class CustodyEvent(models.Model):
    """One change of a device's status: who, when, where, from, to and why. Append-only."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    reason = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = CustodyEventQuerySet.as_manager()

    class Meta:
        ordering = ["device_id", "seq"]
        constraints = [
            # Two writers appending to one device at once cannot both win: the second gets an IntegrityError.
            models.UniqueConstraint(fields=["device", "seq"], name="custody_event_seq_unique"),
        ]

    def __str__(self):
        return f"{self.device_id} #{self.seq} {self.from_status or '-'} -> {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Custody events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Custody events are append-only")

    def payload(self) -> str:
        """The canonical text the hash covers. Ids and statuses only: no personal data."""
        return json.dumps(
            [
                self.device_id, self.seq, self.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
                self.actor_id, self.site_id, self.from_status, self.to_status, self.reason, self.prev_hash,
            ],
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()

    @property
    def from_label(self) -> str:
        return DeviceStatus(self.from_status).label if self.from_status else "New"

    @property
    def to_label(self) -> str:
        return DeviceStatus(self.to_status).label


class Evidence(models.Model):
    """A wipe tool's own report, kept byte for byte as uploaded, with its SHA-256."""

    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]})"


class SanitisationRecord(models.Model):
    """How one storage medium was wiped and checked, with the NIST SP 800-88 certificate fields."""

    class Category(models.TextChoices):
        CLEAR = "clear", "Clear"
        PURGE = "purge", "Purge"
        DESTROY = "destroy", "Destroy"

    class Technique(models.TextChoices):
        OVERWRITE = "overwrite", "Overwrite"
        BLOCK_ERASE = "block_erase", "Block erase"
        CRYPTO_ERASE = "crypto_erase", "Cryptographic erase"
        SANITIZE = "sanitize", "Sanitize command"
        FACTORY_RESET = "factory_reset", "Factory reset of an encrypted device"
        SHRED = "shred", "Shredding"

    class Result(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    class Standard(models.TextChoices):
        NIST_R1 = "nist-800-88-r1", "NIST SP 800-88 Rev. 1"
        NIST_R2 = "nist-800-88-r2", "NIST SP 800-88 Rev. 2"
        IEEE_2883 = "ieee-2883", "IEEE 2883-2022"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="sanitisations")
    medium = models.ForeignKey(StorageMedium, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="sanitisations")
    cycle = models.PositiveIntegerField(help_text="The device's intake cycle this wipe belongs to.")
    category = models.CharField(max_length=10, choices=Category.choices)
    technique = models.CharField(max_length=15, choices=Technique.choices)
    tool = models.CharField(max_length=60)
    tool_version = models.CharField(max_length=30, blank=True)
    rounds = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=6, choices=Result.choices)
    verification_method = models.CharField(max_length=100, blank=True)
    verification_result = models.CharField(max_length=6, choices=Result.choices, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    standard = models.CharField(max_length=20, choices=Standard.choices, default=Standard.NIST_R1)
    evidence = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ended_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=F("started_at")), name="sanitisation_ends_after_start"),
            models.CheckConstraint(condition=Q(result__in=["passed", "failed"]), name="sanitisation_result_valid"),
        ]

    def __str__(self):
        return f"{self.device.asset_tag} {self.get_technique_display()} {self.result}"

    @property
    def is_passing(self) -> bool:
        return (
            self.result == self.Result.PASSED
            and self.verification_result == self.Result.PASSED
            and self.verified_by_id is not None
        )


class ResetChecklist(models.Model):
    """A phone, tablet or hotspot's reset, checked item by item (stands in for a drive wipe)."""

    ITEMS = ("encryption_on", "factory_reset", "activation_lock_removed", "sim_removed", "sd_removed")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="reset_checklists")
    cycle = models.PositiveIntegerField()
    encryption_on = models.BooleanField("encryption was on before the reset", default=False)
    factory_reset = models.BooleanField("factory reset done", default=False)
    activation_lock_removed = models.BooleanField("activation lock / FRP removed", default=False)
    sim_removed = models.BooleanField("SIM removed", default=False)
    sd_removed = models.BooleanField("SD card removed (or none fitted)", default=False)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self):
        return f"{self.device.asset_tag} reset checklist ({'complete' if self.is_complete else 'incomplete'})"

    @property
    def is_complete(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS) and self.verified_by_id is not None

    @property
    def missing_items(self) -> list[str]:
        return [str(self._meta.get_field(item).verbose_name) for item in self.ITEMS if not getattr(self, item)]


class Counter(models.Model):
    """A named counter handed out in blocks (asset tags), safe with several writers at once."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"
