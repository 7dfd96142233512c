"""`{{ user|staff_name }}` on every page (a template builtin): `core.roles.staff_name`, or "" for nobody."""

from django import template

from core.roles import staff_name as name_of

register = template.Library()


@register.filter
def staff_name(user) -> str:
    return name_of(user) if user is not None else ""
