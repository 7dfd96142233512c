#!/usr/bin/env python
import contextlib
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line
    from django.core.management.base import CommandError, CommandParser, handle_default_options

    from config.env import stop_on_bad_settings

    # --settings and --pythonpath first, as Django does, then the settings themselves: Django would
    # swallow a bad one for `help` and `<command> --help`, and answer "Unknown command" for qcluster.
    parser = CommandParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--settings")
    parser.add_argument("--pythonpath")
    with contextlib.suppress(CommandError):
        handle_default_options(parser.parse_known_args(sys.argv[2:])[0])
    with stop_on_bad_settings():
        settings.INSTALLED_APPS  # noqa: B018 - reading one setting loads them all
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
