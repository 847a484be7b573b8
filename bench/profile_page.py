"""Where one page's server time goes: CPU per request and a cProfile of it, in-process, production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_10k \
        .venv/bin/python bench/profile_page.py hr@example.com /people/ [--requests 50] [--top 30]

Prints the median CPU time (time.process_time) and wall time per request over --requests requests after
two warm-ups, the query count, then the functions with the most cumulative time (cProfile) over the
same number of requests. CPU time, unlike wall time, barely moves when the machine is busy.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-profile-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from alliance.models import User  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("email")
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # the production storage needs its manifest
    client = Client()
    client.force_login(User.objects.get(email=args.email))
    for _ in range(2):
        assert client.get(args.path).status_code == 200
    cpu, wall = [], []
    for _ in range(args.requests):
        c, w = time.process_time(), time.perf_counter()
        client.get(args.path)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    print(f"{args.path} as {args.email}: CPU median {statistics.median(cpu):.1f} ms, "
          f"wall median {statistics.median(wall):.1f} ms, {len(queries)} queries")  # fmt: skip
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
