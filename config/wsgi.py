"""The WSGI application (gunicorn config.wsgi, README: Deploying)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Django, the apps and the URL patterns (loaded here rather than by the first request) live as long as the process.
# Frozen, Python's garbage collector stops walking their ~150,000 objects on each of its full passes, which land on
# whichever request is running (docs/performance.md: the list pages' slowest 1% got faster, their throughput a little).
get_resolver().url_patterns  # noqa: B018 -- the import is the point
gc.collect()
gc.freeze()
