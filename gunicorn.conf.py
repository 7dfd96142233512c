"""gunicorn's defaults for Relay (`gunicorn config.wsgi` reads this file from the working directory).

preload_app: the master loads Django once before forking, so a bad setting stops start-up with one line
(config/wsgi.py) instead of every worker failing on its own; workers also share the loaded code's memory.
"""

preload_app = True
