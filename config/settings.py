"""Relay settings: one module, every deployment difference comes from the environment.

The defaults run the whole service on one machine (SQLite, the django-q2 ORM broker, the console
email backend); DATABASE_URL and REDIS_URL move it onto PostgreSQL and Redis. See README.md.
"""

import sys
from pathlib import Path

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_email,
    env_hostname,
    env_hosts,
    env_int,
    env_int_list,
    env_keys,
    env_match,
    env_origins,
    env_path,
    env_redis_url,
    env_regex,
    env_secret,
    env_site_url,
    env_str,
    env_timezone,
    env_url,
    host_of,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The test suite needs no configuration of its own (pytest imports settings before any fixture runs).
TESTING = "pytest" in sys.modules
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
# The custody log's HMAC key, kept outside the database: whoever holds the database alone cannot rewrite the
# log and chain it again unseen. Each event records the id of the key it was chained with, so the key can be
# rotated: the new one becomes AUDIT_KEY (with a new AUDIT_KEY_ID) and the old one moves to AUDIT_OLD_KEYS.
AUDIT_KEY = env_secret("AUDIT_KEY", r"\S{32,}", "at least 32 characters long (make one with: openssl rand -hex 32)")
if not AUDIT_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("AUDIT_KEY must be set when DEBUG is off")
    AUDIT_KEY = "insecure-development-audit-key-do-not-use-in-production"  # noqa: S105
AUDIT_KEY_ID = env_match("AUDIT_KEY_ID", "1", r"[A-Za-z0-9._-]{1,16}", "1 to 16 letters, digits, dots, dashes")
AUDIT_KEYS = env_keys("AUDIT_OLD_KEYS") | {AUDIT_KEY_ID: AUDIT_KEY}
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")
# The host of SITE_URL is the one a deployment serves, so it is allowed unless the operator lists the hosts;
# an empty list would answer every request with 400.
ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", host_of(SITE_URL) + (",127.0.0.1,localhost" if DEBUG else ""))
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS", SITE_URL)

# What residents and staff see: the service and the council that runs it.
SERVICE_NAME = env_str("SERVICE_NAME", "Relay")
COUNCIL_NAME = env_str("COUNCIL_NAME", "Anytown Borough Council")
COUNCIL_PHONE = env_match(
    "COUNCIL_PHONE",
    "01632 960000",
    r"\+?[0-9][0-9 ()-]{4,22}[0-9]",
    "a phone number (digits, spaces, brackets, hyphens, a leading +)",
)
COUNCIL_EMAIL = env_email("COUNCIL_EMAIL", "relay@anytown.example")
# Asset tags (RLY-000123, RLY-SC-000001) must fit in 20 characters and in a label's upper-case QR URL.
ASSET_TAG_PREFIX = env_match("ASSET_TAG_PREFIX", "RLY", r"[A-Za-z0-9]{1,8}", "1 to 8 letters or digits").upper()

INSTALLED_APPS = [
    "core.adminsite.RelayAdminConfig",  # django.contrib.admin on Relay's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "axes",
    "core",
    "reuse",
    "lending",
    "matching",
    "insights",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.http.RequestSizeLimitMiddleware",  # before any view or CSRF check reads the body
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.service",
                "config.navigation.navigation",
                "csp.context_processors.nonce",
            ],
            "builtins": ["core.templatetags.staff"],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"

# Database: a SQLite file in var/ by default, or PostgreSQL.
DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'relay.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: freed space is zeroed, so personal data removed by the retention schedule cannot be
        # read back from the file (core.retention.forget_freed_pages checkpoints the WAL afterwards).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
    }
    # Tests use a file too, not SQLite's in-memory database: races between threads then queue on the
    # same WAL file lock production does, instead of failing at once on a shared-cache table lock.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
    # Django's SQLite backend with a flush that lifts the custody log's append-only triggers (core.appendonly).
    DATABASES["default"]["ENGINE"] = "core.backends.sqlite3"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: django-q2. The ORM broker needs nothing else running; Redis scales out.
