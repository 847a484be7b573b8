"""bench/run: the app under gunicorn with production settings, on a seeded PostgreSQL company.

Steps: seed (or reuse) the database, and a smaller one for comparing query counts; count each page's
queries in-process (bench/probe.py); start gunicorn (DEBUG off, --page-workers 2); time each page one
request at a time over HTTP and measure its throughput with wrk at --page-concurrency 8 connections, and
the same for a trivial view (the framework's ceiling); then, on --workers 4, run the signed-in mix of all
pages at --concurrency 32 for --duration; then the deep company (--deep-employees 20000 under one manager):
that manager's pages one at a time, and the query plans of their tour list. Writes the tables to --out
(bench/report.py). Exits non-zero on any error (a page not answering 200, errors under load). Timing
targets are reported, not enforced: a shared machine is noisy.
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402 -- bench/report.py, next to this script

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OUT = ROOT / "bench" / "out"
TRIVIAL = "/bench/trivial/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=10000, help="generated employees (default 10000)")
    parser.add_argument("--duration", default="2m", help="length of the mixed load run, e.g. 2m, 15s (default 2m)")
    parser.add_argument("--database", help="PostgreSQL URL (default $DATABASE_URL, else alliance_bench_<size>)")
    parser.add_argument("--compare-with", type=int, help="also count queries at this size (default 1000)")
    parser.add_argument("--compare-database", help="PostgreSQL URL for that size (default alliance_bench_<size>)")
    parser.add_argument("--samples", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--page-seconds", type=int, default=10, help="wrk run per page, seconds (default 10)")
    parser.add_argument("--page-workers", type=int, default=2, help="gunicorn workers for the pages (default 2)")
    parser.add_argument("--page-concurrency", type=int, default=8, help="wrk connections per page (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers for the mixed load (default 4)")
    parser.add_argument("--concurrency", type=int, default=32, help="connections for the mixed load (default 32)")
    parser.add_argument(
        "--deep-employees", type=int, default=20000, help="the deep company's size, all under one manager (0: skip)"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    args.duration_s = seconds(args.duration)
    if args.compare_with is None:
        args.compare_with = 1000 if args.employees != 1000 else 0
    args.database = args.database or os.environ.get("DATABASE_URL") or bench_url(args.employees)
    args.compare_database = args.compare_database or bench_url(args.compare_with)
    args.deep_database = bench_url(args.deep_employees).replace("alliance_bench_", "alliance_bench_deep")
    return args


def seconds(text):
    units = {"s": 1, "m": 60, "h": 3600}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def bench_url(employees):
    label = f"{employees // 1000}k" if employees >= 1000 and employees % 1000 == 0 else str(employees)
    return f"postgres://postgres@127.0.0.1:5432/alliance_bench_{label}"


def connect(url, dbname=None):
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"bench/run needs PostgreSQL, not {url}")
    return psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )


def generated_count(url):
    """Generated employees in the database; None when the database does not exist."""
    try:
        conn = connect(url)
    except psycopg2.OperationalError as error:
        if "does not exist" in str(error):
            return None
        raise
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass('alliance_employee') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT count(*) FROM alliance_employee WHERE employee_number LIKE 'E%%'")
        return cursor.fetchone()[0]


def recreate(url, drop):
    name = environ.Env.db_url_config(url)["NAME"]
    conn = connect(url, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        if drop:
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def prepare(url, employees, deep=False):
    """Reuse a database already seeded at this size; otherwise build it (a bench database is rebuilt)."""
    have = generated_count(url)
    if have == employees:
        print(f"== Reusing {url} ({employees} generated employees), migrated to this checkout")
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": url}
        run([PY, "manage.py", "migrate", "--no-input", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL)
        return
    name = environ.Env.db_url_config(url)["NAME"]
    if have and not name.startswith("alliance_bench"):
        sys.exit(f"{url} has {have} generated employees, not {employees}: drop it or choose another --database")
    if have is None or have:
        recreate(url, drop=have is not None)
    print(f"== Seeding {url} with {employees} employees")
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": url}
    started = time.monotonic()
    seed = ["seed_demo", "--employees", str(employees), *(["--deep"] if deep else [])]
    for command in (["migrate", "--no-input", "-v0"], seed):
        run([PY, "manage.py", *command], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"   seeded in {time.monotonic() - started:.0f} s")


def run(command, **kwargs):
    """A command of this script's own making (never built from input), run from the repository's root."""
    return subprocess.run(command, cwd=ROOT, **kwargs)  # noqa: S603


def production_env(url):
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback; everything else as in production
        "SECURE_COOKIES": "false",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LOG_LEVEL": "WARNING",
        "MFA_REQUIRED_FOR": "",  # the benchmark's HR signs in with a password alone (pages, not enrolment)
    }


def probe(env, label):
    out = OUT / f"probe-{label}.json"
    run([PY, "bench/probe.py", str(out), str(OUT / f"sql-{label}")], env=env, check=True)
    return json.loads(out.read_text())


class Gunicorn:
    def __init__(self, env, workers):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.env, self.workers = env, workers

    def __enter__(self):
        command = [str(Path(PY).parent / "gunicorn"), "config.wsgi", "--workers", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", "--no-control-socket",
                   "--error-logfile", str(OUT / "gunicorn.log")]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603 (arguments built here)
        for _ in range(100):
            try:
                if get(self.port, TRIVIAL)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not answer; see bench/out/gunicorn.log")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port, url, cookie=None):
    """One request on a new connection (gunicorn's sync workers close each one): status, seconds, bytes."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", url, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, elapsed, len(body)


def sample(port, url, cookie, count):
    get(port, url, cookie)  # warm-up
    statuses, times, size = set(), [], 0
    for _ in range(count):
        status, elapsed, size = get(port, url, cookie)
        statuses.add(status)
        times.append(elapsed * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]
    return {"median_ms": statistics.median(times), "p95_ms": p95, "bytes": size, "statuses": sorted(statuses)}


def drain(port):
    """Wait until the requests wrk left queued are served, so the next measurement starts on an idle server."""
    deadline = time.monotonic() + 120
    while get(port, TRIVIAL)[1] > 0.05 and time.monotonic() < deadline:
        time.sleep(0.1)


def wrk(port, requests, seconds_, concurrency, label):
    """wrk over the (url, cookie) pairs, cycled; returns bench/wrk.lua's summary."""
    listing = OUT / f"wrk-{label}.tsv"
    listing.write_text("".join(f"{url}\t{cookie or ''}\n" for url, cookie in requests))
    command = [shutil.which("wrk"), "-t1", f"-c{concurrency}", f"-d{seconds_}s", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "wrk.lua"), f"http://127.0.0.1:{port}"]  # fmt: skip
    done = run(command, env={**os.environ, "BENCH_REQUESTS": str(listing)}, capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode or line is None:
        sys.exit(f"wrk failed: {done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    drain(port)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("non200", "connect", "read", "write", "timeout"))
    return result


def machine():
    cpuinfo, meminfo = Path("/proc/cpuinfo").read_text(), Path("/proc/meminfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    memory = next(int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({cpu}), {memory / 2**20:.0f} GiB, {platform.system()} {platform.release()}"


def postgres_version(url):
    with connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def measure_pages(server, pages, cookie, args):
    for page in pages:
        page.update(sample(server.port, page["url"], cookie[page["who"]], args.samples))
        print(f"   {page['who']:12} {page['kind']:24} median {page['median_ms']:6.1f} ms"
              f"  p95 {page['p95_ms']:6.1f} ms  {page['queries']:3} queries  {page['bytes']:7} bytes")  # fmt: skip


def explain(url, sql_file):
    """EXPLAIN (ANALYZE, BUFFERS) of each query on a page but the session's and the user's."""
    plans = []
    with connect(url) as conn, conn.cursor() as cursor:
        for statement in sql_file.read_text().split(";\n\n"):
            if not statement.strip().startswith("SELECT") or "django_session" in statement or '"_hr"' in statement:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)  # SQL the app itself ran, captured
            plans.append((statement, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def deep_run(args):
    """The big manager of the deep company: every page of theirs one at a time, and their tour list's plans."""
    prepare(args.deep_database, args.deep_employees, deep=True)
    env = production_env(args.deep_database)
    found = probe(env, f"deep{args.deep_employees}")
    pages = [p for p in found["pages"] if p["who"] == "big manager"]
    print(f"== Deep company: the big manager ({found['size']['big_manager_subtree']:,} below), one request at a time")
    with Gunicorn(env, args.page_workers) as server:
        measure_pages(server, pages, {"big manager": found["sessions"]["big manager"]}, args)
    plans = explain(args.deep_database, OUT / f"sql-deep{args.deep_employees}" / "big-manager-tour-list.sql")
    return {"size": found["size"], "pages": pages, "plans": plans}


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    OUT.mkdir(exist_ok=True)
    prepare(args.database, args.employees)
    if args.compare_with:
        prepare(args.compare_database, args.compare_with)
    env = production_env(args.database)
    run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env=env, check=True)
    print("== Counting queries (Django test client, in-process)")
    main_probe = probe(env, str(args.employees))
    compare = {}
    if args.compare_with:
        other = probe(production_env(args.compare_database), str(args.compare_with))
        compare = {(p["who"], p["kind"]): p["queries"] for p in other["pages"]}
    pages = main_probe["pages"]
    sessions = main_probe["sessions"]
    cookie = {who: sessions.get(who) for who in {p["who"] for p in pages}}
    args.load_before = os.getloadavg()[0]
    print(f"== gunicorn, {args.page_workers} workers, DEBUG off: each page one at a time")
    with Gunicorn(env, args.page_workers) as server:
        measure_pages(server, pages, cookie, args)
        for page in pages:
            page["queries_compare"] = compare.get((page["who"], page["kind"]))
        print(f"== Throughput per page: wrk, {args.page_concurrency} connections, {args.page_seconds} s each")
        for page in pages:
            page["load"] = wrk(server.port, [(page["url"], cookie[page["who"]])], args.page_seconds,
                               args.page_concurrency, "page")  # fmt: skip
            print(f"   {page['who']:12} {page['kind']:24} {page['load']['rps']:8.1f} req/s"
                  f"  p95 {page['load']['p95_us'] / 1000:7.1f} ms  {page['load']['errors']} errors")  # fmt: skip
    mix = [(p["url"], cookie[p["who"]]) for p in pages if p["kind"] != "trivial view"]
    print(f"== Mixed load: gunicorn {args.workers} workers, {len(mix)} signed-in pages, {args.concurrency} "
          f"connections, {args.duration_s} s")  # fmt: skip
    with Gunicorn(env, args.workers) as server:
        load = wrk(server.port, mix, args.duration_s, args.concurrency, "mix")
    args.load_after = os.getloadavg()[0]
    print(f"   {load['rps']:.1f} req/s, {load['errors']} errors, p95 {load['p95_us'] / 1000:.0f} ms")
    deep = deep_run(args) if args.deep_employees else None
    ceiling = next(p for p in pages if p["kind"] == "trivial view" and p["who"] == "anonymous")["load"]["rps"]
    signed_in = next(p for p in pages if p["kind"] == "trivial view" and p["who"] == "hr")["load"]["rps"]
    for page in pages:
        page["share"] = page["load"]["rps"] / ceiling
        page["share_signed_in"] = page["load"]["rps"] / signed_in
    context = {"machine": machine(), "postgres": postgres_version(args.database)}
    Path(args.out).write_text(report.render(args, context, main_probe["size"], pages, load, ceiling, deep))
    print(f"== Results written to {args.out}")
    misses, errors = report.check(pages, load, deep)
    for line in misses:
        print(f"   MISS  {line}")
    for line in errors:
        print(f"   ERROR {line}")
    print(f"== {len(misses)} target misses, {len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
