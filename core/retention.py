"""The retention schedule: each app registers what personal data it keeps and when it is due to go.

An app that stores personal data registers a `RetentionRule` in its `AppConfig.ready()`. The daily
retention task and `manage.py apply_retention` walk the registered rules: `due(now)` says which records'
personal data has reached the end of its retention period, and `anonymise(record)` forgets it (inside
a transaction), leaving the record's non-personal facts (loans, figures) in place.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


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
