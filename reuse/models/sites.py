"""Sites: the IT depot, library branches and community hubs, with the staff who work at each."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.scoping import ACTS_FOR_EVERY_BRANCH, scoped

__all__ = ["Site", "SiteClosure"]


class SiteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def branches(self):
        return self.filter(kind=Site.Kind.BRANCH)

    def visible_to(self, user):
        """The sites `user` may see: every one for IT, coordinators and administrators, else their own."""
        return scoped(self, user, site_field="pk")

    def desks_for(self, user):
        """The active branches `user` may act for at the library desk: their own (administrators: all)."""
        return scoped(self.active().branches(), user, site_field="pk", roles=ACTS_FOR_EVERY_BRANCH)


class SiteKind(models.TextChoices):
    DEPOT = "depot", "IT depot"
    BRANCH = "branch", "Library branch"
    HUB = "hub", "Community hub"


class Site(models.Model):
    """A place devices live: an IT depot, a library branch or a community hub."""

    Kind = SiteKind

    WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

    code = models.CharField(max_length=20, unique=True, help_text="Short upper-case code, e.g. CENTRAL")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    address = models.TextField(blank=True)
    opening_days = models.CharField(
        max_length=7,
        default="012345",
        help_text="Days the site is open, as digits: 0 is Monday, 6 is Sunday.",
    )
    active = models.BooleanField(default=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sites", blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SiteKind.values), name="site_kind_valid"),
            models.CheckConstraint(condition=Q(opening_days__regex=r"^[0-6]*$"), name="site_opening_days_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = self.code.strip().upper()
        if len(set(self.opening_days)) != len(self.opening_days):
            raise ValidationError({"opening_days": "Each day may appear once."})

    @property
    def open_weekday_names(self) -> list[str]:
        return [self.WEEKDAYS[int(d)] for d in sorted(self.opening_days)]

    def is_open_on(self, day: datetime.date) -> bool:
        return str(day.weekday()) in self.opening_days and not self.closures.filter(date=day).exists()

    def next_open_day(self, day: datetime.date) -> datetime.date:
        """The first day on or after `day` when the site is open (a due date must land on one)."""
        if not self.opening_days:
            return day
        closed = set(
            self.closures.filter(date__gte=day, date__lt=day + datetime.timedelta(days=60)).values_list(
                "date", flat=True
            )
        )
        for offset in range(60):
            candidate = day + datetime.timedelta(days=offset)
            if str(candidate.weekday()) in self.opening_days and candidate not in closed:
                return candidate
        return day


class SiteClosure(models.Model):
    """A day an otherwise open site is closed: bank holidays, staff training."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="site_closure_unique")]

    def __str__(self):
        return f"{self.site} closed {self.date:%d/%m/%Y}"
