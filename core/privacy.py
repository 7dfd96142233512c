"""Personal data on a need-to-know basis: every look at a person's record is written down.

`log_access` is called by the pages, API endpoints, exports and erasures that show or touch a record
holding personal data (a borrower, a request's contact). It records the record's type and id, never its
contents, so the log itself holds nothing personal.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AccessAction, AccessChannel, PersonalDataAccess


def _entry(actor, subject: models.Model, action: str, channel: str, what: str) -> PersonalDataAccess:
    return PersonalDataAccess(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        action=action,
        channel=channel,
        what=what[:100],
    )


def log_access(
    *,
    actor,
    subject: models.Model,
    action: str = AccessAction.VIEW,
    channel: str = AccessChannel.PAGE,
    what: str = "",
) -> PersonalDataAccess:
    """Record that `actor` looked at (or changed, exported, erased) `subject`'s personal data."""
    entry = _entry(actor, subject, action, channel, what)
    entry.save()
    return entry


def log_access_many(
    *,
    actor,
    subjects: Iterable[models.Model],
    action: str = AccessAction.VIEW,
    channel: str = AccessChannel.PAGE,
    what: str = "",
) -> int:
    """`log_access` for a whole page of records (a list or an API page) in one insert."""
    rows = [_entry(actor, subject, action, channel, what) for subject in subjects]
    PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


def accesses_of(subject: models.Model):
    """Every logged look at `subject`, newest first: part of a subject-access export."""
    return PersonalDataAccess.objects.of(subject).select_related("actor")
