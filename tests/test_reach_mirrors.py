"""Mirrors: editors add and retire them in the admin; the site answers on a
new one at once and points readers away from a retired one; /mirrors/ and
the signed /mirrors.json list them, and the signature tells the newsroom's
list from a forged one."""

import base64
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from reach import signing
from reach.models import Mirror
from tests.factories import ArticleFactory
from tests.reach_support import ONION, PUBLIC, SIGNING_KEY, reach_settings  # noqa: F401
from tests.second_factor import log_in_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reach_settings")]

MIRRORS_ADMIN = "/admin/reach/mirror/"


@pytest.fixture
def admin_over_http(settings):
    # The admin's own tests are elsewhere; here it is only the way in.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def desk_client(admin_over_http, desk_editor):
    from django.test import Client

    return log_in_staff(Client(), desk_editor)


def on(client, host, path=None, **extra):
    """GET `path` (the home page) as it arrives at `host` over HTTPS."""
    return client.get(path or reverse("articles:home"), HTTP_HOST=host, secure=True, **extra)


def test_an_editor_adds_a_mirror_and_the_site_answers_on_it_without_a_restart(desk_client, client):
    article = ArticleFactory(headline="Election without choice")
    assert on(client, "fresh-mirror.example.net").status_code == 400

    response = desk_client.post(
        f"{MIRRORS_ADMIN}add/", {"host": "Fresh-Mirror.example.net", "note": "Bought in March"}
    )
    assert response.status_code == 302
    mirror = Mirror.objects.get()
    assert mirror.host == "fresh-mirror.example.net"

    page = on(client, "fresh-mirror.example.net", article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Election without choice" in html
    assert page["X-Robots-Tag"] == "noindex"
    assert f'<link rel="canonical" href="https://{PUBLIC}{article.get_absolute_url()}">' in html
    # The gate and the login work there too: the whole site.
    assert on(client, "fresh-mirror.example.net", reverse("paywall:login")).status_code == 200


def test_a_retired_mirror_points_readers_to_the_current_ones(desk_client, client):
    old = Mirror.objects.create(host="blocked.example.net")
    Mirror.objects.create(host="open.example.net")
    article = ArticleFactory()
    assert on(client, "blocked.example.net", article.get_absolute_url()).status_code == 200

    response = desk_client.post(
        MIRRORS_ADMIN, {"action": "retire", "_selected_action": [old.pk]}, follow=True
    )
    assert "1 mirror retired" in response.content.decode()

    moved = on(client, "blocked.example.net", article.get_absolute_url())
    assert moved.status_code == 410
    html = moved.content.decode()
    assert "This address has moved" in html
    assert f'href="https://open.example.net{article.get_absolute_url()}"' in html
    assert f"http://{ONION}/" in html
    assert "blocked.example.net</a>" not in html
    # An app that only knew the old mirror still gets the signed list.
    listed = on(client, "blocked.example.net", reverse("mirrors-json"))
    assert listed.status_code == 200
    assert json.loads(listed.content)["list"]["mirrors"] == ["https://open.example.net/"]


def test_keeping_mirrors_takes_the_new_permission(admin_over_http, client, django_user_model):
    staff = django_user_model.objects.create_user(
        email="staff@newsroom.test", password="x", is_staff=True
    )
    log_in_staff(client, staff)
    assert client.get(MIRRORS_ADMIN).status_code == 403
    assert client.post(f"{MIRRORS_ADMIN}add/", {"host": "a.example.net"}).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="rotate_mirrors"))
    assert client.get(MIRRORS_ADMIN).status_code == 200


def test_the_editor_role_may_keep_mirrors_and_the_admin_refuses_a_bad_domain(desk_client):
    response = desk_client.post(f"{MIRRORS_ADMIN}add/", {"host": "https://x.example.net/path"})
    assert response.status_code == 200
    assert "Enter a domain name only" in response.content.decode()
    response = desk_client.post(f"{MIRRORS_ADMIN}add/", {"host": "another.onion"})
    assert "NEWSROOM_ONION_HOST" in response.content.decode()
    assert not Mirror.objects.exists()


def test_the_mirrors_page_lists_current_mirrors_and_the_onion_address(client):
    Mirror.objects.create(host="open.example.net")
    Mirror.objects.create(host="gone.example.net").__class__.objects.filter(
        host="gone.example.net"
    ).retire()
    html = on(client, PUBLIC, reverse("reach:mirrors")).content.decode()
    assert 'href="https://open.example.net/"' in html
    assert "gone.example.net" not in html
    assert f'href="http://{ONION}/"' in html
    assert reverse("mirrors-json") in html


