#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A bad setting is an operator's mistake, not a bug: one line naming the variable.
        print(f"Relay cannot start: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
