"""Staff roles. Each is a Django group; its permissions are kept in step with ROLE_PERMISSIONS after
every migrate, so a new model's permissions reach the right people without a hand-written migration.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

IT = "IT technician"
DESK = "Library desk"
COORDINATOR = "Coordinator"
ADMIN = "Administrator"
ROLES = (IT, DESK, COORDINATOR, ADMIN)

# "app_label.codename" or "app_label.*" (every permission of the app). Unknown codenames are ignored,
# so an entry may name a model that a later migration adds.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    IT: [
        "reuse.view_site",
        "reuse.view_device",
        "reuse.add_device",
        "reuse.change_device",
        "reuse.view_storagemedium",
        "reuse.add_storagemedium",
        "reuse.change_storagemedium",
        "reuse.view_custodyevent",
        "reuse.view_evidence",
        "reuse.add_evidence",
        "reuse.view_sanitisationrecord",
        "reuse.add_sanitisationrecord",
        "reuse.view_resetchecklist",
        "reuse.add_resetchecklist",
        # Second-person sign-off writes the verifier onto a wipe record or reset checklist.
        "reuse.change_sanitisationrecord",
        "reuse.change_resetchecklist",
        "reuse.view_certificate",
        "reuse.add_certificate",
        "reuse.view_certificateentry",
        "reuse.view_disposalbatch",
        "reuse.add_disposalbatch",
        "reuse.change_disposalbatch",
        "reuse.view_disposalitem",
        "reuse.view_labeltemplate",
        "reuse.view_printer",
        "reuse.view_labeljob",
        "reuse.add_labeljob",
        "reuse.view_preprintedtag",
        "reuse.add_preprintedtag",
    ],
    DESK: ["reuse.view_site", "reuse.view_device", "reuse.view_custodyevent", "lending.*"],
    COORDINATOR: ["reuse.view_site", "reuse.view_device", "matching.*"],
    ADMIN: [
        "core.view_personaldataaccess",
        "reuse.*",
        "lending.*",
        "matching.*",
        "api.view_apitoken",
        "api.add_apitoken",
        "api.change_apitoken",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        # What the task worker did and when it runs next, to see, never to change: a schedule names the
        # function the worker calls, so whoever writes one runs code on the server (core.admin keeps
        # schedules read-only for everyone).
        "django_q.view_schedule",
        "django_q.view_success",
        "django_q.view_failure",
        "axes.*",
    ],
}


def staff_name(user) -> str:
    """How a member of staff is named on pages and PDFs: their full name, else their user name."""
    return user.get_full_name() or user.username


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_relay_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names |= set(ROLES)
        user._relay_roles = names
    return user._relay_roles


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def role_required(*roles: str):
    """View decorator: signed in, and holding one of `roles` (administrators always pass)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles, ADMIN):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def sync_role_groups(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for role, entries in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for entry in entries:
            app_label, codename = entry.split(".", 1)
            qs = Permission.objects.filter(content_type__app_label=app_label)
            perms += list(qs if codename == "*" else qs.filter(codename=codename))
        group.permissions.set(perms)


def wants_admin_site(user) -> bool:
    """Whether `user` may use the Django admin: superusers and the Administrator role, nobody else."""
    if user.is_superuser:
        return True
    if user.pk is None:
        return False
    return user.groups.filter(name=ADMIN).exists()


def sync_staff_flag(user) -> bool:
    """Put `user.is_staff` right from their roles (in the database too, if it was wrong); return it."""
    from django.contrib.auth.models import User

    wanted = user.is_active and wants_admin_site(user)
    if user.is_staff != wanted:
        if user.pk is not None:
            User.objects.filter(pk=user.pk).update(is_staff=wanted)
        user.is_staff = wanted
    return wanted


def staff_follows_roles(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of a user: `is_staff` is never saved other than as the roles say, whoever saves it. (A save
    of other fields only, such as the last sign-in, leaves it to `sync_staff_flag`.)"""
    if not raw and (update_fields is None or "is_staff" in update_fields):
        instance.is_staff = instance.is_active and wants_admin_site(instance)


def sync_staff_at_login(sender, request, user, **kwargs):
    sync_staff_flag(user)


def sync_admin_site_access(sender, instance, action, **kwargs):
    """Groups changed (from either side): `is_staff` follows."""
    from django.contrib.auth.models import User

    if action == "pre_clear" and not isinstance(instance, User):
        instance._relay_cleared_users = list(instance.user_set.all())  # after the clear they are gone
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, User):
        users = [instance]
    else:
        users = [*instance.user_set.all(), *getattr(instance, "_relay_cleared_users", [])]
    for user in users:
        sync_staff_flag(user)
