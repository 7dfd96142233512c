"""`{{ user|staff_name }}` on every page (a template builtin): `core.roles.staff_name`, or "" for nobody."""

from django import template

from core.roles import staff_name as name_of

register = template.Library()


@register.filter
def staff_name(user) -> str:
    return name_of(user) if user is not None else ""


@register.filter
def duration(delta) -> str:
    """A timedelta as people say it: "15 minutes", "1 hour", "2 hours 30 minutes", "1 day"."""
    if delta is None:
        return ""
    minutes = max(1, round(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)
