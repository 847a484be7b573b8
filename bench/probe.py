"""In-process half of bench/run: resolves the benchmarked pages, signs the users in and counts queries.

Run by bench/run with the production environment (DEBUG off, DJANGO_SETTINGS_MODULE=bench.settings):
    bench/probe.py OUT.json [SQL_DIR]
It writes JSON: the database's size, one session cookie per user (valid for a server with the same
SECRET_KEY and database), and each page's URL, status and query count. The count comes from Django's
test client with CaptureQueriesContext after one warm-up request (a CSV is counted until its last
row); SQL_DIR, if given, receives the SQL of each page.
"""

import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from alliance.models import Employee, User  # noqa: E402
from alumni.models import AlumniProfile  # noqa: E402
from networks.models import Contribution  # noqa: E402
from tours.models import Tour  # noqa: E402

USERS = {
    "hr": "hr@example.com",
    "manager": "manager@example.com",
    # The first generated person: a team head with ~1/9 of the company below (seed_demo --employees), or, in
    # the deep company (seed_demo --deep), the head of every generated person, eight levels down.
    "big manager": "e000001@example.com",
    "employee": "employee@example.com",
    "alumna": "alumna@example.com",
}
REPORTS = [
    ("report: tours at risk", "/tours/reports/at-risk/"),
    ("report: coverage", "/tours/reports/coverage/"),
    ("report: outcomes", "/tours/reports/outcomes/"),
    ("report: check-ins", "/tours/reports/check-ins/"),
    ("report: network", "/networks/reports/"),
    ("report: alumni", "/alumni/reports/"),
]


def pages():
    """(who, page kind, URL) for every page kind the benchmark covers."""
    manager = Employee.objects.get(user__email=USERS["manager"])
    tour = Tour.objects.filter(employee__user__email=USERS["employee"]).order_by("-pk").first()
    return [
        *((who, "dashboard", "/") for who in USERS),
        ("hr", "people directory", "/people/"),
        ("big manager", "people directory", "/people/"),
        ("hr", "person page", f"/people/{manager.pk}/"),
        ("hr", "tour list", "/tours/"),
        ("big manager", "tour list", "/tours/"),
        ("employee", "tour list", "/tours/"),
        ("manager", "tour detail", f"/tours/{tour.pk}/"),
        ("hr", "feed", "/networks/"),
        ("big manager", "feed", "/networks/"),
        ("employee", "feed", "/networks/"),
        ("hr", "roster", "/alumni/roster/"),
        *(("hr", kind, url) for kind, url in REPORTS),
        *(("big manager", kind, url) for kind, url in REPORTS),
    ]


def count_queries(client, url, sql_file=None):
    def get():
        response = client.get(url, HTTP_HOST="localhost")
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    get()  # warm-up: the first request of a process fills caches a server has long filled
    with CaptureQueriesContext(connection) as captured:
        response = get()
    if sql_file:
        sql_file.write_text("".join(f"{q['sql']};\n\n" for q in captured.captured_queries))
    return response.status_code, len(captured)


def main():
    out = Path(sys.argv[1])
    sql_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    if sql_dir:
        sql_dir.mkdir(parents=True, exist_ok=True)
    clients, sessions = {}, {}
    for who, email in USERS.items():
        clients[who] = Client()
        clients[who].force_login(User.objects.get(email=email))
        sessions[who] = f"{settings.SESSION_COOKIE_NAME}={clients[who].cookies[settings.SESSION_COOKIE_NAME].value}"
    results = []
    for who, kind, url in [
        *pages(),
        ("anonymous", "trivial view", "/bench/trivial/"),
        ("hr", "trivial view", "/bench/trivial/"),
    ]:
        client = clients.get(who, Client())
        slug = re.sub(r"[^a-z0-9]+", "-", f"{who} {kind}".lower()).strip("-")
        status, queries = count_queries(client, url, sql_dir and sql_dir / f"{slug}.sql")
        results.append({"who": who, "kind": kind, "url": url, "status": status, "queries": queries})
    big = Employee.objects.get(user__email=USERS["big manager"])
    size = {
        "employees": Employee.objects.count(),
        "generated": Employee.objects.filter(employee_number__startswith="E").count(),
        "alumni": AlumniProfile.objects.count(),
        "departed": Employee.objects.departed().count(),
        "tours": Tour.objects.count(),
        "contributions": Contribution.objects.count(),
        "big_manager_subtree": Employee.objects.subtree_of(big).count(),
    }
    out.write_text(json.dumps({"size": size, "sessions": sessions, "pages": results}, indent=1))


if __name__ == "__main__":
    main()
