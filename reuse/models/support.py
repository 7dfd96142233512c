"""How long devices keep getting security updates: a table administrators keep, by operating system and
version or by model family.

A device's `updates_until` is set at intake when the technician (or the CSV) knows it; otherwise it is
filled from the most specific row of this table that matches the device. The matching engine honours a
request's "security updates until at least" minimum with it; an unknown date fails any such minimum.
"""

from django.core.exceptions import ValidationError
from django.db import models

__all__ = ["SupportWindow", "support_tokens"]


def support_tokens(text: str) -> frozenset[str]:
    """The words of a version or model name, for matching: case and punctuation between words ignored."""
    cleaned = "".join(ch if ch.isalnum() or ch in ".()" else " " for ch in (text or "").casefold())
    return frozenset(cleaned.replace("(", " ").replace(")", " ").split())


class SupportWindow(models.Model):
    """One line of the table: devices running `os_name` (and, if given, a version or a make and model
    family) get security updates until `updates_until`. Blank version or model family: any."""

    os_name = models.CharField(
        "operating system", max_length=60, help_text="As recorded on devices, e.g. Windows, ChromeOS, iOS, Android."
    )
    os_version = models.CharField(
        "OS version",
        max_length=40,
        blank=True,
        help_text="Words the device's OS version must contain, e.g. “11 24H2” or “10”. Blank: any version.",
    )
    make = models.CharField(max_length=60, blank=True, help_text="For a model family, e.g. Apple. Blank: any make.")
    model_family = models.CharField(
        max_length=100,
        blank=True,
        help_text="Words the device's model must contain, e.g. “iPhone SE (2nd generation)”. Blank: any model.",
    )
    updates_until = models.DateField("security updates until")
    source = models.CharField(max_length=300, help_text="Where the date comes from (a URL), so it can be checked.")
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["os_name", "make", "model_family", "os_version"]
        verbose_name = "security support period"
        verbose_name_plural = "security support periods"
        constraints = [
            models.UniqueConstraint(
                fields=["os_name", "os_version", "make", "model_family"], name="support_window_unique"
            ),
        ]

    def __str__(self):
        what = " ".join(p for p in (self.make, self.model_family, self.os_name, self.os_version) if p)
        return f"{what}: updates until {self.updates_until:%d/%m/%Y}"

    def clean(self):
        if self.make and not self.model_family:
            raise ValidationError({"model_family": "Give the model family as well as the make."})

    def specificity(self) -> tuple[int, int, int]:
        """Which of several matching rows wins: a model family over an OS version, more words over fewer."""
        return (len(support_tokens(self.model_family)), len(support_tokens(self.os_version)), bool(self.make))

    def matches(self, *, make: str, model: str, os_name: str, os_version: str) -> bool:
        if support_tokens(self.os_name) != support_tokens(os_name):
            return False
        if self.make and support_tokens(self.make) != support_tokens(make):
            return False
        return support_tokens(self.model_family) <= support_tokens(model) and support_tokens(
            self.os_version
        ) <= support_tokens(os_version)
