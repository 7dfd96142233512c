from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LendingConfig(AppConfig):
    name = "lending"
    verbose_name = "Lending: borrowers and loans"

    def ready(self):
        from core import retention
        from lending import receivers
        from lending.services.privacy import BORROWER_RETENTION
        from reuse.signals import device_changed

        retention.register(BORROWER_RETENTION)
        from lending.timeline import register_providers

        register_providers()
        device_changed.connect(receivers.device_changed, dispatch_uid="lending-fill-holds")
        post_migrate.connect(receivers.ensure_defaults, sender=self, dispatch_uid="lending-defaults")