TASK_TIMEOUT = env_int("TASK_TIMEOUT", 600, minimum=10, maximum=86_400)
Q_CLUSTER = {
    "name": "relay",
    "workers": env_int("TASK_WORKERS", 2, minimum=1, maximum=64),
    "timeout": TASK_TIMEOUT,
    "retry": TASK_TIMEOUT + 60,  # django-q2 needs retry > timeout, or a slow task would run twice
    "max_attempts": 3,
    "save_limit": 1000,
    "catch_up": False,
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1
# Tests and one-off scripts run tasks in-process; the worker is still what production uses.
TASKS_SYNC = env_bool("TASKS_SYNC", False)
# Where `core.numbering` keeps its counters (an app's model, as AUTH_USER_MODEL names the user model).
RELAY_COUNTER_MODEL = "reuse.Counter"

# QR labels: batches of more than LABELS_SYNC_SHEETS sheets are printed by a background task; no one
# batch may hold more than LABELS_MAX_BATCH labels. Finished batches' PDFs are deleted after
# LABEL_JOB_KEEP_DAYS.
LABELS_SYNC_SHEETS = env_int("LABELS_SYNC_SHEETS", 2, minimum=1, maximum=100)
LABELS_MAX_BATCH = env_int("LABELS_MAX_BATCH", 10_000, minimum=1, maximum=100_000)
LABEL_JOB_KEEP_DAYS = env_int("LABEL_JOB_KEEP_DAYS", 30, minimum=1, maximum=3650)
# The inventory hands its selection to the label page as one `device` field per device: allow a full batch.
DATA_UPLOAD_MAX_NUMBER_FIELDS = max(1000, LABELS_MAX_BATCH + 100)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: after LOGIN_FAILURE_LIMIT failures for one username from one address, that pair is
# locked out for LOGIN_COOLOFF_MINUTES. Keyed on both so one attacker cannot lock a colleague out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1, maximum=10_080)  # a week at most
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spraying: every failure from one address counts, whatever the user name (core.logins).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1, maximum=1000)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind PROXY_COUNT reverse proxies the client is the PROXY_COUNT-th X-Forwarded-For entry from the right
# (core.http.client_ip): lockouts and rate limits key on that address, never on one the client wrote.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0, maximum=10)
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10, minimum=1, maximum=720) * 3600
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, once the service is on HTTPS (SITE_URL says so): plain-HTTP requests are redirected and
# browsers are told to use HTTPS for a year. /healthz stays reachable over HTTP for load balancers.
ON_HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", ON_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if ON_HTTPS else 0, minimum=0, maximum=63_072_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", ON_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", ON_HTTPS)
# Content Security Policy (django-csp): scripts, styles and everything else from Relay itself; an inline
# script runs only with the page's nonce (`nonce="{{ request.csp_nonce }}"`); no eval, no inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env_path("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"  # never served directly: evidence and PDFs go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Sanitisation evidence. A wipe must be verified by a second technician unless this is turned off
# (a one-person depot); the tool's own report is kept as uploaded, up to EVIDENCE_MAX_MB.
SANITISATION_SEPARATE_VERIFIER = env_bool("SANITISATION_SEPARATE_VERIFIER", True)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 25, minimum=1, maximum=1000) * 1024 * 1024
# Wipe logs uploaded together on the import page: each is imported on its own; the upload as a whole is
# capped in number and total size. Django refuses a request with more files than that outright.
WIPE_LOG_UPLOAD_MAX_FILES = env_int("WIPE_LOG_UPLOAD_MAX_FILES", 250, minimum=1, maximum=10_000)
WIPE_LOG_UPLOAD_MAX_BYTES = env_int("WIPE_LOG_UPLOAD_MAX_MB", 100, minimum=1, maximum=1000) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, WIPE_LOG_UPLOAD_MAX_FILES + 10)
# No request body may be larger than the largest upload a page takes (plus the form around it): anything
# bigger is refused with a 413 before it is read (core.http.RequestSizeLimitMiddleware).
CSV_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
MAX_REQUEST_BYTES = max(WIPE_LOG_UPLOAD_MAX_BYTES, EVIDENCE_MAX_BYTES, CSV_UPLOAD_MAX_BYTES) + 1024 * 1024
# nwipe stamps its log in the wiping machine's clock, with no zone: say which zone those clocks keep.
WIPE_LOG_TIME_ZONE = env_timezone("WIPE_LOG_TIME_ZONE", TIME_ZONE)

