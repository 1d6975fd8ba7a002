"""Settings, read from the environment (and an optional `.env` file beside manage.py).

With nothing set, the project runs on embedded defaults: SQLite, a file-based cache, a local media
folder and Celery over kombu's filesystem transport, all under `var/`. Setting `DATABASE_URL` and
`REDIS_URL` moves it to PostgreSQL and Redis. The README's configuration table lists every variable.
"""

from decimal import Decimal
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]"]),
    REDIS_URL=(str, ""),
    SERVE_MEDIA=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env.str("SECRET_KEY", default="reloop-local-development-key-change-me-in-production")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "marketplace",
    "accounts",
    "listings",
    "shipping",
    "inspection",
    "wallet",
    "orders",
    "recycling",
    "consignment",
    "operations",
    "demo",
    # Stand-ins for the payment and payout providers, which live outside Reloop in production.
    "sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "operations.context_processors.staff_menu",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------------

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if env.str("CACHE_URL", default=""):
    # An explicit cache, e.g. `dummycache://` to measure pages with no caching at all.
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="reloop"),
        }
    }
else:
    # A file-based cache is shared by the web process and the Celery worker, unlike local memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "listings:home"
LOGOUT_REDIRECT_URL = "listings:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages --------------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
WHITENOISE_USE_FINDERS = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start when it is missing

# Public media holds only derived images (thumbnails). Uploaded originals are kept apart in
# PRIVATE_MEDIA_ROOT, which no URL serves.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
SERVE_MEDIA = env("SERVE_MEDIA") or DEBUG

# Upload limits. The request body limit sits a little above one photo's limit so that Django rejects
# oversized bodies before reading them, and the photo checks give the precise message.
LISTING_PHOTO_MAX_BYTES = env.int("LISTING_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
LISTING_PHOTO_MAX_PIXELS = env.int("LISTING_PHOTO_MAX_PIXELS", default=40_000_000)
LISTING_PHOTO_MAX_COUNT = 12
LISTING_THUMBNAIL_WIDTHS = (240, 480, 960)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Money ------------------------------------------------------------------------------------------

CURRENCY = env.str("CURRENCY", default="CNY")

# The site's public address, for links in e-mails (no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Buying ---------------------------------------------------------------------------------------

# "Buy now" holds a unique item for this long while the buyer pays; a job puts it back on sale after.
RESERVATION_MINUTES = env.int("RESERVATION_MINUTES", default=15)
# Days after delivery in which a buyer may ask for a return or open a dispute; an order with neither
# completes by itself when they have passed, and the seller is paid.
RETURN_WINDOW_DAYS = env.int("RETURN_WINDOW_DAYS", default=7)
# The platform's fee on a person-to-person sale, taken from the price when the seller is paid.
PLATFORM_FEE_RATE = Decimal(env.str("PLATFORM_FEE_RATE", default="0.05"))
# Withdrawals above this amount wait for a person in `operations` to approve them.
WITHDRAWAL_APPROVAL_THRESHOLD = Decimal(env.str("WITHDRAWAL_APPROVAL_THRESHOLD", default="5000"))
# The most one withdrawal may move, whatever the balance.
WITHDRAWAL_MAX = Decimal(env.str("WITHDRAWAL_MAX", default="50000"))

PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="sandbox")
# Shared secret of the payment provider's webhook signatures (HMAC-SHA256 of timestamp and body).
PAYMENT_WEBHOOK_SECRET = env.str("PAYMENT_WEBHOOK_SECRET", default="sandbox-payment-webhook-secret")
# Where the sandbox provider posts its webhooks; empty: delivered in-process through the same view
# code (signature checked), which is what tests and a single-process run use.
PAYMENT_SANDBOX_WEBHOOK_URL = env.str(
    "PAYMENT_SANDBOX_WEBHOOK_URL", default=f"{SITE_URL}/api/v1/payments/webhook/"
)
# Holds the sandbox's webhooks instead of delivering them after commit, so that a test (or the demo
# seeding) can deliver them itself, late, twice or out of order.
PAYMENT_SANDBOX_HOLD_WEBHOOKS = False
PAYOUT_PROVIDER = env.str("PAYOUT_PROVIDER", default="sandbox")
# Makes the sandbox payment and payout providers refuse every call (a provider outage).
PAYMENT_SANDBOX_FAIL = env.bool("PAYMENT_SANDBOX_FAIL", default=False)

