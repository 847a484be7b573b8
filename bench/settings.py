"""Production settings plus one trivial view (bench/urls.py) that measures the framework's ceiling.

Only bench/run serves the app with these settings; the app's own settings and URLs are unchanged.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
