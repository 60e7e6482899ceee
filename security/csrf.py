"""A reader's CSRF token, as Django's `get_token` makes it, drawn in one go.

`django.middleware.csrf.get_token` draws each of a token's 32 random
characters with a system call of its own (`secrets.choice`), 64 for a reader
without a CSRF cookie yet: about 33 µs per 32 on a virtual machine, where a
system call is dear, against a member's kept page that costs the app about
0.6 ms in all (reading/cache.py fills a token into every such page with a
form). `token_for` asks the system once for all of them.

What it returns and leaves on the request is exactly what `get_token` does,
so Django's CsrfViewMiddleware sends the cookie and checks the token as its
own: a mask, then the secret masked with it (each character's position in the
alphabet plus the mask's, modulo its length), the secret kept in
`request.META["CSRF_COOKIE"]` and the cookie marked to be sent again
(tests/test_csrf_tokens.py holds it to that).
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

ALPHABET = CSRF_ALLOWED_CHARS
POSITION = {char: position for position, char in enumerate(ALPHABET)}
# The largest multiple of the alphabet's 62 characters a byte can hold (248):
# bytes below it fall on every character equally often, bytes above are
# drawn again, so no character is likelier than another.
EVEN_BYTES = 256 - 256 % len(ALPHABET)


def random_characters(count):
    """`count` characters of the alphabet, each equally likely."""
    drawn = []
    while len(drawn) < count:
        # A few bytes more than needed: one call nearly always suffices.
        drawn += [
            ALPHABET[byte % len(ALPHABET)]
            for byte in secrets.token_bytes(count + 8)
            if byte < EVEN_BYTES
        ]
    return "".join(drawn[:count])


def token_for(request):
    """The CSRF token of a form in the page answering `request`, as
    `django.middleware.csrf.get_token(request)` would return it."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret, mask = _split(random_characters(2 * CSRF_SECRET_LENGTH))
        request.META["CSRF_COOKIE"] = secret
    else:
        mask = random_characters(CSRF_SECRET_LENGTH)
    # The cookie is sent again whenever a token is used, to renew its expiry,
    # as get_token has it.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    masked = "".join(
        ALPHABET[(POSITION[char] + POSITION[by]) % len(ALPHABET)]
        for char, by in zip(secret, mask, strict=True)
    )
    return mask + masked


def _split(characters):
    return characters[:CSRF_SECRET_LENGTH], characters[CSRF_SECRET_LENGTH:]
