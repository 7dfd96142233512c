"""Follow-ups: FOLLOW_UP_DAYS after each handover the group is emailed a private link asking how many
people the devices reached and whether any are no longer needed. Answers feed the impact figures."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.tasks import on_commit_task
from matching.models import FollowUp, RequestEvent

MAX_PEOPLE = 100_000


def follow_ups_send_due(*, today=None) -> int:
    """Queue the email of every follow-up whose day has come (each once: `sent_at` is set here)."""
    sent = 0
    for follow_up in FollowUp.objects.due(today).select_related("request"):
        if follow_up.request.is_anonymised:
            FollowUp.objects.filter(pk=follow_up.pk).update(sent_at=timezone.now())  # nobody left to ask
            continue
        with transaction.atomic():
            if FollowUp.objects.filter(pk=follow_up.pk, sent_at__isnull=True).update(sent_at=timezone.now()) == 1:
                on_commit_task("matching.tasks.email_follow_up", follow_up.pk)
                sent += 1
    return sent


@transaction.atomic
def follow_up_answer(
    *, follow_up: FollowUp, people_reached: int, devices_in_use: int, devices_unneeded: int, comments: str = ""
) -> FollowUp:
    """The group's answer. Answered once: a second answer is refused (`already_answered`)."""
    handed = follow_up.handover.allocations.count()
    if not 0 <= people_reached <= MAX_PEOPLE:
        raise DomainError("people_out_of_range", f"Enter a number of people from 0 to {MAX_PEOPLE:,}.")
    if devices_in_use < 0 or devices_unneeded < 0 or devices_in_use + devices_unneeded > handed:
        raise DomainError(
            "devices_out_of_range", f"You were given {handed} device{'s' if handed != 1 else ''}: check the numbers."
        )
    updated = FollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
        answered_at=timezone.now(),
        people_reached=people_reached,
        devices_in_use=devices_in_use,
        devices_unneeded=devices_unneeded,
        comments=comments.strip()[:1000],
    )
    if updated != 1:
        raise DomainError("already_answered", "This follow-up has already been answered. Thank you.")
    follow_up.refresh_from_db()
    unneeded = f"; {devices_unneeded} no longer needed" if devices_unneeded else ""
    RequestEvent.objects.create(
        request=follow_up.request,
        kind=RequestEvent.Kind.FOLLOW_UP,
        text=f"{follow_up.days}-day follow-up answered: {people_reached} people reached{unneeded}.",
        public=True,
    )
    return follow_up
