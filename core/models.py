"""core's one table: the log of who looked at a person's record.

Personal data lives in its app's own tables (borrowers in lending, request contacts in matching). Each
view, change, export or erasure of such a record is logged here, by record type and id only, so the log
holds no personal data itself, answers "who has seen this person's record" for a subject-access request,
and stays after the record is anonymised.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    ERASE = "erase", "Erased"


class AccessChannel(models.TextChoices):
    PAGE = "page", "Staff pages"
    API = "api", "API"
    ADMIN = "admin", "Administration"
    COMMAND = "command", "Command line"


class PersonalDataAccessQuerySet(models.QuerySet):
    def of(self, subject: models.Model):
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class PersonalDataAccess(models.Model):
    """One look at (or change to) one person's record: who, when, how and which part. Append-only."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=AccessAction.choices, default=AccessAction.VIEW)
    channel = models.CharField(max_length=10, choices=AccessChannel.choices, default=AccessChannel.PAGE)
    what = models.CharField(max_length=100, blank=True, help_text="Which part of the record, e.g. 'full record'.")

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "personal data access"
        verbose_name_plural = "personal data accesses"
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AccessAction.values), name="access_action_valid"),
            models.CheckConstraint(condition=models.Q(channel__in=AccessChannel.values), name="access_channel_valid"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.subject_type.model} {self.subject_id} by {self.actor_id}"


class RetentionRun(models.Model):
    """One pass of the retention schedule over one rule: how many records' personal data it removed (or, in
    a dry run, would have). Counts only, never what was removed."""

    at = models.DateTimeField(default=timezone.now)
    rule = models.CharField(max_length=60, help_text="What the records are, e.g. 'borrowers'.")
    period_days = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    dry_run = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, choices=AccessChannel.choices, default=AccessChannel.COMMAND)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.rule}: {self.count} {'due' if self.dry_run else 'anonymised'} at {self.at:%Y-%m-%d %H:%M}"
