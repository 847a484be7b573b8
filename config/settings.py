"""Settings for Alliance, read from the environment (see .env.example)."""

import datetime
import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)


def days_kept(name, default):
    """A log's retention in days: at least 1, since the worker deletes what is older (0 would empty the log)."""
    days = env.int(name, default=default)
    if days < 1:
        raise ImproperlyConfigured(f"{name} is {days}: a log is kept for at least 1 day.")
    return days


# No production default for the secret: outside DEBUG it must come from the environment.
SECRET_KEY = env(
    "SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production" if DEBUG else environ.Env.NOTSET
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "alliance.admin_site.AllianceAdminConfig",  # the admin, refusing departed staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Company sign-in (README "Company sign-in"): OpenID Connect single sign-on and two-factor.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "alliance",
    "signin",
    "trends",
    "tours",
    "networks",
    "alumni",
    "meetings",
    "simple_history",
    "audit",
    "scim",
    "webhooks",
    "calendars",
    "portal",
    "django_tasks_db",
    # The REST API (/api/v1/): Django REST framework, its OpenAPI 3 schema (drf-spectacular) and the docs' Swagger UI
    # served from the app (drf-spectacular-sidecar, no CDN). The API's own code is in each app's api.py.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # /healthz answers a load balancer's plain-HTTP probe by IP here, before any host check (SECURE_REDIRECT_EXEMPT).
    "alliance.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files keep their long cache): every page and export answers Cache-Control: no-store.
    "alliance.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alliance.middleware.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alliance.middleware.RolesMiddleware",
    # allauth's sign-in stages (the second factor after a password or SSO) read the request through it.
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # MFA_REQUIRED_FOR: a person in those roles without a second factor sees only the enrolment pages.
    "signin.middleware.MFARequiredMiddleware",
    # A form body that is not UTF-8 (a declared latin-1, invalid bytes) answers 400 before anything reads it.
    "alliance.middleware.FormBodyMiddleware",
    # Records the signed-in user on every history row a request writes (audit app).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "portal.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: this app's queries are short, and PostgreSQL's cost estimate for the
    # dashboard's aggregates crossed the JIT thresholds, spending ~1 s compiling a 45 ms query.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default setup (`make run`) has two processes on one file: the web server and `db_worker`.
    # WAL lets readers and the one writer work at once; a write transaction takes the write lock when
    # it begins (IMMEDIATE), so it waits its turn (up to `timeout` seconds) instead of failing with
    # "database is locked" when a read inside it is upgraded to a write after the worker wrote.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "alliance.User"
# django-axes first: it refuses a sign-in for a locked-out account or address before the password is checked.
# PeopleBackend is Django's ModelBackend, loading the signed-in user with their roles in one query.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "alliance.backends.PeopleBackend"]
LOGIN_URL = "login"
# The one sign-in stages controller is allauth's (signin.adapters): a password or an SSO sign-in ends there, so the
# second factor is asked the same way for both. No sign-up anywhere: HR adds people, the identity provider
# signs in only people the company has (signin.matching).
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# One throttle: django-axes (below). allauth's own rate limits would count wrong passwords and codes a second
# time, with other limits and windows, so they are off; a wrong second-factor code counts as an axes failure.
ACCOUNT_RATE_LIMITS = False
MFA_RATE_LIMITS = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (CSRF); a GET shows nothing but the button again
SOCIALACCOUNT_STORE_TOKENS = False  # the provider's tokens are not needed after the sign-in
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matching is ours (signin.matching): employed people only
# Single sign-on through the company's OpenID Connect provider (README "Company sign-in"). Off unless
# SSO_OIDC_URL is set. The callback is <site>/accounts/oidc/sso/login/callback/ ("sso" is the provider id).
SSO_OIDC_URL = env("SSO_OIDC_URL", default="")
SSO_OIDC_CLIENT_ID = env("SSO_OIDC_CLIENT_ID", default="")
SSO_OIDC_SECRET = env("SSO_OIDC_SECRET", default="")
SSO_NAME = env("SSO_NAME", default="your company account")
SSO_ENABLED = bool(SSO_OIDC_URL and SSO_OIDC_CLIENT_ID)


def sso_origin(url):
    """The scheme and host of the identity provider's URL, for the CSP (empty when SSO is off)."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# SSO_ONLY: employees sign in only through the provider; alumni and SSO_BREAK_GLASS_EMAIL keep their password.
SSO_ONLY = env.bool("SSO_ONLY", default=False) and SSO_ENABLED
SSO_BREAK_GLASS_EMAIL = env("SSO_BREAK_GLASS_EMAIL", default="").strip().lower()
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "SCOPE": ["openid", "email", "profile"],
        "APPS": [
            {
                "provider_id": "sso",
                "name": SSO_NAME,
                "client_id": SSO_OIDC_CLIENT_ID,
                "secret": SSO_OIDC_SECRET,
                "settings": {"server_url": SSO_OIDC_URL},
            }
        ]
        if SSO_ENABLED
        else [],
    }
}
# Two-factor (allauth.mfa): an authenticator app (TOTP, with a QR code), passkeys and security keys (WebAuthn),
# and recovery codes. MFA_REQUIRED_FOR lists the roles that must enrol before any other page (hr, manager,
# employee, alumnus; empty: nobody). A sign-in through SSO is the identity provider's to secure: no second
# prompt and no forced enrolment, unless MFA_AFTER_SSO.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Alliance")
# A code read off the app as it turns over (30 s steps) still works for one step either side (RFC 6238's network
# delay allowance; allauth's default is 0, which refused a code typed in the second its step ended). Each code is
# still accepted once only (allauth marks it used).
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is a second factor after the password, never instead of it
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://localhost in development and tests
MFA_REQUIRED_FOR = [role.strip().lower() for role in env.list("MFA_REQUIRED_FOR", default=["hr"]) if role.strip()]
MFA_AFTER_SSO = env.bool("MFA_AFTER_SSO", default=False)
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and Bootstrap Icons come from npm (package.json, `make` installs them) and are served by the app: no CDN.
# Of Bootstrap only the compiled CSS and JS the pages load (and their source maps) are static files
# (alliance.staticfiles.VendorFinder); the icons are inlined into the pages by {% icon %}, read from ICONS_DIR.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "alliance.staticfiles.AppFinder",
    "alliance.staticfiles.VendorFinder",
]
STATIC_SKIP_APPS = ["rest_framework", "drf_spectacular_sidecar"]
VENDOR_STATIC = {
    # The API docs page's Swagger UI (templates/api/docs.html), from drf-spectacular-sidecar's package.
    "drf_spectacular_sidecar/swagger-ui-dist": (
        Path(importlib.util.find_spec("drf_spectacular_sidecar").origin).parent
        / "static/drf_spectacular_sidecar/swagger-ui-dist",
        ["favicon-32x32.png", "swagger-ui.css", "swagger-ui.css.map", "swagger-ui-bundle.js"],
    ),
    "vendor/bootstrap": (
        BASE_DIR / "node_modules/bootstrap/dist",
        [
            "css/bootstrap.min.css",
            "css/bootstrap.min.css.map",
            "js/bootstrap.bundle.min.js",
            "js/bootstrap.bundle.min.js.map",
        ],
    ),
}
ICONS_DIR = BASE_DIR / "node_modules/bootstrap-icons/icons"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# EMAIL_URL (django-environ's format) becomes Django 6.1's MAILERS setting.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    option: _email[key]
    for key, option in [
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
    ]
    if _email.get(key)
}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Alliance <alliance@localhost>")
# The address people reach the site at: links in emails (notifications, invitations) start with it.
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Email and other slow work leave the request as tasks (alliance.mail). The database backend keeps them
# in a table that `manage.py db_worker` works through (`make run` starts one; see README "Production").
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# Our db_worker (alliance.worker) beats every TASK_HEARTBEAT_SECONDS; a task left running by a worker silent for
# TASK_WORKER_LOST_SECONDS is run again by another, and failed after TASK_MAX_ATTEMPTS runs.
TASK_HEARTBEAT_SECONDS = env.float("TASK_HEARTBEAT_SECONDS", default=10)
TASK_WORKER_LOST_SECONDS = env.float("TASK_WORKER_LOST_SECONDS", default=30)
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)

# Webhooks (webhooks.delivery): never to private, loopback or link-local addresses unless allowed here (a closed
# network: WEBHOOKS_ALLOW_PRIVATE; some addresses: WEBHOOKS_ALLOWED_NETWORKS, e.g. "10.1.2.3/32"); seconds to wait
# for a receiver's connection and each read; failed attempts in a row before an endpoint is disabled; the waits
# before each retry (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about a day, as Standard Webhooks suggests).
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
WEBHOOKS_ALLOWED_NETWORKS = env.list("WEBHOOKS_ALLOWED_NETWORKS", default=[])
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=5)
WEBHOOKS_DISABLE_AFTER = env.int("WEBHOOKS_DISABLE_AFTER", default=15)
WEBHOOKS_RETRY_SECONDS = (5, 300, 1800, 7200, 18000, 36000, 36000)
# Days an endpoint's delivery log (the events, their bodies and attempts) is kept, delivered or not: the worker
# deletes older ones (webhooks.delivery.forget_old_messages, each round of alliance.worker.tidy).
WEBHOOKS_LOG_DAYS = days_kept("WEBHOOKS_LOG_DAYS", default=30)
# Calendar feeds (calendars.feed): at most this many events in one feed (HR's covers the company).
CALENDAR_FEED_CAP = env.int("CALENDAR_FEED_CAP", default=2000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production values are the defaults whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe, over plain HTTP (alliance.middleware)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Database sessions, read with SQL compiled once per process (alliance/sessions.py); otherwise Django's own.
SESSION_ENGINE = "alliance.sessions"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Idle timeout: activity pushes the expiry forward (at most once a minute, alliance.middleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60 * 8)
# However active, a session ends this long after its sign-in (alliance.middleware.IdleTimeoutMiddleware).
SESSION_MAX_AGE_SECONDS = env.int("SESSION_MAX_AGE_SECONDS", default=60 * 60 * 12)
# Sign-in throttling (django-axes, with alliance.security.SignInHandler): SIGNIN_FAILURE_LIMIT failures
# for one account, from any address, pause that account; SIGNIN_ADDRESS_FAILURE_LIMIT failures from one
# address, across accounts (password spraying), pause that address. Both for SIGNIN_COOLOFF_MINUTES, with
# HTTP 429 (registration/locked_out.html). The address limit is much higher because a whole office often
# shares one address: one person's typos must not lock out their colleagues. An account is counted under
# the account the sign-in finds, however it was spelled (alliance.security.account: case, Unicode).
# Attempts live in the database, so every app server sees the same count.
# Password reset emails per hour for one typed address, and from one client address (alliance.security).
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=3)
PASSWORD_RESET_IP_LIMIT = env.int("PASSWORD_RESET_IP_LIMIT", default=30)
AXES_HANDLER = "alliance.security.SignInHandler"
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("SIGNIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("SIGNIN_COOLOFF_MINUTES", default=15))
# What django-axes records and clears by; the limits themselves are applied by SignInHandler.get_failures.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "alliance.security.locked_out"
AXES_USERNAME_CALLABLE = "alliance.security.account"
# The key under which django-axes' backend hands the typed account to AXES_USERNAME_CALLABLE: "username", as every
# sign-in names it (the sign-in form's field, signin.adapters' "confirm it is you"). Left to its default (the user
# model's "email"), the callable found no name there and fell back to the request's form, which "confirm it is you"
# does not have: a paused account was let through.
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "alliance.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful sign-ins are not logged per person
AXES_VERBOSE = False
# Days the sign-in log (signin.SignInEvent: who, how, the client address) is kept: the worker deletes older rows
# (signin.events.forget_old, each round of alliance.worker.tidy).
SIGNIN_LOG_DAYS = days_kept("SIGNIN_LOG_DAYS", default=180)
# Django's built-in CSP: only this site's own scripts and styles, never inline ones.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # The SSO button's form is answered with a redirect to the identity provider: browsers hold such redirects
    # to form-action too, so the provider's origin is allowed (and nothing else).
    "form-action": [CSP.SELF, *sso_origin(SSO_OIDC_URL)],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# The REST API's settings (DRF, the rates, the OpenAPI schema): config/api_settings.py.
from config.api_settings import API_RATES, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402,F401

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # A refused request (403) is one warning line, without the traceback Django attaches (alliance.logs).
    "filters": {"forbidden_one_line": {"()": "alliance.logs.ForbiddenOneLine"}},
    "loggers": {
        # django-axes logs every sign-in at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["forbidden_one_line"]},
    },
}

# In development whitenoise serves straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
