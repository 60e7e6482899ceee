import importlib

import pytest

# A real SMTP server for any test that sends mail (fixtures `smtp_server`, `inbox`).
from tests.mail import inbox, smtp_server  # noqa: F401
from tests.second_factor import log_in_staff


def pytest_configure(config):
    """The translations Django reads, built from the catalogues in locale/
    if a .po is newer than its .mo (make test does it too; a bare pytest
    run must not test yesterday's translations)."""
    from newsroom.catalogues import compile_all

    compile_all()


@pytest.fixture(scope="session", autouse=True)
def _roles_survive_flushes():
    """Transactional tests (the browser suite) empty every table when they
    end; Django then recreates content types and permissions, but not what
    data migrations wrote. The role groups and the nine newsletters are such
    data: put them back as the migrations made them, so later tests find them."""
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import post_migrate

    roles = importlib.import_module("articles.migrations.0005_roles").ROLES
    letters = importlib.import_module("newsletters.migrations.0002_nine_newsletters")
    payment_roles = importlib.import_module("payments.migrations.0002_manager_role").ROLES
    info_pages = importlib.import_module("articles.migrations.0010_default_info_pages")

    def restore(sender, **kwargs):
        if sender.label == "reach":
            # Editors keep the mirror list (reach 0002).
            Group.objects.get(name="Editor").permissions.add(
                Permission.objects.get(content_type__app_label="reach", codename="rotate_mirrors")
            )
        if sender.label == "newsletters":
            from newsletters.models import Newsletter

            for kind, send_time in letters.KINDS.items():
                for language in letters.LANGUAGES:
                    Newsletter.objects.get_or_create(
                        kind=kind, language=language, defaults={"send_time": send_time}
                    )
            group, _ = Group.objects.get_or_create(name="Editor")
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="newsletters",
                    codename__in=letters.EDITOR_PERMISSIONS,
                )
            )
            return
        if sender.label == "payments":
            # The subscriptions manager's codes and revenue (payments 0002).
            for role, by_app in payment_roles.items():
                group, _ = Group.objects.get_or_create(name=role)
                for app_label, codenames in by_app.items():
                    group.permissions.add(
                        *Permission.objects.filter(
                            content_type__app_label=app_label, codename__in=codenames
                        )
                    )
            return
        if sender.label != "articles":
            return
        # Every edition's footer pages, and the editors' right to them (articles 0010).
        info_pages.add_missing_pages(django_apps.get_model("articles", "InfoPage"))
        Group.objects.get_or_create(name="Editor")[0].permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=info_pages.EDITOR_PERMISSIONS
            )
        )
        for role, by_app in roles.items():
            group, _ = Group.objects.get_or_create(name=role)
            for app_label, codenames in by_app.items():
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label, codename__in=codenames
                    )
                )

    post_migrate.connect(restore, weak=False, dispatch_uid="tests-restore-roles")
    yield
    post_migrate.disconnect(dispatch_uid="tests-restore-roles")


@pytest.fixture(autouse=True)
def _pages_kept_when_first_asked_for(settings):
    """Each anonymous page is kept the first time it is asked for, so that a
    test of what pages are kept under (hosts, parameters, editions) needs
    one request to fill the cache; tests of keeping only pages asked for
    again (test_page_cache.py) turn that on, as production has it."""
    settings.NEWSROOM_PAGE_CACHE_MIN_USES = 1


@pytest.fixture(autouse=True)
def _version_read_every_request(settings):
    """Each request asks the shared cache for the content version, so that a
    test emptying the cache empties it of pages; tests of the processes' own
    copies of pages (test_page_cache.py) turn them on."""
    settings.NEWSROOM_PAGE_CACHE_VERSION_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached pages of one test must
    not answer another's requests."""
    from django.core.cache import cache

    from reading.cache import forget_local_copies
    from reading.search_limits import forget_refused_clients

    cache.clear()
    forget_local_copies()
    forget_refused_clients()
    yield
    cache.clear()
    forget_local_copies()
    forget_refused_clients()


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Uploads go to a per-test folder; static files need no collectstatic;
    passwords are hashed with Argon2 at a test-sized cost."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _reads_from_the_primary(request, settings):
    """With a replica configured (CI's PostgreSQL pass sets DATABASE_REPLICA_URL),
    tests still read from the primary: the replica alias is a second connection,
    outside the test's transaction, that would not see the test's data. Tests
    of the routing itself use the `replica_reads` fixture (tests/test_replica.py)."""
    if "replica_reads" not in request.fixturenames:
        settings.MIDDLEWARE = [
            name
            for name in settings.MIDDLEWARE
            if name != "newsroom.middleware.ReplicaReadsMiddleware"
        ]


@pytest.fixture
def editor(django_user_model):
    """A member of the editorial staff with the rights to run the desk."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        email="editor@newsroom.test", password="correct horse battery", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["articles"]))
    return user


@pytest.fixture
def editor_client(client, editor):
    return log_in_staff(client, editor)


@pytest.fixture
def reader(django_user_model):
    """A logged-in reader without any subscription."""
    return django_user_model.objects.create_user(
        email="reader@newsroom.test", password="correct horse battery"
    )


def _staff_in_group(django_user_model, email, group_name):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        email=email, password="correct horse battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def reporter(django_user_model):
    """A reporter, in the Reporter group the migrations create, with a byline."""
    from articles.models import Author

    user = _staff_in_group(django_user_model, "reporter@newsroom.test", "Reporter")
    Author.objects.create(name="Alesia Reporter", slug="alesia-reporter", user=user)
    return user


@pytest.fixture
def desk_editor(django_user_model):
    """An editor by role: in the Editor group the migrations create."""
    return _staff_in_group(django_user_model, "desk@newsroom.test", "Editor")


@pytest.fixture
def subscriptions_manager(django_user_model):
    return _staff_in_group(django_user_model, "members@newsroom.test", "Subscriptions manager")


# localstripe, started once for the session by the tests that need it.
from tests.localstripe import localstripe, stripe_keys  # noqa: E402, F401
