from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API: tokens for other systems"
    # The Bearer token scheme is registered with drf-spectacular where the schema is served (api/urls.py),
    # not here: importing drf-spectacular costs every command (print_labels, migrate) most of a second.
