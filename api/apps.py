from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API: tokens for other systems"

    def ready(self):
        from api import schema  # noqa: F401 - registers the Bearer token scheme with drf-spectacular
