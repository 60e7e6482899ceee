import io
from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from articles.models import Article, Author, Section, Status
from paywall.access import Access
from paywall.models import Plan, Subscription, User


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    position = factory.Sequence(int)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ArticleFactory(factory.django.DjangoModelFactory):
    """A free article, published an hour ago, in a section of its own.

    Traits: `gated` (POZIRK+), `draft`, `scheduled` (published tomorrow).
    `also_in`, `authors` and `tags` take lists.
    """

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    dek = "A sentence that tells the reader why this matters."
    body = factory.LazyAttribute(
        lambda o: (
            f"<p>Opening paragraph of {o.headline}.</p><p>Second paragraph of {o.headline}.</p>"
        )
    )
    section = factory.SubFactory(SectionFactory)
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    access = Access.FREE

    class Params:
        gated = factory.Trait(access=Access.PLUS)
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )

    @factory.post_generation
    def also_in(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.add(*extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.add(*extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def image_bytes(width=120, height=80, image_format="JPEG"):
    """A small real image, encoded, for upload and rendering tests."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, image_format)
    return buffer.getvalue()


def make_subscriber(email="member@newsroom.test"):
    """A confirmed reader whose POZIRK+ monthly subscription began yesterday."""
    plan, _ = Plan.objects.get_or_create(name="POZIRK+ monthly", defaults={"duration_days": 30})
    user = User.objects.create_user(email=email, password="x", email_confirmed_at=timezone.now())
    Subscription.objects.create(user=user, plan=plan, starts_at=timezone.now() - timedelta(days=1))
    return user


def article_form(section, **overrides):
    """What the admin's article form posts for a new, published story."""
    data = {
        "headline": "Łukašenka meets with US envoy",
        "slug": "",
        "dek": "Talks in Minsk.",
        "body": "<p>First paragraph.</p><p>Second paragraph.</p>",
        "section": section.pk,
        "tags": "Diplomacy, USA",
        "dateline_source": "BPN",
        "language": "en",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "status": Status.PUBLISHED,
        "published_at_0": "",
        "published_at_1": "",
        "access": Access.FREE,
        "teaser_paragraphs": 1,
        # The corrections inline, empty.
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data
