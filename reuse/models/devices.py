"""Devices, their drives and their custody record.

A device has one stored `status`. Only `reuse.services.device_transition` changes it, and every change
appends a `CustodyEvent` in the same transaction. Events are chained per device by HMAC-SHA256 under a key
kept outside the database (reuse.chain), so that `verify_audit` can tell when a row was altered, removed
or rewritten; the database itself refuses to update or delete them (triggers, migration 0007).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.scoping import scoped
from reuse.chain import event_payload, keyed_hash
from reuse.models.sites import Site

__all__ = [
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
    "join_known",
    "luhn_valid",
    "validate_imei",
    "label_url",
]


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
WIPED_STATUSES = frozenset(
    {
        DeviceStatus.SANITISED,
        DeviceStatus.REPAIR,
        DeviceStatus.READY,
        DeviceStatus.RESERVED,
        DeviceStatus.ON_LOAN,
        DeviceStatus.GIFTED,
    }
)
FINAL_STATUSES = frozenset({DeviceStatus.GIFTED, DeviceStatus.RECYCLED, DeviceStatus.DESTROYED})


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", "Laptop"
    DESKTOP = "desktop", "Desktop"
    TABLET = "tablet", "Tablet"
    PHONE = "phone", "Phone"
    HOTSPOT = "hotspot", "Mobile hotspot"
    OTHER = "other", "Other"


# Devices wiped by an encrypted factory reset and a checklist, not by overwriting each drive.
RESET_KINDS = frozenset({DeviceKind.PHONE, DeviceKind.TABLET, DeviceKind.HOTSPOT})


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
        """Ready, with the wipe of this intake cycle standing (gate 2): `Device.is_lendable` on one row."""
        return self.filter(status=DeviceStatus.READY, sanitised_cycle=F("cycle"))

    def received_lots(self):
        """Received devices that came in as part of a lot (the batch worklist offers their lots)."""
        return self.filter(status=DeviceStatus.RECEIVED).exclude(lot="").order_by("lot")

    def visible_to(self, user):
        """The devices `user` may see: every one for IT, coordinators and administrators; desk staff see
        those at their own sites."""
        return scoped(self, user, site_field="site")


def join_known(*parts: str) -> str:
    """The parts that are known, comma separated: never ", 8 GB" or a trailing comma."""
    return ", ".join(part for part in parts if part)


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
    updates_until = models.DateField(
        "security updates until",
        null=True,
        blank=True,
        help_text="When its operating system stops getting security updates. Leave blank to fill it from the "
        "table of operating systems and models (administration: security support periods).",
    )
    has_charger = models.BooleanField("charger", default=False)
    has_case = models.BooleanField("case", default=False)
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    source_department = models.CharField(max_length=100, blank=True)
    lot = models.CharField("lot / batch", max_length=50, blank=True, db_index=True)
    notes = models.TextField(blank=True)

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="devices")
    status = models.CharField(
        max_length=12, choices=DeviceStatus.choices, default=DeviceStatus.RECEIVED, editable=False
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # Each entry into `received` starts a new intake cycle; wipes count only for the cycle they were
    # made in, and `sanitised_cycle` records the cycle whose wipe passed gate 1.
    cycle = models.PositiveIntegerField(default=1, editable=False)
    sanitised_cycle = models.PositiveIntegerField(null=True, blank=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        indexes = [
            models.Index(fields=["status", "site"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["serial"]),
            # The inventory's pages: a status (and a type) walked in asset tag order, or by serial number,
            # so a page of 100 reads about 100 index entries instead of sorting every match.
            models.Index(fields=["status", "asset_tag"], name="device_status_tag"),
            models.Index(fields=["status", "kind", "asset_tag"], name="device_status_kind_tag"),
            models.Index(fields=["status", "serial"], name="device_status_serial"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeviceStatus.values), name="device_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=DeviceKind.values), name="device_kind_valid"),
            models.CheckConstraint(
                condition=(
                    ~Q(status__in=sorted(WIPED_STATUSES)) | Q(sanitised_cycle__isnull=False, sanitised_cycle=F("cycle"))
                ),
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

    @property
    def is_lendable(self) -> bool:
        return self.status == DeviceStatus.READY and self.wipe_stands

    @property
    def specification(self) -> str:
        """What it is made of, in words, leaving out what is not known: "Intel i5, 8 GB RAM, 256 GB NVMe SSD"
        or "8 GB RAM"; "" when nothing is."""
        storage = ""
        if self.storage_gb:
            storage = f"{self.storage_gb} GB {self.get_storage_type_display() if self.storage_type else 'storage'}"
        return join_known(self.cpu.strip(), f"{self.ram_gb} GB RAM" if self.ram_gb else "", storage)

    @property
    def operating_system(self) -> str:
        return " ".join(part for part in (self.os_name.strip(), self.os_version.strip()) if part)


class StorageMedium(models.Model):
    """One drive or flash store in a device; each needs its own sanitisation record."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField("type", max_length=10, choices=StorageType.choices)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=100, blank=True)
    serial = models.CharField("serial number", max_length=80, blank=True, db_index=True)
    capacity_gb = models.PositiveIntegerField("capacity (GB)", null=True, blank=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the drive is taken out (destroyed or replaced)."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        parts = [self.get_kind_display(), self.make, self.model, self.serial]
        return " ".join(p for p in parts if p)

    @property
    def description(self) -> str:
        """ "SATA SSD Samsung 870 EVO, 256 GB", "Samsung, 256 GB" without a model, "SATA SSD" alone."""
        name = " ".join(part for part in (self.get_kind_display(), self.make.strip(), self.model.strip()) if part)
        return join_known(name, f"{self.capacity_gb} GB" if self.capacity_gb else "")


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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    reason = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, default="", help_text="Which audit key chained this event (AUDIT_KEY_ID).")

    objects = CustodyEventQuerySet.as_manager()

    class Meta:
        ordering = ["device_id", "seq"]
        # How many devices became ready lately (a community request's estimated wait) reads a date range.
        indexes = [models.Index(fields=["to_status", "at"], name="custody_event_status_at")]
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
        return event_payload(
            device_id=self.device_id,
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            site_id=self.site_id,
            from_status=self.from_status,
            to_status=self.to_status,
            reason=self.reason,
            prev_hash=self.prev_hash,
            key_id=self.key_id,
        )

    def compute_hash(self) -> str:
        """The event's keyed hash under the key its `key_id` names (the current key for a new event).
        KeyError if this server does not hold that key."""
        if not self.key_id:
            self.key_id = settings.AUDIT_KEY_ID
        return keyed_hash(settings.AUDIT_KEYS[self.key_id], self.payload())

    @property
    def from_label(self) -> str:
        return DeviceStatus(self.from_status).label if self.from_status else "New"

    @property
    def to_label(self) -> str:
        return DeviceStatus(self.to_status).label
