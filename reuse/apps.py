from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Reuse: devices, custody and sanitisation"

    def ready(self):
        from reuse.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="relay-sync-role-groups")
