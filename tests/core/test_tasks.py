"""`on_commit_task`: a task is queued only once its transaction commits, and never for a rolled-back one."""

import pytest
from django.db import transaction

from core.tasks import on_commit_task
from reuse.models import Counter

TASK = "tests.core.tasks_for_tests.mark"


def marks(name: str) -> int:
    return Counter.objects.filter(name=name).values_list("value", flat=True).first() or 0


def test_the_task_runs_after_the_commit_not_before(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        on_commit_task(TASK, "after-commit")
        assert marks("after-commit") == 0
    assert len(callbacks) == 1
    assert marks("after-commit") == 1


def test_a_rolled_back_transaction_queues_nothing(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        on_commit_task(TASK, "rolled-back")
        raise RuntimeError("the action failed")
    assert callbacks == []
    assert marks("rolled-back") == 0


def test_inline_runs_in_this_process_even_without_tasks_sync(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS_SYNC = False
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_task(TASK, "inline", inline=True)
    assert marks("inline") == 1
