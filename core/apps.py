from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


class CoreConfig(AppConfig):
    """What every app uses: an app for its template tags, `seed_demo`, the role sync and its one table, the
    personal-data access log."""

    name = "core"
    verbose_name = "Relay core"

    def ready(self):
        from django.contrib.auth.models import User

        from core.roles import sync_admin_site_access, sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="relay-sync-role-groups")
        m2m_changed.connect(sync_admin_site_access, sender=User.groups.through, dispatch_uid="relay-admin-access")
