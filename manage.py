#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reads newsroom/settings.py)
    except ImproperlyConfigured as error:
        # The settings refuse to start without what production needs (a
        # secret key when debug is off…). Say so plainly: Django would carry
        # on and fail later with AppRegistryNotReady, hiding the reason.
        sys.exit(f"manage.py: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
