from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reach import mirrors, signing


class Command(BaseCommand):
    help = (
        "Print where the site can be read now (the mirror list), signed with --json; "
        "or check a mirrors.json someone received with --verify FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the signed mirrors.json")
        parser.add_argument("--verify", metavar="FILE", help="check a mirrors.json's signature")
        parser.add_argument(
            "--key",
            metavar="BASE64",
            help="check against this public key rather than the configured one",
        )

    def handle(self, *args, json=False, verify=None, key=None, **options):
        if verify:
            return self._verify(Path(verify), key)
        if json:
            import json as json_module

            document = mirrors.signed_document()
            self.stdout.write(json_module.dumps(document, ensure_ascii=False, indent=2))
            return
        addresses = mirrors.current_list()
        for label, url in (("public", addresses["public"]), ("onion", addresses["onion"])):
            if url:
                self.stdout.write(f"{label}\t{url}")
        for url in addresses["mirrors"]:
            self.stdout.write(f"mirror\t{url}")
        if not addresses["mirrors"]:
            self.stdout.write("(no current mirror)")

    def _verify(self, path, key):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        if key is None and not signing.has_key():
            raise CommandError("No key to check against: set NEWSROOM_SIGNING_KEY or pass --key.")
        try:
            addresses = mirrors.verify_document(text, key)
        except mirrors.BadDocument as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Signature good: the newsroom's list of {addresses['issued_at']}.")
        )
        for url in addresses.get("mirrors", []):
            self.stdout.write(f"mirror\t{url}")
