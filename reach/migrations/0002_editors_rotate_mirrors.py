"""Editors keep the mirror list: the Editor role (articles 0005) gets the
permission. Removing the migration takes it away again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def give_editors(apps, schema_editor):
    # As in articles 0005: permissions are normally made after migrating.
    app_config = apps.get_app_config("reach")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="reach", codename="rotate_mirrors")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(permission)


def take_back(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="reach", codename="rotate_mirrors")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0001_mirrors_and_edition_files"),
        ("articles", "0005_roles"),
    ]

    operations = [migrations.RunPython(give_editors, take_back)]
