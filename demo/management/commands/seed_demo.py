"""`manage.py seed_demo`: a newsroom's worth of invented content and demo accounts.

For trying the site out, demos and screenshots. It is safe to run again: what
is already there is found by its key (slug, headline, email, plan name) and
left alone, so nothing is duplicated and published times do not move. The
repairs it makes: a demo article or author whose image is gone (cleared, or
its file deleted with the media directory) gets one drawn again; a demo
account whose address was never confirmed is confirmed; and the demo
subscriber, once their POZIRK+ has run out, is granted a fresh month.
"""

import io
import random
import zlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw, ImageFont, ImageOps

from articles import workflow
from articles.models import Article, Author, Correction, Language, Pin, Section, Status
from articles.models import Image as LibraryImage
from articles.text import latin_slug
from paywall.access import Access
from paywall.models import Plan, Subscription, SubscriptionSource, valid_until

from ._demo_content import ARTICLES, AUTHORS, SECTIONS
from .demo_code import DEMO_APP_KEY, demo_app_secret

SITE_URL = "http://127.0.0.1:8000/"
ADMIN_URL = "http://127.0.0.1:8000/admin/"

# The demo reporter writes under this byline.
REPORTER_BYLINE = "alena-karpovich"

LEAD_IMAGE_SIZE = (1200, 675)
PORTRAIT_SIZE = (400, 400)
IMAGE_CREDIT = "BPN illustration"

# name, duration in days
PLANS = [("POZIRK+ monthly", 30), ("POZIRK+ yearly", 365)]
SUBSCRIBER_PLAN = "POZIRK+ monthly"
# The demo subscriber's first grant began a few days ago, as a real one would
# have; once it has run out, a later run grants a fresh month from now.
FIRST_GRANT = (timedelta(days=-3), timedelta(days=27))
RENEWAL = (timedelta(0), timedelta(days=30))


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    is_staff: bool = False
    is_superuser: bool = False
    group: str = ""  # one of the roles the migrations create
    is_subscriber: bool = False


