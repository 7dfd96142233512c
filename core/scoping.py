"""Branch scoping: which sites' records a member of staff may see or act for.

Staff reach their sites through `user.sites` (the staff of each `reuse.Site`). Who reaches every site
is decided here, once; each app applies it to its own querysets through `scoped` (reuse's
`Site.objects.visible_to(user)` and `Device.objects.visible_to(user)`, lending's desk branches), so
core needs no app's models.
"""

from django.db.models import QuerySet

from core.roles import ADMIN, COORDINATOR, IT, has_role

# Roles that see every site's devices: IT moves them between sites, coordinators match them anywhere.
SEES_EVERY_SITE = (IT, COORDINATOR, ADMIN)
# Roles that act for every branch at the desk; desk staff act only for their own branches.
ACTS_FOR_EVERY_BRANCH = (ADMIN,)


def reaches_every_site(user, roles: tuple[str, ...] = SEES_EVERY_SITE) -> bool:
    return has_role(user, *roles)


def scoped(queryset: QuerySet, user, *, site_field: str, roles: tuple[str, ...] = SEES_EVERY_SITE) -> QuerySet:
    """`queryset` cut down to the rows whose `site_field` is one of `user`'s sites, unless one of `roles`
    reaches every site. `site_field` is "pk" for a queryset of sites themselves."""
    if reaches_every_site(user, roles):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{site_field}__in": user.sites.all()})
