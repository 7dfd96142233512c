import os
import sys

from config.env import stop_on_bad_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# A gunicorn worker that exits 1 is started again, for ever; exiting with gunicorn's "App failed to
# load" code makes its master stop too. With --preload the master itself stops, before it logs anything.
EXIT_CODE = 4 if "gunicorn" in sys.modules else 1

with stop_on_bad_settings(exit_code=EXIT_CODE):
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
