"""Write every article's listings in the headline feeds afresh.

Saves keep them current (articles/listings.py); this is for databases
changed around the model: rows imported with SQL, restored from a backup of
some tables only, or edited with QuerySet.update().
"""

from django.core.management.base import BaseCommand

from articles import listings


class Command(BaseCommand):
    help = "Rebuild the headline feeds' listings of every published article."

    def handle(self, *args, **options):
        count = listings.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} listings written."))