# --- Recycle and consignment intake --------------------------------------------------------------

ESTIMATE_VALID_DAYS = 7
LABEL_UNUSED_CANCEL_DAYS = 14
# Shared secret of the carrier's webhook signatures (HMAC-SHA256 of the raw body).
CARRIER_WEBHOOK_SECRET = env.str("CARRIER_WEBHOOK_SECRET", default="sandbox-carrier-webhook-secret")
CARRIER = env.str("CARRIER", default="sandbox")
# Makes the sandbox carrier refuse every call, to see how the site behaves when a carrier is down.
CARRIER_SANDBOX_FAIL = env.bool("CARRIER_SANDBOX_FAIL", default=False)

# --- Offers and consignment ---------------------------------------------------------------------

OFFER_VALID_DAYS = env.int("OFFER_VALID_DAYS", default=7)
CONSIGNMENT_TERM_DAYS = env.int("CONSIGNMENT_TERM_DAYS", default=90)
# The consignment price drops: days after listing, and the share of the list price taken off each time.
CONSIGNMENT_PRICE_DROPS = ((30, Decimal("0.10")), (60, Decimal("0.10")))
# The lowest floor a seller may set, as a share of the list price; the proposed floor is this too.
CONSIGNMENT_FLOOR_MIN_SHARE = Decimal(env.str("CONSIGNMENT_FLOOR_MIN_SHARE", default="0.60"))
# The account that lists platform stock and consigned items in the channel.
PLATFORM_SELLER_USERNAME = env.str("PLATFORM_SELLER_USERNAME", default="reloop")

# --- Celery -----------------------------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "marketplace.tasks.worker_heartbeat", "schedule": 15.0},
    "expire-estimates": {"task": "recycling.tasks.expire_estimates", "schedule": 15 * 60.0},
    "void-unused-labels": {"task": "shipping.tasks.void_unused_labels", "schedule": 60 * 60.0},
    "book-requested-labels": {"task": "shipping.tasks.book_requested_labels", "schedule": 10 * 60.0},
    "purge-pending-photos": {"task": "recycling.tasks.purge_pending_photos", "schedule": 6 * 60 * 60.0},
    "release-lapsed-reservations": {"task": "orders.tasks.release_lapsed_reservations", "schedule": 60.0},
    "complete-delivered-orders": {"task": "orders.tasks.complete_delivered_orders", "schedule": 60 * 60.0},
    "check-sent-withdrawals": {"task": "wallet.tasks.check_sent_withdrawals", "schedule": 5 * 60.0},
    "expire-offers": {"task": "recycling.tasks.expire_offers", "schedule": 60 * 60.0},
    "pay-missing-recycle-offers": {
        "task": "recycling.tasks.pay_missing_recycle_offers",
        "schedule": 15 * 60.0,
    },
    "apply-price-drops": {"task": "consignment.tasks.apply_price_drops", "schedule": 60 * 60.0},
    "settle-consignments": {"task": "consignment.tasks.settle_consignments", "schedule": 10 * 60.0},
    "end-consignment-terms": {"task": "consignment.tasks.end_consignment_terms", "schedule": 60 * 60.0},
}
# How old the last heartbeat may be before /healthz calls the worker stale.
WORKER_HEARTBEAT_MAX_AGE = 60

# --- API --------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Reloop API",
    "DESCRIPTION": "The second-hand goods channel, selling, and (in later versions) recycle and consignment.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a `status` (and a grade); each enum gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ListingStatusEnum": "listings.models.ListingStatus",
        "PhotoStatusEnum": "listings.models.PhotoStatus",
        "GradeEnum": "listings.models.Grade",
        "SubmissionStatusEnum": "recycling.models.SubmissionStatus",
        "ShipmentStatusEnum": "shipping.models.ShipmentStatus",
        "InspectionStatusEnum": "inspection.models.InspectionStatus",
        "CheckOutcomeEnum": "inspection.models.CheckOutcome",
        "OrderStatusEnum": "orders.models.OrderStatus",
        "ReturnStatusEnum": "orders.models.ReturnStatus",
        "DisputeOutcomeEnum": "orders.models.DisputeOutcome",
        "WithdrawalStatusEnum": "wallet.models.WithdrawalStatus",
    },
}

# --- Mail, logging, security ------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Reloop <noreply@reloop.local>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"drop_forbidden_traceback": {"()": "operations.logging.DropForbiddenTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["drop_forbidden_traceback"]},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