# Email: the console by default; SMTP when EMAIL_HOST is set. The SMTP settings are checked even without
# it, so a typo shows up before the day someone turns email on.
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", f"{SERVICE_NAME} <{COUNCIL_EMAIL}>", with_name=True)
EMAIL_HOST = env_hostname("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65_535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# How email and text messages go: EMAIL_BACKEND console, smtp or notify (GOV.UK Notify); SMS_BACKEND
# console, notify or off. With DEBUG off, a console backend (which sends nothing) must be chosen by name.
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "core.notify.NotifyEmailBackend",
}
EMAIL_DELIVERY = env_choice("EMAIL_BACKEND", "smtp" if EMAIL_HOST else "console", list(EMAIL_BACKENDS))
SMS_BACKEND = env_choice("SMS_BACKEND", "console" if DEBUG else "off", ["console", "notify", "off"])
if EMAIL_DELIVERY == "console" and not (DEBUG or TESTING or env_str("EMAIL_BACKEND")):
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must be set when DEBUG is off: smtp (with EMAIL_HOST) or notify; console sends no email, "
        "so it must be chosen by name"
    )
if EMAIL_DELIVERY == "smtp" and not EMAIL_HOST:
    raise ImproperlyConfigured("EMAIL_HOST must be set when EMAIL_BACKEND is smtp")
EMAIL_BACKEND = EMAIL_BACKENDS[EMAIL_DELIVERY]
# GOV.UK Notify: the API key (key name, service id and secret), and one generic template per channel whose
# content is personalisation: ((subject)) and ((body)) for email, ((link_to_file)) too for documents,
# ((body)) for text messages.
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
NOTIFY_API_KEY = env_secret(
    "NOTIFY_API_KEY", rf"[A-Za-z0-9_-]+-{UUID}-{UUID}", "a GOV.UK Notify API key: key name, service id, secret key"
)
NOTIFY_BASE_URL = env_url("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk", schemes=("https", "http"))
NOTIFY_EMAIL_TEMPLATE_ID = env_match("NOTIFY_EMAIL_TEMPLATE_ID", "", f"({UUID})?", "a Notify template id (a UUID)")
NOTIFY_EMAIL_FILE_TEMPLATE_ID = env_match(
    "NOTIFY_EMAIL_FILE_TEMPLATE_ID", "", f"({UUID})?", "a Notify template id (a UUID)"
)
NOTIFY_SMS_TEMPLATE_ID = env_match("NOTIFY_SMS_TEMPLATE_ID", "", f"({UUID})?", "a Notify template id (a UUID)")
NOTIFY_TEMPLATES = {  # each channel sent through Notify needs the key and its template
    "EMAIL_BACKEND": (EMAIL_DELIVERY, "NOTIFY_EMAIL_TEMPLATE_ID", NOTIFY_EMAIL_TEMPLATE_ID),
    "SMS_BACKEND": (SMS_BACKEND, "NOTIFY_SMS_TEMPLATE_ID", NOTIFY_SMS_TEMPLATE_ID),
}
for _channel, (_choice, _template_name, _template) in NOTIFY_TEMPLATES.items():
    if _choice == "notify" and not NOTIFY_API_KEY:
        raise ImproperlyConfigured(f"NOTIFY_API_KEY must be set when {_channel} is notify")
    if _choice == "notify" and not _template:
        raise ImproperlyConfigured(f"{_template_name} must be set when {_channel} is notify")

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint logs every layout step of every PDF at INFO: only its warnings are worth keeping.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Lending (library desks). Card numbers are checked against LIBRARY_CARD_PATTERN (a regular expression
# matched against the whole scan, spaces removed, upper case): the default is the common 14-digit
# library barcode.
LIBRARY_CARD_PATTERN = env_regex("LIBRARY_CARD_PATTERN", r"^[0-9]{14}$")
LOAN_DUE_SOON_DAYS = env_int("LOAN_DUE_SOON_DAYS", 3, minimum=1, maximum=90)
OVERDUE_REMINDER_DAYS = env_int_list("OVERDUE_REMINDER_DAYS", "1,7,21", minimum=1, maximum=365)
# A renewal runs from the current due date. RENEWAL_NOT_BEFORE_DAYS (Koha's "no renewal before"): 0 allows
# a renewal on any day of the loan; N refuses one more than N days before the due date as too soon.
RENEWAL_NOT_BEFORE_DAYS = env_int("RENEWAL_NOT_BEFORE_DAYS", 0, minimum=0, maximum=365)
HOLD_PICKUP_DAYS = env_int("HOLD_PICKUP_DAYS", 5, minimum=1, maximum=60)
CONNECTIVITY_EXPIRY_WARNING_DAYS = env_int("CONNECTIVITY_EXPIRY_WARNING_DAYS", 14, minimum=0, maximum=365)
LOAN_REMINDER_HOUR = env_int("LOAN_REMINDER_HOUR", 9, minimum=0, maximum=23)
# Retention: a borrower's personal data is anonymised this many days after their last loan closed (or
# their last waiting-list place ended, or they registered, if later); loans and figures stay.
BORROWER_RETENTION_DAYS = env_int("BORROWER_RETENTION_DAYS", 365, minimum=1, maximum=3650)

# Matching (community requests). A request serving people outside the council's area (judged from
# COUNCIL_POSTCODE_DISTRICTS) is matched after every request inside it. REQUEST_OPEN_LIMIT caps each
# organisation's open requests; the public form refuses a submission quicker than REQUEST_FORM_MIN_SECONDS
# (a bot). Follow-ups go FOLLOW_UP_DAYS after each handover; request contacts are forgotten
# REQUEST_CONTACT_RETENTION_DAYS after the request is finished. Household references are kept only as an
# HMAC keyed with CLIENT_REFERENCE_KEY (required in production; derived from SECRET_KEY in development).
COUNCIL_POSTCODE_DISTRICTS = [
    district.strip().upper()
    for district in env_match(
        "COUNCIL_POSTCODE_DISTRICTS",
        "AN1,AN2,AN3,AN4,AN5,AN6,AN7,AN8,AN9",
        r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]?(\s*,\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?)*",
        "postcode districts separated by commas, e.g. AN1,AN2,AN10",
    ).split(",")
]
REQUEST_OPEN_LIMIT = env_int("REQUEST_OPEN_LIMIT", 3, minimum=1, maximum=50)
REQUEST_FORM_MIN_SECONDS = env_int("REQUEST_FORM_MIN_SECONDS", 10, minimum=0, maximum=600)
FOLLOW_UP_DAYS = env_int_list("FOLLOW_UP_DAYS", "30,90", minimum=1, maximum=365)
REQUEST_CONTACT_RETENTION_DAYS = env_int("REQUEST_CONTACT_RETENTION_DAYS", 365, minimum=30, maximum=3650)
MATCHING_HOUR = env_int("MATCHING_HOUR", 2, minimum=0, maximum=23)
CLIENT_REFERENCE_KEY = env_match(
    "CLIENT_REFERENCE_KEY", "", r"(.{32,})?", "at least 32 characters (a random secret kept outside the database)"
)
if not CLIENT_REFERENCE_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("CLIENT_REFERENCE_KEY must be set when DEBUG is off")
    CLIENT_REFERENCE_KEY = "dev-client-reference:" + SECRET_KEY

