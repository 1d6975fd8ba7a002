"""Settings, read from the environment (and an optional `.env` file beside manage.py).

With nothing set, the project runs on embedded defaults: SQLite, a file-based cache, a local media
folder and Celery over kombu's filesystem transport, all under `var/`. Setting `DATABASE_URL` and
`REDIS_URL` moves it to PostgreSQL and Redis. The README's configuration table lists every variable.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from marketplace.object_storage import object_storage

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
# The secrets shipped for development, public in this repository. With DEBUG off, the site and the
# Celery worker refuse to start while any of them is still in use (marketplace/checks.py).
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "reloop-local-development-key-change-me-in-production",
    "CARRIER_WEBHOOK_SECRET": "sandbox-carrier-webhook-secret",
    "PAYMENT_WEBHOOK_SECRET": "sandbox-payment-webhook-secret",
}
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRETS["SECRET_KEY"])
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# seed_demo creates accounts that share a published password, a superuser among them: with DEBUG off
# it runs only on a site that says it is a demo (DEMO=1).
DEMO = env.bool("DEMO", default=False)

INSTALLED_APPS = [
    # First, so that runserver serves the ASGI application (websockets too) as daphne does.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from static: /api/docs/ needs no CDN
    "csp",
    "axes",
    "marketplace",
    "accounts",
    "notifications",
    "providers",
    "listings",
    "shipping",
    "inspection",
    "wallet",
    "orders",
    "messaging",
    "recycling",
    "consignment",
    "live",
    "feed",
    "trust",
    "operations",
    "demo",
    # Stand-ins for the payment and payout providers, which live outside Reloop in production.
    "sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads the database (the session): decides whether this request's reads may
    # go to the read replica. Left out of the chain when there is none (marketplace/db_router.py).
    "marketplace.db_router.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses an oversized request body before it is read (413); before CSRF, which reads the form.
    "marketplace.upload_limits.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page or JSON.
    "axes.middleware.AxesMiddleware",
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
                "notifications.context_processors.live_updates",
                "live.context_processors.live_shows",
            ],
        },
    },
    {
        # The channel's cards, results and filter panel and a listing's page body only (listings/jinja.py),
        # which ask for it by name.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "listings.jinja.environment", "autoescape": True},
    },
]

# --- Data -------------------------------------------------------------------------------------------

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# A read replica of DATABASE_URL for browsing (marketplace/db_router.py): the reads of a request that
# has not written go to it, unless the same browser wrote within REPLICA_PIN_SECONDS, which must be
# longer than the replica lags behind. Writes, reads in a transaction and everything outside a request
# (the worker) use the primary. Unset: one database, no router.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # A test run creates no database on the replica's server: the alias reads the test primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["marketplace.db_router.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        _database.setdefault("CONN_HEALTH_CHECKS", True)
# The hottest lookups by key are planned once per PostgreSQL connection (marketplace/prepared_statements.py).
# Off behind a pooler that shares sessions between clients (PgBouncer in transaction mode).
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if env.str("CACHE_URL", default=""):
    # An explicit cache, e.g. `dummycache://` to measure pages with no caching at all.
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif REDIS_URL:
    # django-redis, with errors ignored: a Redis that is down or does not answer within
    # REDIS_TIMEOUT reads as a miss and stores nothing, so pages, sessions and the API fall back to
    # the database. The first error is logged, then one a minute (LOGGING below).
    _redis_timeout = env.float("REDIS_TIMEOUT", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="reloop"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": _redis_timeout,
                "SOCKET_TIMEOUT": _redis_timeout,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "marketplace.cache"
else:
    # A file-based cache is shared by the web process and the Celery worker, unlike local memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Sessions live in the database and are cached where the cache answers: with Redis down, people stay
# signed in.
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
# Private files are reached through listings.photos.private_storage(), which builds this one anew on
# each use so that it follows PRIVATE_MEDIA_ROOT.
STORAGES["private"] = {"BACKEND": "listings.photos.PrivateStorage"}
# Origins other than this site's that pages load images from (the Content-Security-Policy's img-src).
MEDIA_ORIGINS: tuple[str, ...] = ()
# How long a signed URL to a private file works, on object storage: an owner's or staff member's
# browser follows it at once; a link passed on or kept in a history soon stops working.
PRIVATE_MEDIA_URL_SECONDS = env.int("PRIVATE_MEDIA_URL_SECONDS", default=300)
# With STORAGE_URL set, both kinds of media live on S3-compatible object storage (its shape:
# marketplace/object_storage.py): public media in a public bucket, served at MEDIA_URL (the bucket or
# a CDN in front of it), private files in a private bucket, reached through signed URLs only. Not kept
# as a setting of its own: it holds the secret key, and only settings named like one are hidden from
# error reports.
_storage_url = env.str("STORAGE_URL", default="")
if _storage_url:
    _object_storage = object_storage(_storage_url, private_url_seconds=PRIVATE_MEDIA_URL_SECONDS)
    STORAGES.update(_object_storage.storages)
    MEDIA_URL = _object_storage.media_url
    MEDIA_ORIGINS = _object_storage.origins

# Upload limits. The request body limit sits a little above one photo's limit so that Django rejects
# oversized bodies before reading them, and the photo checks give the precise message.
LISTING_PHOTO_MAX_BYTES = env.int("LISTING_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
LISTING_PHOTO_MAX_PIXELS = env.int("LISTING_PHOTO_MAX_PIXELS", default=40_000_000)
LISTING_PHOTO_MAX_COUNT = 12
LISTING_THUMBNAIL_WIDTHS = (240, 480, 960)
# A listing's video (listings.videos): the longest, in seconds, and the largest upload, in bytes. The
# video job refuses a longer one; a larger upload is refused as it arrives (413).
LISTING_VIDEO_MAX_SECONDS = env.int("LISTING_VIDEO_MAX_SECONDS", default=60)
LISTING_VIDEO_MAX_BYTES = env.int("LISTING_VIDEO_MAX_BYTES", default=100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The most one request may carry in files, all together: past it the request is refused (413) as it
# arrives, before anything is stored (marketplace.upload_limits). One file past
# LISTING_PHOTO_MAX_BYTES is refused the same way (one past LISTING_VIDEO_MAX_BYTES, on the video
# uploads). By default one video at its limit fits, with a megabyte for the form around it.
UPLOAD_REQUEST_MAX_BYTES = env.int("UPLOAD_REQUEST_MAX_BYTES", default=LISTING_VIDEO_MAX_BYTES + 1024 * 1024)
# The most pixels the photos of one request may have together, read from their headers before any
# is decoded (listings.photos.check_pixel_budget): twelve 12-megapixel phone photos fit.
PHOTO_REQUEST_MAX_PIXELS = env.int("PHOTO_REQUEST_MAX_PIXELS", default=150_000_000)
FILE_UPLOAD_HANDLERS = [
    "marketplace.upload_limits.UploadBudgetHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Money ------------------------------------------------------------------------------------------

CURRENCY = env.str("CURRENCY", default="CNY")

# The site's public address, for links made with no request to build them from: the sandbox's payment
# page and webhooks, links in e-mails. `make run` / `make stack` pass the port they serve on as PORT,
# so that these follow it when SITE_URL is unset.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")

# --- Buying ---------------------------------------------------------------------------------------

# "Buy now" holds a unique item for this long while the buyer pays; a job puts it back on sale after.
RESERVATION_MINUTES = env.int("RESERVATION_MINUTES", default=15)
# A shopper's offer (议价), or a seller's counter, lapses unanswered after this many hours.
OFFER_HOURS = env.int("OFFER_HOURS", default=48)
# How many offers one shopper may make on one listing, counters included.
OFFERS_PER_LISTING = env.int("OFFERS_PER_LISTING", default=3)
# An accepted offer reserves the item at the agreed price for this long while the buyer pays: they may
# not be online when the seller accepts.
OFFER_PAYMENT_HOURS = env.int("OFFER_PAYMENT_HOURS", default=24)
# Reloop's own stock answers offers by rule: it accepts one at or above this share of the price and
# declines anything lower. A consigned item's floor is its consignment floor.
OFFER_STOCK_FLOOR_RATE = Decimal(env.str("OFFER_STOCK_FLOOR_RATE", default="0.90"))
# Days after delivery in which a buyer may ask for a return or open a dispute; an order with neither
# completes by itself when they have passed, and the seller is paid.
RETURN_WINDOW_DAYS = env.int("RETURN_WINDOW_DAYS", default=7)
# The platform's fee on a person-to-person sale, taken from the price when the seller is paid.
PLATFORM_FEE_RATE = Decimal(env.str("PLATFORM_FEE_RATE", default="0.05"))
# What the buyer of a private seller's item pays for shipping on top of the price; it prepays the
# label the seller books through Reloop (or goes to a seller who sends the parcel themselves). Reloop's
# own and consigned stock ship free.
PERSON_TO_PERSON_SHIPPING_FEE = Decimal(env.str("PERSON_TO_PERSON_SHIPPING_FEE", default="12.00"))
# Inspected delivery (验货宝): what the buyer of a private seller's item pays for the platform to
# inspect it against its listing on the way (the leg from the centre to the buyer included).
INSPECTED_DELIVERY_FEE = Decimal(env.str("INSPECTED_DELIVERY_FEE", default="39.00"))
# Withdrawals above this amount wait for a person in `operations` to approve them.
WITHDRAWAL_APPROVAL_THRESHOLD = Decimal(env.str("WITHDRAWAL_APPROVAL_THRESHOLD", default="5000"))
# The most one withdrawal may move, whatever the balance.
WITHDRAWAL_MAX = Decimal(env.str("WITHDRAWAL_MAX", default="50000"))
# How long operations take to approve a withdrawal above the threshold, as the wallet promises it.
WITHDRAWAL_APPROVAL_HOURS = env.int("WITHDRAWAL_APPROVAL_HOURS", default=24)

PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="sandbox")
# Shared secret of the payment provider's webhook signatures (HMAC-SHA256 of timestamp and body).
PAYMENT_WEBHOOK_SECRET = env.str(
    "PAYMENT_WEBHOOK_SECRET", default=DEVELOPMENT_SECRETS["PAYMENT_WEBHOOK_SECRET"]
)
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
CARRIER_WEBHOOK_SECRET = env.str(
    "CARRIER_WEBHOOK_SECRET", default=DEVELOPMENT_SECRETS["CARRIER_WEBHOOK_SECRET"]
)
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

# --- Live shows ------------------------------------------------------------------------------------

# How many items a show's line-up holds, and how far ahead a show may be scheduled.
LIVE_LINEUP_MAX = env.int("LIVE_LINEUP_MAX", default=30)
LIVE_SCHEDULE_DAYS_AHEAD = env.int("LIVE_SCHEDULE_DAYS_AHEAD", default=30)
# Where a show's video plays: the media server's HLS playlist for the show's public stream name.
LIVE_PLAYBACK_URL = env.str("LIVE_PLAYBACK_URL", default="/hls/{stream}.m3u8")
LIVE_MEDIA_ORIGINS: tuple[str, ...] = (
    (f"{urlsplit(LIVE_PLAYBACK_URL).scheme}://{urlsplit(LIVE_PLAYBACK_URL).netloc}",)
    if urlsplit(LIVE_PLAYBACK_URL).netloc
    else ()
)
# Where hosts' encoders send their stream (RTMP), and the secret the media server puts in its callback
# URLs (live.media_hooks): with none, the callbacks refuse every stream.
LIVE_RTMP_URL = env.str("LIVE_RTMP_URL", default="rtmp://127.0.0.1:1935/live")
LIVE_MEDIA_SECRET = env.str("LIVE_MEDIA_SECRET", default="")
# Chat flooding: at most this many messages from one viewer in this many seconds.
LIVE_CHAT_BURST = env.int("LIVE_CHAT_BURST", default=5)
LIVE_CHAT_BURST_SECONDS = env.int("LIVE_CHAT_BURST_SECONDS", default=10)
# An explanation clip of a sold item is kept for the buyer's return window (RETURN_WINDOW_DAYS, when a
# dispute may be opened) and this many days more, counted from the delivery of its latest order; then
# a daily job deletes it (live.services.replays.clips_expire). An open dispute keeps it.
LIVE_CLIP_KEEP_DAYS = env.int("LIVE_CLIP_KEEP_DAYS", default=90)

# --- Creators (feed.creators) ---------------------------------------------------------------------------

# The commission creators earn on a sale through their link, where staff set no rate for the item's
# category; a private seller may offer more on their own items, never above 50%.
CREATOR_COMMISSION_RATE = Decimal(env.str("CREATOR_COMMISSION_RATE", default="0.05"))

# How long a closed store's deposit stays held for the cases its last sales may still bring, and the
# most one payment into a deposit may move.
STORE_DEPOSIT_TAIL_DAYS = env.int("STORE_DEPOSIT_TAIL_DAYS", default=90)
STORE_DEPOSIT_PAYMENT_MAX = Decimal(env.str("STORE_DEPOSIT_PAYMENT_MAX", default="200000"))
# A purchase this many days after the shopper's last click on a creator's link to the item still earns.
CREATOR_ATTRIBUTION_DAYS = env.int("CREATOR_ATTRIBUTION_DAYS", default=7)
# A shared link keeps the rate of the day it was shared for this many days.
CREATOR_RATE_LOCK_DAYS = env.int("CREATOR_RATE_LOCK_DAYS", default=30)

# --- Real time (Django Channels) ------------------------------------------------------------------------

ASGI_APPLICATION = "marketplace.asgi.application"
# Open pages hear of new notifications through the channel layer: Redis when there is one (every web
# process and the worker share it), else memory, enough for `make run`'s single web process.
# CHANNELS_REDIS_URL gives it a Redis of its own, apart from the cache's (docs/scaling.md).
CHANNELS_REDIS_URL = env.str("CHANNELS_REDIS_URL", default=REDIS_URL)
CHANNEL_LAYERS: dict[str, dict] = (
    {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Several Redis URLs, comma-separated, shard the layer (docs/scaling.md, live rooms).
            "CONFIG": {"hosts": [url.strip() for url in CHANNELS_REDIS_URL.split(",") if url.strip()]},
        }
    }
    if CHANNELS_REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)

# --- Celery -----------------------------------------------------------------------------------------

# CELERY_BROKER_URL gives the broker a Redis of its own, apart from the cache's, which may evict keys
# to make room (docs/scaling.md); Celery itself reads the same variable.
_broker_url = env.str("CELERY_BROKER_URL", default=REDIS_URL)
if _broker_url:
    CELERY_BROKER_URL = _broker_url
    # A broker host that does not answer fails a send within seconds (marketplace.jobs logs it and
    # the sweeps send it again) rather than holding the request.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": env.float("BROKER_CONNECT_TIMEOUT", default=2.0),
    }
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host is unused; naming it keeps kombu quiet
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
# Three queues, each with workers of its own in `make stack` and docker-compose, so that one kind of
# work piling up never holds up another: a flood of photos does not delay a payout. Every task of the
# project is on one of them (tests/marketplace/test_celery_queues.py); `celery`, the default, only
# gets what is not listed (Celery's own tasks). A worker started without -Q consumes all four, as the
# single worker of `make run` does.
_tasks_by_queue = {
    # Photos and what is computed from them, and other heavy work over listings: CPU-bound, and
    # arrives in bursts.
    "media": (
        "listings.tasks.make_listing_photo_thumbnails",
        "listings.tasks.process_waiting_photos",
        "listings.tasks.refresh_search_terms",
        "listings.tasks.process_listing_video",
        "listings.tasks.process_waiting_videos",
        "feed.tasks.process_creator_video",
        "feed.tasks.requeue_creator_videos",
        "recycling.tasks.prevalue_submission",
        "recycling.tasks.value_waiting_submissions",
        "recycling.tasks.purge_pending_photos",
        "live.tasks.cut_show_clips",
        "live.tasks.cut_missing_clips",
        "live.tasks.expire_clips",
        "feed.tasks.rebuild_item_neighbours",
        "feed.tasks.top_up_item_neighbours",
    ),
    # Anything that moves money or stock, or a parcel that carries it; and the heartbeat, so that
    # /healthz says whether these run.
    "money": (
        "marketplace.tasks.worker_heartbeat",
        "wallet.tasks.send_withdrawal",
        "wallet.tasks.check_sent_withdrawals",
        "orders.tasks.send_refund",
        "orders.tasks.send_unsent_refunds",
        "orders.tasks.release_lapsed_reservations",
        "orders.tasks.complete_delivered_orders",
        "feed.tasks.settle_creator_commissions",
        "trust.tasks.refund_due_deposits",
        "trust.tasks.expire_violation_points",
        "orders.tasks.expire_offers",
        "recycling.tasks.pay_recycle_offer",
        "recycling.tasks.pay_missing_recycle_offers",
        "recycling.tasks.expire_estimates",
        "recycling.tasks.expire_offers",
        "recycling.tasks.cancel_labels_left_live",
        "consignment.tasks.settle_consignments",
        "consignment.tasks.apply_price_drops",
        "consignment.tasks.end_consignment_terms",
        "shipping.tasks.book_requested_labels",
        "shipping.tasks.void_unused_labels",
        "shipping.tasks.cancel_shipment",
        "sandbox.tasks.deliver_webhook",
        "sandbox.tasks.deliver_lost_webhooks",
    ),
    # Telling people: notifications, e-mails, saved searches (and, later, feeds and live pushes).
    "notify": (
        "notifications.tasks.send_notification_email",
        "notifications.tasks.send_notification_emails",
        "notifications.tasks.send_unsent_notification_emails",
        "listings.tasks.notify_saved_searches",
        "orders.tasks.remind_return_windows",
        "feed.tasks.flush_interest_signals",
    ),
}
CELERY_TASK_DEFAULT_QUEUE = "celery"
# An exchange and a routing key of its own per queue: Celery would otherwise bind every queue to its
# default exchange under the key `celery`, and a message sent there would reach all four.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in (*_tasks_by_queue, CELERY_TASK_DEFAULT_QUEUE)
]
CELERY_TASK_ROUTES = {task: {"queue": queue} for queue, tasks in _tasks_by_queue.items() for task in tasks}
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
    "cut-missing-clips": {"task": "live.tasks.cut_missing_clips", "schedule": 30 * 60.0},
    "expire-clips": {"task": "live.tasks.expire_clips", "schedule": 24 * 60 * 60.0},
    "flush-interest-signals": {"task": "feed.tasks.flush_interest_signals", "schedule": 10.0},
    "rebuild-item-neighbours": {
        "task": "feed.tasks.rebuild_item_neighbours",
        "schedule": crontab(hour=3, minute=30),
    },
    "top-up-item-neighbours": {"task": "feed.tasks.top_up_item_neighbours", "schedule": crontab(minute=15)},
    "complete-delivered-orders": {"task": "orders.tasks.complete_delivered_orders", "schedule": 60 * 60.0},
    # Creators' commissions the order signals' receivers did not move (feed.services.commissions).
    "settle-creator-commissions": {"task": "feed.tasks.settle_creator_commissions", "schedule": 10 * 60.0},
    # Closed stores' deposits whose tail has passed go back to their owners' wallets.
    "refund-due-deposits": {
        "task": "trust.tasks.refund_due_deposits",
        "schedule": crontab(hour=4, minute=10),
    },
    # Violation points past their 90 days lift the restrictions they brought.
    "expire-violation-points": {
        "task": "trust.tasks.expire_violation_points",
        "schedule": crontab(hour=4, minute=20),
    },
    "check-sent-withdrawals": {"task": "wallet.tasks.check_sent_withdrawals", "schedule": 5 * 60.0},
    "expire-offers": {"task": "recycling.tasks.expire_offers", "schedule": 60 * 60.0},
    "pay-missing-recycle-offers": {
        "task": "recycling.tasks.pay_missing_recycle_offers",
        "schedule": 15 * 60.0,
    },
    "apply-price-drops": {"task": "consignment.tasks.apply_price_drops", "schedule": 60 * 60.0},
    "settle-consignments": {"task": "consignment.tasks.settle_consignments", "schedule": 10 * 60.0},
    "end-consignment-terms": {"task": "consignment.tasks.end_consignment_terms", "schedule": 60 * 60.0},
    # Jobs whose message was lost while the broker was down (marketplace.jobs), started again.
    "process-waiting-photos": {"task": "listings.tasks.process_waiting_photos", "schedule": 5 * 60.0},
    "process-waiting-videos": {"task": "listings.tasks.process_waiting_videos", "schedule": 5 * 60.0},
    "requeue-creator-videos": {"task": "feed.tasks.requeue_creator_videos", "schedule": 5 * 60.0},
    "value-waiting-submissions": {"task": "recycling.tasks.value_waiting_submissions", "schedule": 5 * 60.0},
    "cancel-labels-left-live": {"task": "recycling.tasks.cancel_labels_left_live", "schedule": 30 * 60.0},
    "send-unsent-refunds": {"task": "orders.tasks.send_unsent_refunds", "schedule": 10 * 60.0},
    "deliver-lost-webhooks": {"task": "sandbox.tasks.deliver_lost_webhooks", "schedule": 5 * 60.0},
    "send-unsent-notification-emails": {
        "task": "notifications.tasks.send_unsent_notification_emails",
        "schedule": 10 * 60.0,
    },
    "remind-return-windows": {"task": "orders.tasks.remind_return_windows", "schedule": 30 * 60.0},
    "notify-saved-searches": {"task": "listings.tasks.notify_saved_searches", "schedule": 10 * 60.0},
    "refresh-search-terms": {"task": "listings.tasks.refresh_search_terms", "schedule": 6 * 60 * 60.0},
    "expire-shopper-offers": {"task": "orders.tasks.expire_offers", "schedule": 10 * 60.0},
}
# How old the last heartbeat may be before /healthz calls the worker stale.
WORKER_HEARTBEAT_MAX_AGE = 60

# --- API --------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "marketplace.browsable_api.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Reloop API",
    "DESCRIPTION": "The second-hand goods channel, selling, and (in later versions) recycle and consignment.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI (and Redoc, if it is ever served) from the pinned drf-spectacular-sidecar package, as
    # static files of this site: the docs work offline and load nothing from another host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io with the schema's URL.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
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

# --- Abuse limits ---------------------------------------------------------------------------------
# docs/security.md says what each one stops and what was tried against it.

# How many proxies (load balancer, nginx) stand in front of the site and append the client's address
# to X-Forwarded-For. 0: the header is ignored and the connection's address is the client's
# (marketplace.client_ip). Set it to exactly the number of proxies: one more lets a client choose
# its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# Sign-in lockout (django-axes), on the sign-in page, the admin's and the API token endpoint: after
# SIGN_IN_FAILURE_LIMIT wrong passwords for one account, or from one address, further tries are
# refused until SIGN_IN_LOCKOUT_MINUTES have passed since the last one. Attempts are kept in the
# database, so a lockout holds across processes and with the cache down.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_LOCKOUT_MINUTES = env.int("SIGN_IN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, per address
AXES_CLIENT_IP_CALLABLE = "marketplace.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # else signing in to one's own account would clear an address's count
AXES_VERBOSE = False
# Token sign-ins per address (DRF throttle), on top of the lockout.
SIGN_IN_RATE = env.str("SIGN_IN_RATE", default="10/minute")

# API tokens stop working this many days after they were issued; DELETE /api/v1/auth/token/ revokes
# one at once.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

# "Buy now": one account may hold this many unpaid reservations at once; RESERVATION_LAPSE_LIMIT
# reservations left to lapse within RESERVATION_LAPSE_WINDOW_HOURS stop new ones until
# RESERVATION_COOLDOWN_HOURS after the last lapse.
RESERVATIONS_MAX_UNPAID = env.int("RESERVATIONS_MAX_UNPAID", default=3)
RESERVATION_LAPSE_LIMIT = env.int("RESERVATION_LAPSE_LIMIT", default=3)
RESERVATION_LAPSE_WINDOW_HOURS = env.int("RESERVATION_LAPSE_WINDOW_HOURS", default=24)
RESERVATION_COOLDOWN_HOURS = env.int("RESERVATION_COOLDOWN_HOURS", default=24)

# Rate limits (marketplace.rate_limits), "number/second|minute|hour|day": per user for photos and
# estimates, API and pages together; per address for sign-up and password reset e-mails.
PHOTO_UPLOAD_RATE = env.str("PHOTO_UPLOAD_RATE", default="60/hour")
ESTIMATE_RATE = env.str("ESTIMATE_RATE", default="20/hour")
SIGN_UP_RATE = env.str("SIGN_UP_RATE", default="5/hour")
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/hour")
ACCOUNT_EMAIL_RATE = env.str("ACCOUNT_EMAIL_RATE", default="5/hour")

# A new account confirms its e-mail address before it buys or sells; the link works this long.
EMAIL_CONFIRMATION_DAYS = env.int("EMAIL_CONFIRMATION_DAYS", default=3)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # seconds a password reset link works

# --- Mail, logging, security ------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Reloop <noreply@reloop.local>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "drop_forbidden_traceback": {"()": "operations.logging.DropForbiddenTraceback"},
        "once_a_minute": {"()": "marketplace.log_filters.OncePerInterval", "seconds": 60},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["drop_forbidden_traceback"]},
        # Cache errors django-redis ignored (the site carries on without the cache).
        "marketplace.cache": {"filters": ["once_a_minute"]},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS. SECURE_SSL=1 for a site served over HTTPS: plain HTTP is redirected (except /healthz, which
# load balancers probe over HTTP), browsers are told to use HTTPS only (HSTS, subdomains included,
# preload allowed) and cookies travel over HTTPS only. BEHIND_PROXY=1 when a proxy or load balancer
# ends TLS and says so in X-Forwarded-Proto; it must set that header itself, never pass on a client's.
SECURE_SSL = env.bool("SECURE_SSL", default=False)
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600) if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=SECURE_SSL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Content-Security-Policy (django-csp), on every page in every mode: scripts and styles come from this
# site's static files, or inline with the response's nonce (`nonce="{{ request.csp_nonce }}"`); no
# inline event handler, no style attribute, no eval (htmx runs with allowEval off, base.html).
# Swagger UI (/api/docs/) is a third-party page built from inline script and style: it is left out.
# DRF's browsable API may style inline (marketplace/browsable_api.py). docs/security.md has the why.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, *MEDIA_ORIGINS],
        # A live room plays HLS through Media Source Extensions (blob: URLs), fetched from the media
        # server (LIVE_PLAYBACK_URL's origin, when it is not this site); explanation clips are media
        # files like photos (MEDIA_ORIGINS when they are on object storage).
        "media-src": [SELF, "blob:", *LIVE_MEDIA_ORIGINS, *MEDIA_ORIGINS],
        "connect-src": [SELF, *LIVE_MEDIA_ORIGINS],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": SECURE_SSL,
    },
}
