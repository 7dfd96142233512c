"""The retention schedule: each app registers what personal data it keeps and when it is due to go.

An app that stores personal data registers a `RetentionRule` in its `AppConfig.ready()`. The daily
retention task and `manage.py apply_retention` walk the registered rules: `due(now)` says which records'
personal data has reached the end of its retention period, and `anonymise(record)` forgets it (inside
a transaction), leaving the record's non-personal facts (loans, figures) in place.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone


@dataclass(frozen=True)
class RetentionRule:
    name: str  # what the records are, in the plural, for people: "borrowers", "request contacts"
    period_setting: str  # the setting holding the retention period in days
    due: Callable[[datetime.datetime], models.QuerySet]  # records whose personal data is due at `now`
    anonymise: Callable[[models.Model], None]  # forget one record's personal data


_rules: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    """Add `rule` to the schedule (once per name: registering again replaces it)."""
    _rules[rule.name] = rule


def rules() -> tuple[RetentionRule, ...]:
    return tuple(_rules[name] for name in sorted(_rules))


@dataclass(frozen=True)
class RetentionResult:
    rule: str
    period_days: int
    count: int


def retention_apply(*, dry_run: bool = False, channel: str = "command", now: datetime.datetime | None = None):
    """Walk every rule: anonymise each record that is due, one transaction a record, log each erasure in the
    personal-data access log (by id) and record each rule's count. With `dry_run`, count only (the count is
    recorded too). Returns one RetentionResult a rule."""
    from core.models import AccessAction, RetentionRun
    from core.privacy import log_access

    now = now or timezone.now()
    results = []
    for rule in rules():
        period = getattr(settings, rule.period_setting)
        due = list(rule.due(now))
        if not dry_run:
            for record in due:
                with transaction.atomic():
                    rule.anonymise(record)
                    log_access(
                        actor=None, subject=record, action=AccessAction.ERASE, channel=channel, what="retention period"
                    )
        RetentionRun.objects.create(
            at=now, rule=rule.name, period_days=period, count=len(due), dry_run=dry_run, channel=channel
        )
        results.append(RetentionResult(rule.name, period, len(due)))
    if not dry_run:
        forget_freed_pages()
    return results


def forget_freed_pages() -> None:
    """Make what was overwritten unreadable in the database file itself. SQLite zeroes freed space as it
    goes (`PRAGMA secure_delete=ON`, set on every connection), but the old pages also sit in the WAL file
    until a checkpoint copies the new ones over and truncates it. PostgreSQL keeps old row versions until
    VACUUM: the README says what the operator runs."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:  # inside one, nothing is written yet
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
