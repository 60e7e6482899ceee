"""Make the responsive renditions of every lead image and library image.

Saves make them; pages never do (see articles/renditions.py). This is for
images saved before renditions existed, media restored without its
renditions folder, and new encoder settings (with --force). Run it once after
deploying the release that brings renditions, before readers see its pages.
"""

from django.core.files.images import get_image_dimensions
from django.core.management.base import BaseCommand
from django.db.models import Q

from articles.renditions import SOURCE_FIELDS, generate_renditions


class Command(BaseCommand):
    help = (
        "Make the missing renditions (several widths, each in AVIF, WebP and JPEG) of "
        "every article's lead image and every library image."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make every rendition again, even those that exist (after changing "
            "the encoder settings).",
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        self.verbosity = verbosity
        self.missing = []
        done = set()
        made = 0
        for model, field_name in SOURCE_FIELDS.items():
            field = model._meta.get_field(field_name)
            self.fill_dimensions(model, field)
            rows = (
                model._base_manager.exclude(**{field.name: ""})
                .filter(**{f"{field.width_field}__gt": 0, f"{field.height_field}__gt": 0})
                .only(field.name, field.width_field, field.height_field)
                .order_by("pk")
            )
            for row in rows.iterator():
                file = getattr(row, field.name)
                # A reused picture is one file for several rows.
                if file.name in done:
                    continue
                done.add(file.name)
                if not file.storage.exists(file.name):
                    self.report_missing(model, row.pk, file.name)
                    continue
                count = generate_renditions(file, force=force)
                made += count
                if count and verbosity > 1:
                    self.stdout.write(f"{file.name}: {count} renditions")
        for line in self.missing:
            self.stderr.write(f"Original missing from storage, skipped: {line}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(done)} images checked, {made} renditions written.")
        )

    def fill_dimensions(self, model, field):
        """Record the size of images saved without one: renditions need it, and
        Django would otherwise read the file each time such a row is loaded."""
        unsized = (
            model._base_manager.exclude(**{field.name: ""})
            .filter(
                Q(**{f"{field.width_field}__isnull": True})
                | Q(**{f"{field.height_field}__isnull": True})
            )
            .values_list("pk", field.name)
        )
        for pk, name in unsized:
            if not field.storage.exists(name):
                self.report_missing(model, pk, name)
                continue
            with field.storage.open(name) as file:
                width, height = get_image_dimensions(file)
            model._base_manager.filter(pk=pk).update(
                **{field.width_field: width, field.height_field: height}
            )

    def report_missing(self, model, pk, name):
        self.missing.append(f"{model._meta.verbose_name} {pk}: {name}")
