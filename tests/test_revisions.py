"""Every save of an article keeps a version; editors read the history, see
what changed word by word, and bring back an earlier text without touching
the article's status, publication time, paywall or address."""

from datetime import timedelta

import pytest
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from paywall.access import Access
from tests.factories import ArticleFactory, SectionFactory, image_bytes
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article, version):
    return reverse("admin:articles_article_revision_compare", args=[article.pk, version.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_revision_restore", args=[article.pk, version.pk])


def _widget_values(bound_field):
    """What the browser would send back for one field, as the page shows it."""
    widget = bound_field.field.widget
    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    context = widget.get_context(bound_field.html_name, bound_field.value(), {})["widget"]
    values = {}
    for part in context.get("subwidgets") or [context]:
        kind = part.get("type")
        if kind == "file":
            continue
        if kind == "checkbox":
            if part["attrs"].get("checked"):
                values[part["name"]] = "on"
            continue
        value = part.get("value")
        values[part["name"]] = "" if value is None else value
    return values


def edit(client, article, files=None, **changes):
    """Open the article in the admin, change some fields, press Save: what an
    editor does. Everything else goes back as the form showed it."""
    page = client.get(change_url(article))
    assert page.status_code == 200
    data = {}
    for bound_field in page.context["adminform"].form:
        data.update(_widget_values(bound_field))
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for form in formset.forms:
            for bound_field in form:
                data.update(_widget_values(bound_field))
    data.update(changes)
    data.update(files or {})
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def versions_of(article):
    return list(article.history.order_by("-history_date", "-history_id"))


@pytest.fixture
def story():
    """A live free story, published at a whole second so the form sends
    its time back unchanged."""
    published_at = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    return ArticleFactory(
        headline="Protest in Minsk dispersed",
        dek="Police detained dozens.",
        body="<p>Police detained dozens of people.</p><p>The square was closed.</p>",
        section=SectionFactory(name="Politics", slug="politics"),
        published_at=published_at,
    )


@pytest.fixture
def viewer_client(client, django_user_model):
    """Staff who may look at articles but not change them."""
    user = django_user_model.objects.create_user(
        email="viewer@newsroom.test", password="x", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename="view_article"))
    return log_in_staff(client, user)


def test_every_save_keeps_a_version_with_who_made_it(editor_client, editor, story):
    edit(editor_client, story, headline="Protest in Minsk broken up")
    edit(editor_client, story, dek="Police detained more than fifty people.")

    versions = versions_of(story)
    assert [v.headline for v in versions] == [
        "Protest in Minsk broken up",
        "Protest in Minsk broken up",
        "Protest in Minsk dispersed",
    ]
    assert versions[0].dek == "Police detained more than fifty people."
    assert versions[0].history_user == editor and versions[1].history_user == editor


def test_the_history_lists_versions_with_editors_and_what_changed(editor_client, story):
    edit(editor_client, story, headline="Protest in Minsk broken up")
    edit(
        editor_client,
        story,
        dek="Police detained more than fifty people.",
        body="<p>Police detained more than fifty people.</p><p>The square was closed.</p>",
    )
    newest, middle, first = versions_of(story)

    page = editor_client.get(history_url(story))

    assert page.status_code == 200
    html = page.text
    assert "editor@newsroom.test" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 3
    assert "dek, body" in rows[0] and "current version" in rows[0]
    assert "headline" in rows[1]
    assert "Restore this version" not in rows[0]
    assert restore_url(story, middle) in rows[1] and restore_url(story, first) in rows[2]
    assert compare_url(story, newest) in rows[0] and compare_url(story, middle) in rows[1]
    assert "Compare with previous" in rows[1]
    # simple-history's revert form, which would put back status and access
    # too, is not offered.
    simple_revert = reverse("admin:articles_article_simple_history", args=[story.pk, first.pk])
    assert simple_revert not in html


def test_the_compare_page_shows_removed_and_added_words(editor_client, story):
    edit(
        editor_client,
        story,
        headline="Protest in Minsk broken up",
        dek="Police detained more than fifty people.",
        body="<p>Police detained more than fifty people.</p><p>The square was closed.</p>",
    )
    newest = versions_of(story)[0]

    html = editor_client.get(compare_url(story, newest)).text

    assert '<del><span class="visually-hidden">removed: </span>dispersed</del>' in html
    assert '<ins><span class="visually-hidden">added: </span>broken up</ins>' in html
    assert '<del><span class="visually-hidden">removed: </span>dozens</del>' in html
    assert "more than fifty" in html and "<ins>" in html
    # Unchanged words and paragraphs are shown as they are.
    assert "The square was closed." in html
    assert "Removed words are struck through, added words are underlined." in html


def test_the_compare_page_escapes_what_the_editor_typed(editor_client, story):
    edit(
        editor_client,
        story,
        headline="Why <script>alert(1)</script> is not news",
        body="<p>They wrote &lt;script&gt;steal()&lt;/script&gt; on the wall.</p>",
    )
    newest = versions_of(story)[0]

    html = editor_client.get(compare_url(story, newest)).text

    assert "<script>alert(1)" not in html and "<script>steal()" not in html
    assert "&lt;script&gt;" in html
    assert "steal()" in html


def test_only_markup_changes_are_said_in_words(editor_client, story):
    edit(
        editor_client,
        story,
        body='<p>Police detained <a href="https://example.org/list">dozens</a> of people.</p>'
        "<p>The square was <strong>closed</strong>.</p>",
    )
    newest = versions_of(story)[0]

    html = editor_client.get(compare_url(story, newest)).text

    assert "Only formatting or links changed in the body" in html
    assert "Link added:" in html and "https://example.org/list" in html
    assert "<strong>closed</strong>" not in html


def test_the_compare_page_lists_other_changes_briefly(editor_client, story):
    society = SectionFactory(name="Society", slug="society")
    edit(
        editor_client,
        story,
        access=Access.PLUS,
        dateline_source="Reuters",
        section=society.pk,
        status=Status.UNPUBLISHED,
    )
    newest = versions_of(story)[0]

    html = editor_client.get(compare_url(story, newest)).text

    other = html.split("Other changes")[1]
    assert "<strong>Access:</strong> Free" in other and "POZIRK+" in other
    assert "<strong>Dateline source:</strong> BPN" in other and "Reuters" in other
    assert "<strong>Primary section:</strong> Politics" in other and "Society" in other
    assert "<strong>Status:</strong> Published" in other and "Unpublished" in other
    assert "Headline</h2>" not in other


def test_any_two_versions_can_be_compared(editor_client, story):
    edit(editor_client, story, headline="Protest in Minsk broken up")
    edit(editor_client, story, headline="Protest in Minsk broken up by riot police")
    newest, _, first = versions_of(story)

    html = editor_client.get(compare_url(story, newest), {"with": first.pk}).text

    assert '<ins><span class="visually-hidden">added: </span>broken up by riot police</ins>' in html
    assert '<del><span class="visually-hidden">removed: </span>dispersed</del>' in html


def test_restore_brings_back_the_text_and_nothing_else(editor_client, editor, story):
    original = versions_of(story)[0]
    edit(
        editor_client,
        story,
        headline="Protest in Minsk broken up",
        dek="A mistaken dek.",
        body="<p>A wrong paragraph.</p>",
        access=Access.PLUS,
    )
    story.refresh_from_db()
    before = (story.status, story.published_at, story.access, story.slug, story.section_id)
    assert story not in Article.objects.search("dispersed", editor)

    confirm = editor_client.get(restore_url(story, original))
    assert confirm.status_code == 200
    assert "stay as they are now" in confirm.text
    response = editor_client.post(restore_url(story, original), follow=True)

    assert response.redirect_chain[-1][0] == change_url(story)
    assert "is back, saved as a new version" in response.text
    story.refresh_from_db()
    assert story.headline == "Protest in Minsk dispersed"
    assert story.dek == "Police detained dozens."
    assert story.body == "<p>Police detained dozens of people.</p><p>The square was closed.</p>"
    assert (story.status, story.published_at, story.access, story.slug, story.section_id) == before
    assert story.access == Access.PLUS and story.status == Status.PUBLISHED
    newest = versions_of(story)[0]
    assert len(versions_of(story)) == 3
    assert newest.history_user == editor
    assert newest.history_change_reason.startswith("Restored the version of")
    # The search documents follow the restored text.
    found = Article.objects.search("dispersed", editor)
    assert story in found
    # The history now offers the version before the restore.
    assert "Restored the version of" in editor_client.get(history_url(story)).text


def test_restore_brings_back_the_lead_image_with_its_size(editor_client, story):
    first = SimpleUploadedFile("first.jpg", image_bytes(120, 80), content_type="image/jpeg")
    edit(editor_client, story, files={"lead_image": first}, lead_image_alt="The square")
    with_first_image = versions_of(story)[0]
    second = SimpleUploadedFile("second.jpg", image_bytes(200, 100), content_type="image/jpeg")
    edit(editor_client, story, files={"lead_image": second}, lead_image_alt="Police vans")
    story.refresh_from_db()
    assert (story.lead_image_width, story.lead_image_height) == (200, 100)

    editor_client.post(restore_url(story, with_first_image))

    story.refresh_from_db()
    assert story.lead_image.name == with_first_image.lead_image
    assert (story.lead_image_width, story.lead_image_height) == (120, 80)
    assert story.lead_image_alt == "The square"


def test_restoring_a_text_identical_to_now_saves_nothing(editor_client, story):
    edit(editor_client, story, access=Access.PLUS)
    before_access_change = versions_of(story)[1]

    response = editor_client.post(restore_url(story, before_access_change), follow=True)

    assert "nothing to restore" in response.text
    assert len(versions_of(story)) == 2
    story.refresh_from_db()
    assert story.access == Access.PLUS


def test_simple_historys_revert_form_leads_to_the_comparison(editor_client, story):
    first = versions_of(story)[0]
    url = reverse("admin:articles_article_simple_history", args=[story.pk, first.pk])

    response = editor_client.get(url)
    posted = editor_client.post(url, {"status": Status.DRAFT, "access": Access.PLUS})

    assert response.status_code == 302 and response.url == compare_url(story, first)
    assert posted.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.access == Access.FREE


def test_unknown_articles_and_versions_are_not_found(editor_client, story):
    other = ArticleFactory()
    others_version = versions_of(other)[0]
    version = versions_of(story)[0]

    for url in [
        reverse("admin:articles_article_revision_compare", args=[999999, version.pk]),
        reverse("admin:articles_article_revision_compare", args=[story.pk, 999999]),
        compare_url(story, others_version),
        restore_url(story, others_version),
        reverse("admin:articles_article_revision_restore", args=[999999, version.pk]),
        history_url(Article(pk=999999)),
    ]:
        assert editor_client.get(url).status_code == 404, url
    assert editor_client.post(restore_url(story, others_version)).status_code == 404
    assert editor_client.get(compare_url(story, version), {"with": "nope"}).status_code == 404
    assert (
        editor_client.get(compare_url(story, version), {"with": others_version.pk}).status_code
        == 404
    )


def test_without_change_permission_versions_can_be_read_but_not_restored(
    editor_client, viewer_client, story
):
    version = versions_of(story)[0]

    compare = viewer_client.get(compare_url(story, version))
    assert compare.status_code == 200
    assert "Restore this version" not in compare.text
    assert viewer_client.get(restore_url(story, version)).status_code == 403
    assert viewer_client.post(restore_url(story, version)).status_code == 403
    history = viewer_client.get(history_url(story))
    assert history.status_code == 200
    assert "Restore this version" not in history.text


def test_restore_acts_only_on_a_post_from_the_admin_page(editor, editor_client, story):
    edit(editor_client, story, headline="Protest in Minsk broken up")
    original = versions_of(story)[1]
    careful = log_in_staff(Client(enforce_csrf_checks=True), editor)

    assert careful.post(restore_url(story, original)).status_code == 403
    assert editor_client.put(restore_url(story, original)).status_code == 405
    assert editor_client.get(restore_url(story, original)).status_code == 200
    story.refresh_from_db()
    assert story.headline == "Protest in Minsk broken up"
    assert len(versions_of(story)) == 2


def test_the_history_costs_the_same_however_many_versions(
    editor_client, django_assert_max_num_queries
):
    short = ArticleFactory()
    long = ArticleFactory()
    for n in range(2):
        short.dek = f"Update {n}"
        short.save()
    for n in range(29):
        long.dek = f"Update {n}"
        long.save()

    editor_client.get(history_url(short))  # warms the content-type cache
    # Session, user, permissions, the article (twice: the admin's check and
    # simple-history's own), the count and the page of versions.
    with django_assert_max_num_queries(20) as few:
        assert editor_client.get(history_url(short)).status_code == 200
    budget = len(few.captured_queries)
    with django_assert_max_num_queries(budget):
        page = editor_client.get(history_url(long))
    assert page.status_code == 200
    assert page.text.count("Restore this version") == 29


def test_restoring_the_words_of_a_live_story_shows_readers_it_was_updated(editor_client, story):
    edit(editor_client, story, headline="Protest in Minsk broken up", minor_edit="on")
    original = versions_of(story)[1]
    story.refresh_from_db()
    assert story.revised_at is None

    editor_client.post(restore_url(story, original))

    story.refresh_from_db()
    assert story.revised_at is not None


def test_a_minor_restore_leaves_the_update_time_alone(editor_client, story):
    edit(editor_client, story, headline="Protest in Minsk broken up", minor_edit="on")
    original = versions_of(story)[1]

    editor_client.post(restore_url(story, original), {"minor_edit": "on"})

    story.refresh_from_db()
    assert story.headline == "Protest in Minsk dispersed"
    assert story.revised_at is None


def test_the_oldest_version_on_a_page_is_still_compared_with_the_one_before(editor_client):
    article = ArticleFactory()
    for n in range(51):
        article.dek = f"Update {n}"
        article.save()

    first_page = editor_client.get(history_url(article)).text
    rows = first_page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]

    assert len(rows) == 50
    assert "dek" in rows[-1] and "Compare with previous" in rows[-1]
    last_page = editor_client.get(history_url(article), {"p": 2}).text
    assert "created" in last_page and "current version" not in last_page
