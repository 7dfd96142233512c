"""Sanitisation evidence: the wipe tool's report, a wipe record per drive, a reset checklist per phone.

A record or checklist counts towards gate 1 only once a second technician has verified it
(`reuse.gates`); the separate-verifier rule and the "passing" filter are defined here, once.
"""

from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from reuse.models.devices import Device, DeviceStatus, StorageMedium

__all__ = ["Evidence", "SanitisationRecord", "ResetChecklist", "separate_verifier_required"]


def separate_verifier_required() -> bool:
    """SANITISATION_SEPARATE_VERIFIER: wipes and checklists are verified by someone other than their operator."""
    return settings.SANITISATION_SEPARATE_VERIFIER


class SignOffQuerySet(models.QuerySet):
    """Reads shared by wipe records and reset checklists: both wait for a second technician's sign-off."""

    def of_current_cycle(self):
        return self.filter(cycle=F("device__cycle"))

    def awaiting_sign_off(self):
        """Not verified yet, from the current intake cycle of a device that is still received."""
        return self.of_current_cycle().filter(device__status=DeviceStatus.RECEIVED, verified_by__isnull=True)

    def verifiable_by(self, user):
        """Those `user` may verify: the separate-verifier rule leaves out their own work (see `SignOff`)."""
        return self.exclude(operator=user) if separate_verifier_required() else self


class SignOff:
    """The separate-verifier rule for one row; `SignOffQuerySet.verifiable_by` is the same rule in SQL."""

    operator_id: int
    verified_by_id: int | None

    def is_own_work(self, user) -> bool:
        """True when `user` made this record and the rule says someone else must verify it."""
        return separate_verifier_required() and self.operator_id == user.pk

    def can_be_verified_by(self, user) -> bool:
        return self.verified_by_id is None and not self.is_own_work(user)


class SanitisationRecordQuerySet(SignOffQuerySet):
    def passing(self):
        """Passed, with a verification that passed, signed off by a second technician: what gate 1 counts.
        `SanitisationRecord.is_passing` is the same test on one row."""
        passed = SanitisationRecord.Result.PASSED
        return self.filter(result=passed, verification_result=passed, verified_by__isnull=False)

    def confirmable(self):
        """The wipe and the tool's own verification both passed: a second technician may confirm it."""
        passed = SanitisationRecord.Result.PASSED
        return self.filter(result=passed, verification_result=passed)

    def verification_queue(self, user):
        """The wipes waiting for `user`'s sign-off, oldest first."""
        return self.awaiting_sign_off().confirmable().verifiable_by(user).order_by("ended_at")


class ResetChecklistQuerySet(SignOffQuerySet):
    def all_items_ticked(self):
        return self.filter(**ResetChecklist.ALL_TICKED)

    def verification_queue(self, user):
        """The complete checklists waiting for `user`'s sign-off, oldest first."""
        return self.awaiting_sign_off().all_items_ticked().verifiable_by(user).order_by("completed_at")


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


class WipeResult(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


class SanitisationRecord(SignOff, models.Model):
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

    Result = WipeResult

    class Standard(models.TextChoices):
        NIST_R1 = "nist-800-88-r1", "NIST SP 800-88 Rev. 1"
        NIST_R2 = "nist-800-88-r2", "NIST SP 800-88 Rev. 2"
        IEEE_2883 = "ieee-2883", "IEEE 2883-2022"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="sanitisations")
    medium = models.ForeignKey(
        StorageMedium, null=True, blank=True, on_delete=models.PROTECT, related_name="sanitisations"
    )
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
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    standard = models.CharField(max_length=20, choices=Standard.choices, default=Standard.NIST_R1)
    evidence = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SanitisationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-ended_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=F("started_at")), name="sanitisation_ends_after_start"),
            models.CheckConstraint(condition=Q(result__in=WipeResult.values), name="sanitisation_result_valid"),
        ]

    def __str__(self):
        return f"{self.device.asset_tag} {self.get_technique_display()} {self.result}"

    @property
    def is_confirmable(self) -> bool:
        """`SanitisationRecordQuerySet.confirmable` on one row."""
        return self.result == self.Result.PASSED and self.verification_result == self.Result.PASSED

    @property
    def is_passing(self) -> bool:
        """`SanitisationRecordQuerySet.passing` on one row."""
        return self.is_confirmable and self.verified_by_id is not None


class ResetChecklist(SignOff, models.Model):
    """A phone, tablet or hotspot's reset, checked item by item (stands in for a drive wipe)."""

    ITEMS = ("encryption_on", "factory_reset", "activation_lock_removed", "sim_removed", "sd_removed")
    ALL_TICKED = dict.fromkeys(ITEMS, True)

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="reset_checklists")
    cycle = models.PositiveIntegerField()
    encryption_on = models.BooleanField("encryption was on before the reset", default=False)
    factory_reset = models.BooleanField("factory reset done", default=False)
    activation_lock_removed = models.BooleanField("activation lock / FRP removed", default=False)
    sim_removed = models.BooleanField("SIM removed", default=False)
    sd_removed = models.BooleanField("SD card removed (or none fitted)", default=False)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    objects = ResetChecklistQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self):
        return f"{self.device.asset_tag} reset checklist ({'complete' if self.is_complete else 'incomplete'})"

    @property
    def is_complete(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS) and self.verified_by_id is not None

    @property
    def missing_items(self) -> list[str]:
        return [
            str(cast(models.Field, self._meta.get_field(item)).verbose_name)
            for item in self.ITEMS
            if not getattr(self, item)
        ]
