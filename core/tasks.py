"""Background tasks, queued once the transaction that asked for them has committed.

Tasks take primary keys (never personal data) and call a service. Queuing after commit means a
worker never looks for a row that is not there yet, and a rolled-back action queues nothing.
"""

from django.conf import settings
from django.db import transaction


def on_commit_task(func: str, *args, inline: bool = False, **options) -> None:
    """Queue django-q2 task `func` (its dotted path, e.g. "lending.tasks.email_agreement") with `args`
    once the current transaction commits; straight away outside a transaction.

    With `inline`, or with the TASKS_SYNC setting on (tests, one-off scripts), the task runs in this
    process instead of on a worker. `options` go to `async_task` (e.g. `task_name`).
    """

    def queue():
        from django_q.tasks import async_task

        async_task(func, *args, sync=settings.TASKS_SYNC or inline, **options)

    transaction.on_commit(queue)


def retention_apply() -> int:
    """Daily: anonymise the personal data whose retention period has ended (core.retention); how many went."""
    from core.retention import retention_apply as apply

    return sum(result.count for result in apply(channel="command"))
