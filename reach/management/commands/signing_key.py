from django.core.management.base import BaseCommand

from reach import signing


class Command(BaseCommand):
    help = (
        "Show the newsroom's public key (to publish), or make a new private key "
        "for NEWSROOM_SIGNING_KEY with --new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="make a new private key")

    def handle(self, *args, new=False, **options):
        if new:
            seed = signing.new_key()
            key = signing.load_key(seed)
            self.stdout.write(f"NEWSROOM_SIGNING_KEY={seed}")
            self.stderr.write(
                "Keep it secret and back it up (deploy/CHECKLIST.md). Its public key:"
            )
        else:
            key = signing.private_key()
        public = signing.public_key_base64(key)
        self.stderr.write(f"public key:  {public}\nfingerprint: {signing.fingerprint(public)}")
        self.stderr.write(signing.public_key_pem(key))