# The JSON API (api/): Bearer tokens only, JSON only, errors as problem+json, cursor pages, throttled per
# token and per client address (core.http.client_ip), counted in the cache.
RATE = r"[1-9][0-9]{0,6}/(second|minute|hour|day|s|m|h|d)"
RATE_EXPECTED = "a number of requests per second, minute, hour or day, e.g. 120/minute"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopeAllows"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.TokenThrottle", "api.throttles.AddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_match("API_RATE_PER_TOKEN", "120/minute", RATE, RATE_EXPECTED),
        "address": env_match("API_RATE_PER_ADDRESS", "300/minute", RATE, RATE_EXPECTED),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SERVICE_NAME} API",
    "DESCRIPTION": (
        f"{COUNCIL_NAME}'s device reuse service. Send a token as `Authorization: Bearer <token>`; it acts as "
        "the member of staff it was made for, so their role and sites decide what it sees. Lists are "
        "cursor-paginated (`next`, `previous`) with no limit on depth. Errors are `application/problem+json` "
        "(RFC 9457). The open datasets need no token."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "tryItOutEnabled": False},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.problem_responses"],
    "ENUM_NAME_OVERRIDES": {
        "DeviceStatusEnum": "reuse.models.DeviceStatus",
        "DeviceKindEnum": "reuse.models.DeviceKind",
        "StorageTypeEnum": "reuse.models.StorageType",
        "WipeResultEnum": "reuse.models.sanitisation.WipeResult",
        "SiteKindEnum": "reuse.models.sites.SiteKind",
    },
}

# The dashboard and open data read a rollup recounted every OPEN_DATA_REFRESH_MINUTES (insights).
OPEN_DATA_REFRESH_MINUTES = env_int("OPEN_DATA_REFRESH_MINUTES", 60, minimum=5, maximum=1440)
