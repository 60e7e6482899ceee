"""The nine newsletters (three kinds in three editions), and the editors'
right to compose and send letters."""

from datetime import time

from django.contrib.auth.management import create_permissions
from django.db import migrations

KINDS = {"digest": time(7, 0), "breaking": time(7, 0), "plus": time(18, 0)}
LANGUAGES = ["be", "ru", "en"]
FRIDAY = 4
EDITOR_PERMISSIONS = [
    "view_newsletter",
    "change_newsletter",
    "add_letter",
    "change_letter",
    "view_letter",
    "add_letteritem",
    "change_letteritem",
    "delete_letteritem",
    "view_letteritem",
    "view_subscriber",
]


def create(apps, schema_editor):
    Newsletter = apps.get_model("newsletters", "Newsletter")
    for kind, send_time in KINDS.items():
        for language in LANGUAGES:
            Newsletter.objects.get_or_create(
                kind=kind,
                language=language,
                defaults={"send_time": send_time, "weekday": FRIDAY},
            )
    # As articles' roles migration does: permissions are made after all
    # migrations, and the group needs them now.
    app_config = apps.get_app_config("newsletters")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsletters", codename__in=EDITOR_PERMISSIONS
        )
    )


def remove(apps, schema_editor):
    apps.get_model("newsletters", "Newsletter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_newsletters"),
        ("articles", "0005_roles"),
    ]

    operations = [migrations.RunPython(create, remove)]
