"""Settings for Newsroom, read from the environment.

Every variable is documented in `.env.example`. The defaults give the quick
start: debug on, an SQLite file in the project and a local-memory cache.
Production sets DJANGO_DEBUG=false, and then a missing secret key is an error.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

from articles import body_editor
from newsroom.environment import env_bool, env_float, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. See .env.example."
        )
    # Only ever used with debug on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-use-in-production"
# Former keys, comma-separated, still accepted (never used to sign) while a
# new key is rolled out: sessions and reset links survive. See deploy/CHECKLIST.md.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

# The public domains. Requests to any other name are refused (400) by
# reach.middleware.ReachMiddleware, first in the chain, unless they come to
# the onion service or to a mirror editors keep in the admin: that list
# changes without a restart, which Django's fixed ALLOWED_HOSTS cannot, so
# Django's own check is left open and the check is made there (reach/hosts.py).
NEWSROOM_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Reaching readers behind censorship (reach/): the public address canonical
# links name on every host (e.g. https://news.example.org; empty: the host
# asked), the onion service's v3 name, and the Ed25519 key that signs the
# mirror list and the daily edition files (base64 seed; `manage.py
# signing_key --new`). See README, "Reaching readers behind censorship".
NEWSROOM_PUBLIC_URL = os.environ.get("NEWSROOM_PUBLIC_URL", "").rstrip("/")
NEWSROOM_ONION_HOST = os.environ.get("NEWSROOM_ONION_HOST", "").strip().lower()
NEWSROOM_SIGNING_KEY = os.environ.get("NEWSROOM_SIGNING_KEY", "")
if DEBUG and not NEWSROOM_SIGNING_KEY:
    # The quick start signs with a key derived from its development secret.
    NEWSROOM_SIGNING_KEY = base64.b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
# Days back for which daily edition files are listed and built.
NEWSROOM_EDITION_DAYS = env_int("NEWSROOM_EDITION_DAYS", 30)

SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "BPN")
SITE_TAGLINE = os.environ.get("NEWSROOM_SITE_TAGLINE", "Independent news about Belarus")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "taggit",
    "django_prose_editor",
    "axes",
    "simple_history",
    "imagekit",
    # Second factors: authenticator-app codes and security keys (django-otp).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    # Membership and the one place that decides who reads what.
    "paywall",
    # The content and its editorial admin.
    "articles",
    # The reader's site: pages, feeds, search, SEO, previews and their cache
    # (after articles: it adds the preview views to the article admin).
    "reading",
    # Second factors for staff (required) and readers (optional); the
    # security log (after paywall: it adds factor resets to the user admin).
    "security",
    # Demo content and load generators (seed_demo, generate_articles).
    "demo",
    # Newsletters by email: subscriptions, letters, and their delivery
    # through the task queue (django-tasks with its database backend).
    "newsletters",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    # Reaching readers behind censorship: onion, mirrors, daily edition files.
    "reach",
    # Paying for POZIRK+: cards through Stripe, access codes.
    "payments",
]

MIDDLEWARE = [
    # /healthz and /readyz, for load balancers: before host checks and the
    # HTTPS redirect, which their probes would fail.
    "newsroom.health.HealthCheckMiddleware",
    # Which address this is (public, onion, a mirror): unknown hosts get a
    # 400, retired mirrors a pointer to the current ones (reach/middleware.py).
    "reach.middleware.ReachMiddleware",
    # Django's, leaving the onion service on plain HTTP.
    "reach.middleware.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL character anywhere in a request is a 400 before any view or cache
    # sees it: PostgreSQL cannot store one (newsroom/bad_input.py).
    "newsroom.bad_input.RefuseNulMiddleware",
    # Anonymous readers' pages, from the cache before anything else runs
    # (reading/cache.py).
    "reading.cache.PageCacheMiddleware",
    # Searches the page cache did not answer, limited per client and per
    # process before the session is read: a refusal costs next to nothing
    # (reading/search_limits.py).
    "reading.search_limits.SearchLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The edition: from the address's prefix (/be/, /ru/, /en/, /be-latn/);
    # an address without one is redirected by the edition cookie, else by
    # Accept-Language (reading/editions.py, newsroom/urls.py). The edition
    # lasts as long as the request (EditionScopeMiddleware).
    "reading.editions.EditionScopeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed a second factor?
    # (django-otp's, a visitor without a session answered without a lookup.)
    "security.middleware.VerifiedUserMiddleware",
    # The admin in each editor's own language, whatever edition the site
    # shows them (newsroom/admin_language.py): after the user is known.
    "newsroom.admin_language.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff (and readers who chose a second factor) reach nothing but the
    # second-factor pages until they pass one; staff sessions last hours.
    "security.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the site's policy built once (security/csp.py).
    "security.csp.SitePolicyMiddleware",
    "paywall.middleware.ReaderPrivacyMiddleware",
    # The Belarusian edition in Łacinka: its pages' text transliterated.
    "reading.editions.LacinkaMiddleware",
    # Records who made each article revision.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts into 429 responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reading.context_processors.site",
                "reading.context_processors.kept_csrf_token",
                "newsroom.admin_language.admin_languages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# An optional read replica: anonymous readers' public pages (feeds, articles,
# search, RSS/Atom, sitemaps) read from it; writes, logged-in people, form
# posts and the admin use the primary (newsroom.routers, newsroom.middleware).
# Tests use the primary's test database for it (MIRROR).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "newsroom.middleware.ReplicaReadsMiddleware",
    )
# Seconds after any content change during which those pages still read from
# the primary, until the replica has caught up.
NEWSROOM_REPLICA_LAG_SECONDS = env_int("NEWSROOM_REPLICA_LAG_SECONDS", 10)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, keeping its redis-py clients (newsroom/cache.py).
            "BACKEND": "newsroom.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A cache that does not answer fast is skipped (pages render
            # without it) rather than waited for.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# Sessions live in the database so that a cache outage never logs anyone out.
# Read through the cache (paywall/session_store.py): a member's page costs no
# query for the session; a cache outage costs a query, never a login.
SESSION_ENGINE = "paywall.session_store"
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 600)

AUTH_USER_MODEL = "paywall.User"
LOGIN_URL = "paywall:login"
LOGIN_REDIRECT_URL = "paywall:account"
LOGOUT_REDIRECT_URL = "articles:home"

AUTHENTICATION_BACKENDS = [
    # Refuses logins while an account or address is locked out, then defers.
    "axes.backends.AxesStandaloneBackend",
    # Logs readers in; loads them with their POZIRK+ status in one query.
    "paywall.backends.ReaderBackend",
    # Sessions begun before ReaderBackend was listed name this one.
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Brute force: after AXES_FAILURE_LIMIT failed logins for one account, or from
# one address, further attempts get 429 until the cool-off has passed. Both the
# email and the address are stored only as keyed hashes (paywall.lockout).
AXES_FAILURE_LIMIT = env_int("POZIRK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("POZIRK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "paywall.lockout.hashed_username"
AXES_CLIENT_IP_CALLABLE = "paywall.lockout.hashed_client_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
# The 429 page, with Retry-After and the way in by a one-time sign-in link.
AXES_LOCKOUT_CALLABLE = "paywall.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# How many proxies (nginx, a CDN) stand in front of the app and append to
# X-Forwarded-For. 0 trusts only the connection's own address.
NEWSROOM_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0)

# Second factors (security/). Staff must pass one to use anything but the
# second-factor pages; readers may add one on their account page.
# Roles that publish (the permission below) may be held to security keys:
# no authenticator-app codes. Recommended; off so that the quick start's demo
# editor can sign in with a printed code.
NEWSROOM_SECURITY_KEYS_ONLY_FOR_PUBLISHERS = env_bool(
    "NEWSROOM_SECURITY_KEYS_ONLY_FOR_PUBLISHERS", False
)
NEWSROOM_PUBLISHING_PERMISSION = "articles.publish_article"
# A staff login lasts this many hours, however active (readers: SESSION_COOKIE_AGE).
NEWSROOM_STAFF_SESSION_HOURS = env_int("NEWSROOM_STAFF_SESSION_HOURS", 8)
# The most sensitive actions (another staff account's roles or factors,
# exports) ask for the second factor again if it was passed longer ago.
NEWSROOM_REAUTHENTICATION_MINUTES = env_int("NEWSROOM_REAUTHENTICATION_MINUTES", 10)
# Authenticator apps show this issuer beside the account.
OTP_TOTP_ISSUER = SITE_NAME
# Security keys and passkeys (django-otp-webauthn) as a second factor only:
# the password always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = SITE_NAME
# The relying party is the host the browser is on (security.webauthn); a key
# works only on the origins listed here, https://<each allowed host> unless set.
OTP_WEBAUTHN_RP_ID_CALLABLE = "security.webauthn.relying_party_id"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "NEWSROOM_WEBAUTHN_ORIGINS",
    [f"https://{host.lstrip('.')}" for host in NEWSROOM_HOSTS if host not in ("*", "testserver")]
    # The quick start: browsers allow keys on plain-HTTP localhost.
    + (["http://localhost:8000"] if DEBUG else []),
)
SILENCED_SYSTEM_CHECKS = []
if not OTP_WEBAUTHN_ALLOWED_ORIGINS:
    # No host named yet (a management command with debug off): keys work
    # nowhere until DJANGO_ALLOWED_HOSTS or NEWSROOM_WEBAUTHN_ORIGINS is set,
    # which serving requires anyway.
    SILENCED_SYSTEM_CHECKS.append("otp_webauthn.E030")
# Nothing of a failed ceremony (which may hold device details) in the logs.
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = ""

# POZIRK+ membership.
POZIRK_MAX_SESSIONS = env_int("POZIRK_MAX_SESSIONS", 3)
POZIRK_GIFT_LINKS_PER_MONTH = env_int("POZIRK_GIFT_LINKS_PER_MONTH", 10)
POZIRK_GIFT_LINK_DAYS = env_int("POZIRK_GIFT_LINK_DAYS", 7)
POZIRK_CONFIRMATION_DAYS = env_int("POZIRK_CONFIRMATION_DAYS", 3)
# Messages of each kind (confirmation, "your account", password reset,
# sign-in link) one address may be sent an hour, and posts to each form that
# sends mail one client may make an hour (paywall/limits.py). Past either,
# nothing is sent and the page reads the same.
POZIRK_MAILS_PER_HOUR = env_int("POZIRK_MAILS_PER_HOUR", 3)
POZIRK_ACCOUNT_REQUESTS_PER_HOUR = env_int("POZIRK_ACCOUNT_REQUESTS_PER_HOUR", 20)
# How long a one-time sign-in link works.
POZIRK_SIGN_IN_LINK_MINUTES = env_int("POZIRK_SIGN_IN_LINK_MINUTES", 15)
# Where readers who cannot pay by card write to join (shown on /plus/join/).
POZIRK_CONTACT_EMAIL = os.environ.get("POZIRK_CONTACT_EMAIL", "")
# Days a member keeps reading after a card renewal fails, while Stripe retries.
POZIRK_PAYMENT_GRACE_DAYS = env_int("POZIRK_PAYMENT_GRACE_DAYS", 7)

# Card payments (payments/): off unless both keys are set; the webhook needs
# its signing secret. STRIPE_API_BASE and STRIPE_JS_URL point elsewhere only
# for tests (localstripe).
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The editions: each at its own prefix, /be/, /ru/, /en/, and the Belarusian
# edition in Łacinka at /be-latn/ (the Belarusian catalogue, transliterated
# as the page is sent: reading/editions.py). A first visit to an address
# without a prefix goes to the edition the reader chose before (the cookie
# the language switch sets), else to the best match of Accept-Language, else
# to NEWSROOM_DEFAULT_EDITION.
LANGUAGE_CODE = os.environ.get("NEWSROOM_DEFAULT_EDITION", "en")
LANGUAGES = [
    ("be", "Беларуская"),
    ("ru", "Русский"),
    ("en", "English"),
    ("be-latn", "Biełaruskaja łacinkaj"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "edition"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Vilnius")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# The body editor's own blocks (library images, pull quotes, embeds): their
# editor code, and what the sanitiser keeps of each (articles/body_editor.py).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/admin/body-blocks.js")],
        "extensions": body_editor.PROCESSORS,
    }
]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads on S3-compatible storage (AWS, Hetzner, Scaleway, MinIO…) when a
# bucket is named, so that several app hosts share one set of media. Readers
# must still fetch images from this site, never from the storage provider (it
# would see their addresses, and CSP allows images from this site only): nginx
# proxies MEDIA_URL to the bucket and AWS_S3_CUSTOM_DOMAIN names the site,
# e.g. news.example.org/media. See deploy/nginx/newsroom.conf.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    if not os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        raise ImproperlyConfigured(
            "AWS_S3_CUSTOM_DOMAIN must be set with AWS_STORAGE_BUCKET_NAME: images are "
            "served through this site (e.g. news.example.org/media). See .env.example."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "custom_domain": os.environ["AWS_S3_CUSTOM_DOMAIN"],
            # Unset values are None: boto3 then uses its own defaults (AWS,
            # credentials from the instance role or ~/.aws).
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # A folder inside the bucket, if it is shared.
            "location": os.environ.get("AWS_LOCATION", ""),
            # Public, stable addresses (no expiring signatures in pages or
            # caches); a new upload never replaces an existing file; the
            # bucket's own policy decides access, not a per-object ACL.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Bounces and complaints from an email provider (django-anymail): the
# provider's name (e.g. "postmark", "mailgun") turns its webhook on at
# /newsletters/provider/<name>/tracking/, guarded by the shared secret
# ("user:password", the provider sends it as HTTP basic auth).
NEWSLETTERS_PROVIDER = os.environ.get("NEWSLETTERS_PROVIDER", "")
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    }.items()
    if value
}

# The site's public address, for links in email (no request to ask).
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Newsletters (newsletters/): who sends, how fast, and the task queue.
NEWSLETTERS_FROM_EMAIL = os.environ.get("NEWSLETTERS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# Discreet mode's sender: a neutral display name always; an address on a
# neutral domain too, if the newsroom has one (with its own SPF and DKIM).
NEWSLETTERS_DISCREET_FROM_EMAIL = os.environ.get(
    "NEWSLETTERS_DISCREET_FROM_EMAIL", NEWSLETTERS_FROM_EMAIL
)
# Messages handed to the mail server per second, all workers together (0: no limit).
NEWSLETTERS_RATE_PER_SECOND = env_float("NEWSLETTERS_RATE_PER_SECOND", 20)
# Messages sent over one SMTP connection before it is opened afresh.
NEWSLETTERS_BATCH_SIZE = env_int("NEWSLETTERS_BATCH_SIZE", 200)
# Delivery tasks queued per send: that many workers can share one send.
NEWSLETTERS_PARALLEL_TASKS = env_int("NEWSLETTERS_PARALLEL_TASKS", 4)
# A send whose workers have been silent this long is resumed by another.
NEWSLETTERS_STALL_SECONDS = env_int("NEWSLETTERS_STALL_SECONDS", 120)
# How often each worker looks for due letters and stalled sends.
NEWSLETTERS_TICK_SECONDS = env_float("NEWSLETTERS_TICK_SECONDS", 20)
# Attempts at an address whose server answers "try later" (4xx) before it
# counts as failed.
NEWSLETTERS_MAX_ATTEMPTS = env_int("NEWSLETTERS_MAX_ATTEMPTS", 3)
# Confirmation emails one address may be sent per hour (sign-ups repeated by
# anyone cannot flood a mailbox).
NEWSLETTERS_CONFIRMATIONS_PER_HOUR = env_int("NEWSLETTERS_CONFIRMATIONS_PER_HOUR", 3)
NEWSLETTERS_CONFIRMATION_DAYS = env_int("NEWSLETTERS_CONFIRMATION_DAYS", 3)
# The development server runs a worker in its own process, so `make run`
# sends newsletters with nothing else started; production runs
# `manage.py newsletter_worker` under systemd (deploy/newsletter-worker.service).
NEWSLETTERS_EMBEDDED_WORKER = env_bool("NEWSLETTERS_EMBEDDED_WORKER", DEBUG)

# The task queue: django-tasks, its rows in this database (see README,
# "Newsletters: for operators", for why).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "newsletters"],
    }
}

# Uploads: limits for lead images, checked before anything is stored.
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
# Anonymous readers' pages: seconds kept in the app's cache (changes retire
# them at once), and what nginx or a CDN may keep (s-maxage) and serve while
# refetching (stale-while-revalidate).
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 300)
# Each process serves its own copy of recent pages, trusting the content
# version it last read for this long: a change on another app host reaches
# its pages within this time (0 asks the shared cache on every request).
NEWSROOM_PAGE_CACHE_VERSION_SECONDS = env_float("NEWSROOM_PAGE_CACHE_VERSION_SECONDS", 0.5)
NEWSROOM_PAGE_CACHE_LOCAL_PAGES = env_int("NEWSROOM_PAGE_CACHE_LOCAL_PAGES", 500)
# An anonymous page is kept from the time its address is asked for this
# many times in a row, each within twice NEWSROOM_PAGE_CACHE_SECONDS of the
# last (as nginx's proxy_cache_min_uses): pages asked for once are most of
# the addresses a page cache sees and are never asked for again. 1 keeps
# every page at once.
NEWSROOM_PAGE_CACHE_MIN_USES = env_int("NEWSROOM_PAGE_CACHE_MIN_USES", 2)
# Logged-in readers' pages kept per reader class (no account, logged in,
# POZIRK+), the CSRF token filled in when served (reading/cache.py); false
# renders every page of a logged-in reader afresh.
NEWSROOM_CLASS_PAGE_CACHE = env_bool("NEWSROOM_CLASS_PAGE_CACHE", True)
# Rendered headlines, shared by every page and reader (reading/cache.py);
# keyed by what they show, so a change never waits for this.
NEWSROOM_FRAGMENT_CACHE_SECONDS = env_int("NEWSROOM_FRAGMENT_CACHE_SECONDS", 3600)
NEWSROOM_SHARED_CACHE_SECONDS = env_int("NEWSROOM_SHARED_CACHE_SECONDS", 1)
NEWSROOM_STALE_SECONDS = env_int("NEWSROOM_STALE_SECONDS", 30)
NEWSROOM_MORE_HEADLINES = env_int("NEWSROOM_MORE_HEADLINES", 12)
# Searches the page cache does not answer: per client a minute (a sixth of
# them every ten seconds), and at once per app process
# (reading/search_limits.py); 0 lifts a limit.
NEWSROOM_SEARCH_RATE_PER_MINUTE = env_int("NEWSROOM_SEARCH_RATE_PER_MINUTE", 30)
NEWSROOM_SEARCH_CONCURRENCY = env_int("NEWSROOM_SEARCH_CONCURRENCY", 2)

TAGGIT_CASE_INSENSITIVE = True

# Readers' browsers load nothing from anywhere but this site: no CDN, font,
# analytics or embed can slip in through a template. The admin is left out
# because its rich-text editor needs an inline import map.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "script-src": [SELF],
        "style-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Frames of this site only: an embedded video or post is framed by our
        # own /embed/ page, whose policy alone names its provider, and only
        # once the reader asks (reading.views.embed_frame).
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 30)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Production is HTTPS (deploy/nginx terminates TLS and redirects port 80
    # itself); Django redirects too, should a plain-HTTP request get through.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS: browsers that have seen the site once refuse plain HTTP to it for a
    # year, so a network that strips TLS cannot downgrade returning readers.
    # Sent over HTTPS only. Set DJANGO_HSTS_SECONDS=0 only to try production
    # settings without HTTPS (with DJANGO_SECURE_COOKIES and
    # DJANGO_SECURE_SSL_REDIRECT false).
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading (browsers know about HSTS before the first visit) binds the
    # whole domain and every subdomain to HTTPS for months, even after the
    # header is removed: the domain owner's decision, made at hstspreload.org,
    # so it is off by default and its reminder (security.W021) is silenced
    # until DJANGO_HSTS_PRELOAD=true. See deploy/CHECKLIST.md.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    # reach.middleware.SecurityMiddleware extends Django's, which Django's
    # checks look for by name: reach/checks.py runs them for it instead.
    SILENCED_SYSTEM_CHECKS.append("security.W001")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; only problems are worth a line.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Image renditions (articles/renditions.py), made with django-imagekit in the
# default storage (S3 included), under MEDIA_URL so CSP's img-src 'self'
# covers them. Optimistic: files are made when an image is saved, never while
# a page renders; the storage alone says whether one exists, so the shared
# cache plays no part. The renditions set both themselves; these are the
# defaults for any other imagekit use.
IMAGEKIT_CACHEFILE_DIR = "renditions"
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_DEFAULT_CACHEFILE_BACKEND = "articles.renditions.StorageBackend"