ACCOUNTS = [
    DemoAccount(
        "admin@example.org", "admin-demo-pass", "superuser: everything, accounts too",
        is_staff=True, is_superuser=True,
    ),
    DemoAccount(
        "editor@example.org", "editor-demo-pass",
        "editor: reviews, publishes, schedules, curates", is_staff=True, group="Editor",
    ),
    DemoAccount(
        "reporter@example.org", "reporter-demo-pass",
        "reporter: writes drafts, submits them for review", is_staff=True, group="Reporter",
    ),
    DemoAccount(
        "members@example.org", "members-demo-pass",
        "subscriptions manager: grants and extends POZIRK+", is_staff=True,
        group="Subscriptions manager",
    ),
    DemoAccount("reader@example.org", "reader-demo-pass", "reader: no admin access"),
    DemoAccount(
        "subscriber@example.org", "subscriber-demo-pass",
        "reader with POZIRK+ monthly: reads gated articles in full", is_subscriber=True,
    ),
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Fill the database with invented demo content (sections, authors, articles with "
        "drawn lead images) and demo accounts. Safe to run twice. Refuses to run with "
        "DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Only for throwaway databases: the demo "
            "passwords are public.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo content with DEBUG off: it creates accounts whose "
                "passwords are printed and published. If this database really is a "
                "throwaway one, run again with --force."
            )
        self.created = self.existing = self.drawn = 0
        with transaction.atomic():
            sections = self.seed_sections()
            authors = self.seed_authors()
            plans = self.seed_plans()
            accounts = self.seed_accounts()
            self.seed_subscriptions(accounts, plans)
            self.seed_second_factors(accounts)
            staff = {account.group: user for user, account, _ in accounts if account.group}
            self.link_reporter_byline(authors, staff["Reporter"])
            self.seed_articles(sections, authors, staff["Editor"], staff["Reporter"])
        self.report(accounts)

    # Sections, authors, accounts

    def seed_sections(self):
        sections = {}
        for spec in SECTIONS:
            section = Section.objects.filter(slug=spec["slug"]).first()
            if section is None:
                section = Section(
                    slug=spec["slug"],
                    name=spec["name"],
                    name_be=spec["name_be"],
                    name_ru=spec["name_ru"],
                    position=spec["position"],
                    description=spec["description"],
                )
                self.save_new(section)
            else:
                self.existing += 1
            sections[section.slug] = section
        return sections

    def seed_authors(self):
        authors = {}
        for index, spec in enumerate(AUTHORS):
            author = Author.objects.filter(slug=spec["slug"]).first()
            if author is None:
                author = Author(slug=spec["slug"], name=spec["name"], bio=spec["bio"])
                self.attach_portrait(author, index)
                self.save_new(author)
            else:
                self.existing += 1
                if file_missing(author.photo):
                    self.attach_portrait(author, index)
                    author.save(update_fields=["photo"])
            authors[author.slug] = author
        return authors

    def attach_portrait(self, author, index):
        initials = "".join(word[0] for word in author.name.split())
        colours = SECTIONS[index % len(SECTIONS)]["colours"]
        data = draw_portrait(initials, colours)
        author.photo.save(f"{author.slug}.jpg", ContentFile(data), save=False)
        self.drawn += 1

    def seed_plans(self):
        plans = {}
        for name, duration_days in PLANS:
            plan = Plan.objects.filter(name=name).first()
            if plan is None:
                plan = Plan(name=name, duration_days=duration_days)
                self.save_new(plan)
            else:
                self.existing += 1
            plans[plan.name] = plan
        return plans

    def seed_accounts(self):
        """The demo accounts, each with whether its demo password still works.

        Existing accounts keep their password: someone may have changed it on
        purpose, and the summary says so rather than resetting it. Every demo
        account has a confirmed address, so it can log in on the reader site.
        """
        User = get_user_model()
        accounts = []
        for account in ACCOUNTS:
            user = User.objects.filter(email__iexact=account.email).first()
            if user is None:
                user = User.objects.create_user(
                    account.email,
                    account.password,
                    is_staff=account.is_staff,
                    is_superuser=account.is_superuser,
                    email_confirmed_at=timezone.now(),
                )
                self.created += 1
                password_works = True
            else:
                self.existing += 1
                password_works = user.check_password(account.password)
                if user.email_confirmed_at is None:
                    # What the confirmation link would do. An account that was
                    # confirmed and then deactivated on purpose stays inactive.
                    user.email_confirmed_at = timezone.now()
                    user.is_active = True
                    user.save(update_fields=["email_confirmed_at", "is_active"])
            if account.group:
                user.groups.add(self.role(account.group))
            accounts.append((user, account, password_works))
        return accounts

    def seed_second_factors(self, accounts):
        """Every demo staff account without a second factor gets the demo
        authenticator app, whose key is printed (and public)."""
        for user, account, _ in accounts:
            if account.is_staff and not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(
                    user=user, name="Demo authenticator app", key=DEMO_APP_KEY, confirmed=True
                )

    def role(self, name):
        group = Group.objects.filter(name=name).first()
        if group is None:
            raise CommandError(f"The “{name}” role is missing: run `manage.py migrate` first.")
        return group

    def link_reporter_byline(self, authors, reporter):
        author = authors[REPORTER_BYLINE]
        if author.user_id is None and not hasattr(reporter, "author_profile"):
            author.user = reporter
            author.save(update_fields=["user"])

    def seed_subscriptions(self, accounts, plans):
        """The demo subscriber's POZIRK+: one in force now, granted if none is."""
        plan = plans[SUBSCRIBER_PLAN]
        now = timezone.now()
        for user, account, _password_works in accounts:
            if not account.is_subscriber:
                continue
            if Subscription.objects.covering(now).filter(user=user).exists():
                self.existing += 1
                continue
            start, end = RENEWAL if user.subscriptions.exists() else FIRST_GRANT
            self.save_new(
                Subscription(
                    user=user,
                    plan=plan,
                    starts_at=now + start,
                    ends_at=now + end,
                    source=SubscriptionSource.MANUAL,
                    note="Demo subscription from seed_demo.",
                )
            )

    # Articles

    def seed_articles(self, sections, authors, editor, reporter):
        now = timezone.now()
        existing = {
            article.headline: article
            for article in Article.objects.filter(headline__in=[a["headline"] for a in ARTICLES])
        }
        for spec in ARTICLES:
            article = existing.get(spec["headline"])
            if article is None:
                self.create_article(spec, sections, authors, editor, reporter, now)
                continue
            self.existing += 1
            if spec.get("image") and file_missing(article.lead_image):
                self.attach_lead_image(article, spec)
                article.save(
                    update_fields=[
                        "lead_image", "lead_image_width", "lead_image_height",
                        "lead_image_alt", "lead_image_caption", "lead_image_credit",
                    ]
                )  # fmt: skip

    def create_article(self, spec, sections, authors, editor, reporter, now):
        is_draft = spec.get("draft", False)
        in_review = spec.get("review", False)
        writer = reporter if in_review else editor
        if in_review:
            status = Status.REVIEW
        elif is_draft:
            status = Status.DRAFT
        else:
            status = Status.PUBLISHED
        article = Article(
            headline=spec["headline"],
            dek=spec["dek"],
            body=spec["body"],
            section=sections[spec["section"]],
            language=spec.get("language", Language.ENGLISH),
            access=spec.get("access", Access.FREE),
            status=status,
            published_at=(
                now - timedelta(hours=spec["hours_ago"]) if status == Status.PUBLISHED else None
            ),
            created_by=writer,
            last_edited_by=writer,
        )
        if spec.get("translation_of_lead"):
            # The lead story (ARTICLES[0]), seeded before its translations.
            article.translation_of = Article.objects.get(headline=ARTICLES[0]["headline"])
        if spec.get("image"):
            self.attach_lead_image(article, spec)
        if spec.get("blocks"):
            article.body += self.body_blocks(spec)
        self.save_new(article)
        article.authors.set([authors[slug] for slug in spec.get("authors", [])])
        article.sections.set([sections[slug] for slug in spec.get("also_in", [])])
        article.tags.add(*spec["tags"])
        if in_review:
            workflow.record(article, Status.DRAFT, reporter)
        if spec.get("pin"):
            Pin.objects.create(article=article, position=spec["pin"], created_by=editor)
        if spec.get("correction"):
            Correction.objects.create(article=article, text=spec["correction"], created_by=editor)
            article.revised_at = timezone.now()
            article.save(update_fields=["revised_at"])

    def body_blocks(self, spec):
        """A library picture, a pull quote and an embed, as the body editor
        writes them (articles/body_editor.py)."""
        blocks = spec["blocks"]
        picture = blocks["picture"]
        section = next(s for s in SECTIONS if s["slug"] == spec["section"])
        image = LibraryImage(alt=picture["alt"], caption=picture["caption"], credit=IMAGE_CREDIT)
        data = draw_illustration(picture["label"], section["colours"], seed=picture["label"])
        image.file.save(f"{latin_slug(picture['label'])}.jpg", ContentFile(data), save=False)
        image.save()
        return (
            f'<figure class="body-image" data-image="{image.pk}"></figure>'
            f'<blockquote class="pull-quote"><p>{blocks["pull_quote"]}</p></blockquote>'
            f'<figure class="embed"><a href="{blocks["embed"]}">{blocks["embed"]}</a></figure>'
        )

    def attach_lead_image(self, article, spec):
        image = spec["image"]
        section = next(s for s in SECTIONS if s["slug"] == spec["section"])
        data = draw_illustration(image["label"], section["colours"], seed=spec["headline"])
        name = f"{latin_slug(spec['headline'], max_length=60) or 'illustration'}.jpg"
        article.lead_image.save(name, ContentFile(data), save=False)
        article.lead_image_alt = image.get("alt") or (
            f"An abstract {section['colour_name']} illustration with the words “{image['label']}”."
        )
        article.lead_image_caption = image["caption"]
        article.lead_image_credit = IMAGE_CREDIT
        self.drawn += 1

    # Helpers

    def save_new(self, obj):
        """Save a new object after the checks an editor's form would run, so the
        demo never holds anything the admin itself would refuse."""
        try:
            obj.full_clean()
        except ValidationError as error:
            raise CommandError(
                f"Demo {obj._meta.verbose_name} “{obj}” is invalid: {error}"
            ) from None
        obj.save()
        self.created += 1

    def report(self, accounts):
        subscriptions = sum(account.is_subscriber for account in ACCOUNTS)
        total = sum(map(len, [SECTIONS, AUTHORS, ARTICLES, ACCOUNTS, PLANS])) + subscriptions
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(SECTIONS)} sections, {len(AUTHORS)} authors, "
                f"{len(ARTICLES)} articles, {len(ACCOUNTS)} accounts, {len(PLANS)} plans "
                f"and {subscriptions} subscriber{'s' * (subscriptions != 1)} "
                f"(created {self.created}, already there {self.existing} of {total})."
            )
        )
        if self.drawn:
            self.stdout.write(f"Drew {self.drawn} images into {settings.MEDIA_ROOT}.")
        self.stdout.write(f"\nSite:  {SITE_URL}\nAdmin: {ADMIN_URL}\n")
        self.stdout.write("Demo accounts (public passwords: never use them on a real site):")
        width = max(len(account.email) for account in ACCOUNTS)
        for user, account, password_works in accounts:
            password = account.password if password_works else "(password changed; kept)"
            role = account.role
            if not user.is_active:
                role += " (account deactivated; kept)"
            elif account.is_subscriber and (until := valid_until(user)):
                role += f", until {timezone.localtime(until):%Y-%m-%d}"
            self.stdout.write(f"  {account.email:<{width}} {password:<24} {role}")
        self.stdout.write(
            "\nStaff accounts then ask for a second factor. Their demo authenticator app's "
            f"key is {demo_app_secret()}: add it to any authenticator app, or get the "
            "current code with\n  DJANGO_DEBUG=true .venv/bin/python manage.py demo_code"
        )


