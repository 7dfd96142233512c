import os

from config.env import stop_on_bad_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

with stop_on_bad_settings():
    from django.core.asgi import get_asgi_application

    application = get_asgi_application()
