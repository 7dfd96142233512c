"""reuse's post_migrate listener: the worker's schedules for reuse's own tasks."""

from core.schedules import Scheduled, ensure_schedules

SCHEDULES = [
    Scheduled("Forget unconfirmed CSV uploads", "reuse.tasks.intake_uploads_expire", "H"),
    # Late in the day, so the day's digest covers the day (each covers what changed since the one before).
    Scheduled("Publish the custody log's daily digest", "reuse.tasks.audit_digest_write", "D", hour=23),
]


def ensure_reuse_schedules(**kwargs):
    ensure_schedules(SCHEDULES)
