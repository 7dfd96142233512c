"""Follow-ups: a while after each handover (FOLLOW_UP_DAYS) the group is asked, through a private link,
how many people the devices reached and whether any are no longer needed. Answers feed the impact
figures (`FollowUp.objects.figures()`)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from matching.models.handovers import Handover
from matching.models.requests import CommunityRequest

__all__ = ["FollowUp"]


class FollowUpQuerySet(models.QuerySet):
    def due(self, today=None):
        """Not sent yet, and their day has come."""
        return self.filter(sent_at__isnull=True, due_on__lte=today or timezone.localdate())

    def answered(self):
        return self.filter(answered_at__isnull=False)

    def figures(self) -> dict:
        """Impact figures from the answers: people reached counts each handover's latest answer once."""
        latest: dict[int, tuple] = {}
        for handover_id, days, people, unneeded in self.answered().values_list(
            "handover_id", "days", "people_reached", "devices_unneeded"
        ):
            if handover_id not in latest or days > latest[handover_id][0]:
                latest[handover_id] = (days, people or 0, unneeded or 0)
        return {
            "answers": self.answered().count(),
            "handovers_answered": len(latest),
            "people_reached": sum(people for _days, people, _unneeded in latest.values()),
            "devices_unneeded": sum(unneeded for _days, _people, unneeded in latest.values()),
        }


class FollowUp(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="follow_ups")
    request = models.ForeignKey(CommunityRequest, on_delete=models.CASCADE, related_name="follow_ups")
    days = models.PositiveSmallIntegerField(help_text="Days after the handover.")
    due_on = models.DateField()
    token = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    devices_in_use = models.PositiveSmallIntegerField(null=True, blank=True)
    devices_unneeded = models.PositiveSmallIntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["sent_at", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["handover", "days"], name="follow_up_once_per_handover_and_day"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(people_reached__isnull=False),
                name="follow_up_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.days}-day follow-up of {self.handover_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
