from django import template

from .. import hosts, signing

register = template.Library()

# How a reader checks a file they were sent, with OpenSSL 3.
OPENSSL_VERIFY = (
    "openssl pkeyutl -verify -pubin -inkey newsroom.pem -rawin -in FILE -sigfile FILE.sig"
)


@register.inclusion_tag("reach/_how_to_reach_us.html")
def how_to_reach_us():
    """The about page's part that is this app's: where else the site can be
    read, and the newsroom's public signing key with how to check a file.
    The rest of the page is the editors' (articles.models.InfoPage)."""
    key = signing.public_key_base64() if signing.has_key() else None
    return {
        "public_key": key,
        "public_key_pem": signing.public_key_pem() if key else None,
        "key_fingerprint": signing.fingerprint(key) if key else None,
        "onion_url": hosts.onion_url(),
        "openssl_command": OPENSSL_VERIFY,
    }
