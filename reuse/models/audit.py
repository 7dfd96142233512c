"""The custody log's own record: the daily digests of every chain's head, and the one-off re-chaining.

Both are append-only like the events they vouch for (model methods here, database triggers in
migration 0007).
"""

from django.db import models
from django.urls import reverse

__all__ = ["AuditDigest", "CustodyRechain", "APPEND_ONLY_TABLES"]

# The tables whose rows the database itself refuses to update or delete (triggers named append_only_*).
APPEND_ONLY_TABLES = ("reuse_custodyevent", "reuse_auditdigest", "reuse_custodyrechain")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name_plural} are append-only")


class AuditDigest(AppendOnly):
    """One day's digest: the head (newest event) of every custody chain that grew since the digest before,
    signed with the audit key. Published at /open-data/audit/, so a copy lives outside the database: a
    history later cut short or rewritten no longer reaches a published head."""

    day = models.DateField(unique=True)
    made_at = models.DateTimeField(auto_now_add=True)
    last_event_id = models.PositiveBigIntegerField(help_text="Events written up to this one are covered.")
    chains = models.PositiveIntegerField(help_text="Chains that grew since the digest before (one head each).")
    events = models.PositiveIntegerField(help_text="Custody events in the whole log when it was made.")
    heads = models.TextField(help_text="One line per chain: asset tag, seq, hash.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the heads, as published.")
    signature = models.CharField(max_length=64, help_text="HMAC of the day and the heads under the audit key.")
    key_id = models.CharField(max_length=16)

    class Meta:
        ordering = ["-day"]
        get_latest_by = "day"

    def __str__(self):
        return f"Custody digest {self.day}"

    def get_absolute_url(self):
        return reverse("audit-digest-csv", args=[self.day.isoformat()])

    def head_rows(self) -> list[tuple[str, int, str]]:
        rows = []
        for line in self.heads.splitlines():
            tag, seq, digest = line.split(",")
            rows.append((tag, int(seq), digest))
        return rows


class CustodyRechain(AppendOnly):
    """When the plain SHA-256 history was chained again under an audit key (once, by migration 0007), and
    which chains did not verify before that: they stay flagged by `verify_audit`."""

    at = models.DateTimeField(auto_now_add=True)
    key_id = models.CharField(max_length=16)
    events = models.PositiveIntegerField()
    devices = models.PositiveIntegerField()
    broken_before = models.JSONField(default=list, help_text="Asset tags whose plain chain did not verify.")

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"Re-chained {self.events} events under key {self.key_id} at {self.at:%Y-%m-%d %H:%M}"
