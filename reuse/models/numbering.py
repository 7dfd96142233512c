"""The counters `core.numbering` hands numbers out from (settings.RELAY_COUNTER_MODEL)."""

from django.db import models

__all__ = ["Counter"]


class Counter(models.Model):
    """A named counter handed out in blocks (asset tags), safe with several writers at once."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"
