"""Median response time and query count of the main pages, per demo role.

Run against a database seeded with `manage.py seed_demo --employees 10000`, e.g.:
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench .venv/bin/python bench/pages.py
It uses Django's test client in-process (no network, no server), so it measures the app and the
database, not a web server. Five requests per page; the median is printed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from alliance.models import User  # noqa: E402

REPORTS = ["/tours/reports/at-risk/", "/tours/reports/coverage/", "/tours/reports/outcomes/",
           "/tours/reports/check-ins/", "/networks/reports/", "/alumni/reports/"]  # fmt: skip
PAGES = {
    "hr@example.com": ["/", "/people/", "/tours/", "/tours/?ending_within=30", "/networks/",
                       "/networks/?tag=fintech", "/networks/fund/team/", "/alumni/roster/", "/alumni/roster/?stale=on",
                       *REPORTS, *(f"{url}?format=csv" for url in REPORTS)],
    "manager@example.com": ["/", "/people/", "/tours/", "/networks/", "/networks/to-rate/", *REPORTS],
    "employee@example.com": ["/", "/tours/", "/networks/", "/networks/fund/", "/alumni/directory/"],
    "alumna@example.com": ["/", "/alumni/me/", "/alumni/directory/"],
}  # fmt: skip
RUNS = 5


def main():
    print(f"{'who':22} {'page':28} {'median ms':>9} {'queries':>7}")
    for email, urls in PAGES.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for url in urls:
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = client.get(url, HTTP_HOST="localhost")
                if response.streaming:
                    b"".join(response.streaming_content)  # a CSV is timed until its last row
                times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, HTTP_HOST="localhost")
            status = "" if response.status_code == 200 else f" ({response.status_code})"
            print(f"{email:22} {url:28} {statistics.median(times) * 1000:9.0f} {len(queries):7}{status}")


if __name__ == "__main__":
    main()
