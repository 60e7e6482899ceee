"""The newsroom's roles as groups, with the permissions each one needs.

What the permissions allow beyond Django's own (a reporter edits only their
own drafts, only an editor publishes) is enforced in articles/workflow.py and
the admin. Staff accounts are put in a group by an administrator; the groups
can be changed later in the admin, and this migration never removes a
permission someone added.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Reporter": {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "view_section",
            "view_author",
            "add_tag",
            "view_tag",
            "add_image",
            "view_image",
            "view_correction",
            "view_transition",
        ],
    },
    "Editor": {
        "articles": [
            "add_article",
            "change_article",
            "delete_article",
            "view_article",
            "publish_article",
            "edit_any_article",
            "set_article_access",
            "curate_article",
            "add_section",
            "change_section",
            "view_section",
            "add_author",
            "change_author",
            "view_author",
            "add_tag",
            "change_tag",
            "delete_tag",
            "view_tag",
            "add_image",
            "change_image",
            "view_image",
            "add_correction",
            "change_correction",
            "delete_correction",
            "view_correction",
            "add_pin",
            "change_pin",
            "delete_pin",
            "view_pin",
            "view_transition",
        ],
    },
    "Subscriptions manager": {
        "paywall": [
            "view_user",
            "view_plan",
            "add_subscription",
            "change_subscription",
            "view_subscription",
        ],
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now. The migration state's app configs carry no models
    # module, which create_permissions takes as "nothing to do": lend it one.
    for app_label in ("articles", "paywall"):
        app_config = apps.get_app_config(app_label)
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
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Unknown permissions for {role}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("paywall", "0003_member_feed"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