def test_the_signed_list_verifies_and_fails_when_one_byte_changes(client, tmp_path, settings):
    Mirror.objects.create(host="open.example.net")
    response = on(client, PUBLIC, reverse("mirrors-json"))
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["list"]["onion"] == f"http://{ONION}/"
    assert document["list"]["public"] == f"https://{PUBLIC}/"

    # A reader's script: the list as canonical JSON, the published key.
    public_key = signing.public_key_base64()
    signed = json.dumps(
        document["list"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()
    assert signing.verify(signed, base64.b64decode(document["signature"]), public_key)

    good = tmp_path / "mirrors.json"
    good.write_bytes(response.content)
    call_command("mirrors", verify=str(good))

    forged = tmp_path / "forged.json"
    forged.write_bytes(response.content.replace(b"open.example.net", b"open.examp1e.net"))
    with pytest.raises(CommandError, match="not the newsroom's"):
        call_command("mirrors", verify=str(forged))
    # Checked by someone who holds only the public key.
    settings.NEWSROOM_SIGNING_KEY = ""
    call_command("mirrors", verify=str(good), key=public_key)
    with pytest.raises(CommandError):
        call_command("mirrors", verify=str(forged), key=public_key)


def test_every_byte_of_the_signed_list_counts():
    from reach import mirrors

    document = mirrors.signed_document(
        {"newsroom": "BPN", "mirrors": ["https://a.example.net/"], "onion": None}
    )
    text = json.dumps(document)
    assert mirrors.verify_document(text)["mirrors"] == ["https://a.example.net/"]
    signature = bytearray(base64.b64decode(document["signature"]))
    for index in (0, 31, 63):
        tampered = bytearray(signature)
        tampered[index] ^= 1
        forged = {**document, "signature": base64.b64encode(bytes(tampered)).decode()}
        with pytest.raises(mirrors.BadDocument):
            mirrors.verify_document(json.dumps(forged))


def test_the_mirrors_command_prints_the_list(capsys):
    Mirror.objects.create(host="open.example.net")
    call_command("mirrors")
    out = capsys.readouterr().out
    assert f"onion\thttp://{ONION}/" in out
    assert "mirror\thttps://open.example.net/" in out


def test_the_about_page_publishes_the_public_key(client):
    about = reverse("articles:info-page", kwargs={"kind": "about"})
    html = on(client, PUBLIC, about).content.decode()
    key = signing.public_key_base64()
    assert key in html
    assert signing.fingerprint(key) in html
    assert "BEGIN PUBLIC KEY" in html
    assert SIGNING_KEY not in html


def test_without_a_key_the_list_is_not_served_unsigned(client, settings):
    settings.NEWSROOM_SIGNING_KEY = ""
    response = on(client, PUBLIC, reverse("mirrors-json"))
    assert response.status_code == 503
    assert response["Retry-After"]


def test_the_page_cache_keys_pages_per_host(client, rf):
    from django.core.cache import cache

    from reading.cache import page_key

    Mirror.objects.create(host="one.example.net")
    Mirror.objects.create(host="two.example.net")
    ArticleFactory()
    keys = {
        host: page_key(rf.get(reverse("articles:home"), HTTP_HOST=host, secure=True))
        for host in (PUBLIC, "one.example.net", "two.example.net")
    }
    assert len(set(keys.values())) == 3
    on(client, "one.example.net")
    assert cache.get(keys["one.example.net"]) is not None
    assert cache.get(keys["two.example.net"]) is None
    assert cache.get(keys[PUBLIC]) is None
    second = on(client, "two.example.net")
    assert second.status_code == 200 and second["X-Robots-Tag"] == "noindex"
    assert cache.get(keys["two.example.net"]) is not None


def test_the_mirrors_page_costs_the_same_for_two_mirrors_or_twenty(client):
    """One query for the mirrors however many there are (the section
    navigation is kept per content version)."""

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert on(client, PUBLIC, reverse("reach:mirrors")).status_code == 200
        return len(captured)

    for n in range(2):
        Mirror.objects.create(host=f"m{n}.example.net")
    on(client, PUBLIC, reverse("reach:mirrors"))  # the navigation, once
    few = queries()
    for n in range(2, 20):
        Mirror.objects.create(host=f"m{n}.example.net")
    assert queries() == few == 1


def test_hosts_are_compared_as_dns_compares_them(client):
    Mirror.objects.create(host="open.example.net")
    for host in ("OPEN.example.net", "open.example.net.", "open.example.net:443"):
        assert on(client, host).status_code == 200, host
    assert on(client, f"{ONION.upper()}:80").status_code == 200
    assert on(client, "sub.open.example.net").status_code == 400
    assert on(client, "open.example.net.evil.org").status_code == 400