def file_missing(field_file):
    """True if the image field is empty or points at a file no longer in storage
    (a wiped media directory under a kept database)."""
    return not field_file or not field_file.storage.exists(field_file.name)


def draw_illustration(label, colours, seed):
    """A 1200×675 JPEG: a gradient in the section's colours, a pattern and a label.

    Obviously a placeholder, different for every article, the same on every
    run (seeded by the headline), and drawn here rather than downloaded.
    """
    rng = random.Random(zlib.crc32(seed.encode()))
    width, height = LEAD_IMAGE_SIZE
    image = gradient(LEAD_IMAGE_SIZE, colours, rotation=rng.choice((0, 90, 180, 270)))
    draw = ImageDraw.Draw(image, "RGBA")
    rng.choice((draw_stripes, draw_rings, draw_dots))(draw, width, height, rng)
    draw.rectangle([0, height - 150, width, height], fill=(0, 0, 0, 110))
    draw.text((60, height - 75), label, font=ImageFont.load_default(64), fill="white", anchor="lm")
    draw.text(
        (width - 40, height - 30),
        IMAGE_CREDIT,
        font=ImageFont.load_default(22),
        fill=(255, 255, 255, 190),
        anchor="rs",
    )
    return jpeg_bytes(image)


def draw_portrait(initials, colours):
    """A square JPEG with the author's initials, for the author page."""
    image = gradient(PORTRAIT_SIZE, colours, rotation=0)
    centre = (PORTRAIT_SIZE[0] // 2, PORTRAIT_SIZE[1] // 2)
    ImageDraw.Draw(image).text(
        centre, initials, font=ImageFont.load_default(160), fill="white", anchor="mm"
    )
    return jpeg_bytes(image)


def gradient(size, colours, rotation):
    dark, light = colours
    shades = Image.linear_gradient("L").rotate(rotation).resize(size)
    return ImageOps.colorize(shades, black=dark, white=light)


def draw_stripes(draw, width, height, rng):
    step = rng.randrange(50, 110)
    for x in range(-height, width, step):
        draw.line([(x, height), (x + height, 0)], fill=(255, 255, 255, 40), width=step // 3)


def draw_rings(draw, width, height, rng):
    cx, cy = rng.randrange(width), rng.randrange(height // 2)
    for radius in range(40, width + height, rng.randrange(45, 90)):
        box = [cx - radius, cy - radius, cx + radius, cy + radius]
        draw.ellipse(box, outline=(255, 255, 255, 50), width=10)


def draw_dots(draw, width, height, rng):
    step = rng.randrange(50, 80)
    for x in range(step // 2, width, step):
        for y in range(step // 2, height, step):
            r = rng.randrange(4, step // 3)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, 55))


def jpeg_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
