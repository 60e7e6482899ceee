"""The subscriptions manager makes and counts access codes, and reads the
card subscriptions' states (for finding one in Stripe's dashboard)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Subscriptions manager": {
        "payments": [
            "add_codebatch",
            "change_codebatch",
            "view_codebatch",
            "view_cardsubscription",
        ],
    },
}


def grant(apps, schema_editor):
    # As in articles' roles migration: permissions are created after all
    # migrations, and the group needs them now.
    app_config = apps.get_app_config("payments")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, by_app in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for role, by_app in ROLES.items():
        for group in Group.objects.filter(name=role):
            for app_label, codenames in by_app.items():
                group.permissions.remove(
                    *Permission.objects.filter(
                        content_type__app_label=app_label, codename__in=codenames
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("articles", "0005_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
