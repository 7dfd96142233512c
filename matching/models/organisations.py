"""Community organisations: verified once by a coordinator, then every later request from them is linked."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

__all__ = ["Organisation", "OrganisationKind", "organisation_name_key"]

# Words that do not tell two organisations apart ("The Food Bank Ltd" is "Food Bank").
NOISE_WORDS = {"the", "ltd", "limited", "cic", "cio", "charity", "trust", "inc", "plc", "and"}


def organisation_name_key(name: str) -> str:
    """How names are compared when a request names its organisation: case, punctuation, '&' and the
    legal-form words ignored."""
    words = re.sub(r"[^\w\s]", " ", (name or "").casefold().replace("&", " and ")).split()
    return " ".join(word for word in words if word not in NOISE_WORDS)[:150]


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", "Registered charity"
    COMMUNITY = "community", "Community or voluntary group"
    CIC = "cic", "Community interest company"
    FAITH = "faith", "Faith group"
    EDUCATION = "education", "School, college or university"
    HOUSING = "housing", "Housing association"
    PUBLIC = "public", "Public service (NHS, council team)"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def matching(self, *, name: str, charity_number: str = "", company_number: str = ""):
        """Organisations a new request's details point at: the same charity or company number, else the
        same name (as `organisation_name_key` reads it)."""
        numbers = Q()
        if charity_number:
            numbers |= Q(charity_number=charity_number)
        if company_number:
            numbers |= Q(company_number=company_number)
        if numbers:
            found = self.filter(numbers)
            if found.exists():
                return found
        return self.filter(name_key=organisation_name_key(name))

    def verified(self):
        return self.filter(verified_at__isnull=False)


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    kind = models.CharField("type", max_length=12, choices=OrganisationKind.choices)
    charity_number = models.CharField(max_length=12, blank=True, db_index=True)
    company_number = models.CharField(max_length=8, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.CharField(
        max_length=300, blank=True, help_text="How it was checked, e.g. 'Charity Commission register, 3 March'."
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = organisation_name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def numbers(self) -> str:
        parts = [
            f"charity {self.charity_number}" if self.charity_number else "",
            self.company_number and f"company {self.company_number}",
        ]
        return ", ".join(p for p in parts if p)
