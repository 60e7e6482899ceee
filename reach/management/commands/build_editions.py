from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reach import editions
from reach.models import EditionFile


class Command(BaseCommand):
    help = (
        "Build the daily edition files (EPUB and HTML, free and members' versions) of "
        "every edition whose stories changed since they were built. By default today's "
        "and yesterday's; run it from a timer (deploy/newsroom-editions.timer). Files of "
        "days no longer offered (NEWSROOM_EDITION_DAYS) are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--days", type=int, default=2, help="how many days back from --day (default 2)"
        )
        parser.add_argument(
            "--edition", choices=sorted(editions.EDITION_LANGUAGES), help="one edition only"
        )
        parser.add_argument(
            "--force", action="store_true", help="build even the files that are up to date"
        )

    def handle(self, *args, day=None, days=2, edition=None, force=False, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        last = day or timezone.localdate()
        chosen = [edition] if edition else sorted(editions.EDITION_LANGUAGES)
        built = 0
        for offset in range(days):
            current = last - timedelta(days=offset)
            for code in chosen:
                for for_members in (False, True):
                    built += self._build(code, current, for_members, force)
        self.stdout.write(f"{built} file(s) built.")
        # Days no longer offered (NEWSROOM_EDITION_DAYS) need not be kept.
        dropped, _ = EditionFile.objects.filter(day__lt=editions.recent_days()[0]).delete()
        if dropped:
            self.stdout.write(f"{dropped} file(s) of days no longer offered deleted.")

    def _build(self, edition, day, for_members, force):
        print_ = editions.fingerprint(edition, day)
        if print_ is None:
            return 0
        if not force and editions.is_current(edition, day, for_members, print_):
            return 0
        kept = editions.build(edition, day, for_members)
        for file in kept.values():
            name = editions.file_name(edition, day, for_members, file.format)
            self.stdout.write(f"{name}\t{len(file.content):>9,} bytes\tsha256 {file.sha256}")
        return len(kept)
