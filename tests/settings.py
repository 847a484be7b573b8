"""Test settings: production settings with HTTP allowed, a fast hasher and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run inside the request in tests, so a test sees the mail a request caused (tests/test_mail.py runs
# the database worker itself).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# An unknown {% icon %} name raises here, as in DEBUG (alliance/templatetags/ui.py).
ICONS_STRICT = True
# The suite signs HR in with a password alone; tests/signin/ turns the rule on (override_settings) where it is tested.
MFA_REQUIRED_FOR = []
# The live server is http://localhost: WebAuthn accepts that origin only with this on (tests/signin/).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Webhook tests call a receiver on this machine (tests/webhooks): only 127.0.0.1, never the rest of the private ranges.
WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
# The live server's threads share one in-memory SQLite connection: one request at a time (tests/serial.py).
MIDDLEWARE = ["tests.serial.SerialRequestsMiddleware", *MIDDLEWARE]  # noqa: F405
