"""bench/run: the app under gunicorn with production settings, on a seeded PostgreSQL company.

Steps: seed (or reuse) the database, and a smaller one for comparing query counts; count each page's
queries in-process (bench/probe.py); start gunicorn (DEBUG off, --workers 4); time each page one
request at a time over HTTP; measure each page's throughput with wrk at 32 connections, and the
same for a trivial view (the framework's ceiling); run the signed-in mix of all pages for --duration;
write the table to --out. Exits non-zero on any error (a page not answering 200, errors under load).
Timing targets are reported, not enforced: a shared machine is noisy.
"""

import argparse
import datetime
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

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OUT = ROOT / "bench" / "out"
TRIVIAL = "/bench/trivial/"
P95_TARGET_MS, QUERY_TARGET, TOUR_LIST_SHARE = 100, 12, 0.40


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=10000, help="generated employees (default 10000)")
    parser.add_argument("--duration", default="2m", help="length of the mixed load run, e.g. 2m, 15s (default 2m)")
    parser.add_argument("--database", help="PostgreSQL URL (default $DATABASE_URL, else alliance_bench_<size>)")
    parser.add_argument("--compare-with", type=int, help="also count queries at this size (default 1000)")
    parser.add_argument("--compare-database", help="PostgreSQL URL for that size (default alliance_bench_<size>)")
    parser.add_argument("--samples", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--page-seconds", type=int, default=10, help="wrk run per page, seconds (default 10)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, for 2 cores)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    args.duration_s = seconds(args.duration)
    if args.compare_with is None:
        args.compare_with = 1000 if args.employees != 1000 else 0
    args.database = args.database or os.environ.get("DATABASE_URL") or bench_url(args.employees)
    args.compare_database = args.compare_database or bench_url(args.compare_with)
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


def prepare(url, employees):
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
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo", "--employees", str(employees)]):
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
    print(f"== gunicorn, {args.workers} workers, DEBUG off")
    args.load_before = os.getloadavg()[0]
    with Gunicorn(env, args.workers) as server:
        for page in pages:
            page.update(sample(server.port, page["url"], cookie[page["who"]], args.samples))
            page["queries_compare"] = compare.get((page["who"], page["kind"]))
            print(f"   {page['who']:12} {page['kind']:24} median {page['median_ms']:6.1f} ms"
                  f"  p95 {page['p95_ms']:6.1f} ms  {page['queries']:3} queries  {page['bytes']:7} bytes")  # fmt: skip
        print(f"== Throughput per page: wrk, {args.concurrency} connections, {args.page_seconds} s each")
        for page in pages:
            page["load"] = wrk(server.port, [(page["url"], cookie[page["who"]])], args.page_seconds,
                               args.concurrency, "page")  # fmt: skip
            print(f"   {page['who']:12} {page['kind']:24} {page['load']['rps']:8.1f} req/s"
                  f"  p95 {page['load']['p95_us'] / 1000:7.1f} ms  {page['load']['errors']} errors")  # fmt: skip
        mix = [(p["url"], cookie[p["who"]]) for p in pages if p["kind"] != "trivial view"]
        print(f"== Mixed load: {len(mix)} signed-in pages, {args.concurrency} connections, {args.duration_s} s")
        load = wrk(server.port, mix, args.duration_s, args.concurrency, "mix")
        args.load_after = os.getloadavg()[0]
        print(f"   {load['rps']:.1f} req/s, {load['errors']} errors, p95 {load['p95_us'] / 1000:.0f} ms")
    ceiling = next(p for p in pages if p["kind"] == "trivial view" and p["who"] == "anonymous")["load"]["rps"]
    signed_in = next(p for p in pages if p["kind"] == "trivial view" and p["who"] == "hr")["load"]["rps"]
    for page in pages:
        page["share"] = page["load"]["rps"] / ceiling
        page["share_signed_in"] = page["load"]["rps"] / signed_in
    report = render(args, main_probe["size"], pages, load, ceiling)
    Path(args.out).write_text(report)
    print(f"== Results written to {args.out}")
    misses, errors = check(pages, load)
    for line in misses:
        print(f"   MISS  {line}")
    for line in errors:
        print(f"   ERROR {line}")
    print(f"== {len(misses)} target misses, {len(errors)} errors")
    sys.exit(1 if errors else 0)


def check(pages, load):
    misses, errors = [], []
    for p in pages:
        name = f"{p['who']} {p['kind']} ({p['url']})"
        if p["statuses"] != [200] or p["status"] != 200:
            errors.append(f"{name}: status {p['statuses']}")
        if p["load"]["errors"]:
            errors.append(f"{name}: {p['load']['errors']} errors under load")
        if p["kind"] == "trivial view":
            continue
        if p["p95_ms"] > P95_TARGET_MS:
            misses.append(f"{name}: p95 {p['p95_ms']:.0f} ms > {P95_TARGET_MS} ms")
        if p["queries"] > QUERY_TARGET:
            misses.append(f"{name}: {p['queries']} queries > {QUERY_TARGET}")
        if p["queries_compare"] is not None and p["queries_compare"] != p["queries"]:
            misses.append(f"{name}: {p['queries']} queries, but {p['queries_compare']} at the smaller size")
        if p["kind"] == "tour list" and p["share"] < TOUR_LIST_SHARE:
            misses.append(f"{name}: throughput {p['share']:.1%} of the ceiling < {TOUR_LIST_SHARE:.0%}")
    if load["errors"]:
        errors.append(f"mixed load: {load['errors']} errors ({load['non200']} not 200)")
    return misses, errors


def render(args, size, pages, load, ceiling):
    compare = f" @{args.compare_with:,}" if args.compare_with else ""
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run --employees {args.employees} --duration {args.duration}` on "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}.",
        "",
        f"- Machine: {machine()}; PostgreSQL {postgres_version(args.database)} on the same machine; "
        f"load tool wrk on the same machine; load average {args.load_before:.1f} before, "
        f"{args.load_after:.1f} after the run (other work shares the machine).",
        f"- Company: {size['employees']:,} employees ({size['generated']:,} generated, {size['departed']:,} "
        f"departed), {size['tours']:,} tours, {size['contributions']:,} contributions, {size['alumni']:,} alumni "
        f"profiles; the *big manager* (`e000001@example.com`) has {size['big_manager_subtree']:,} people below.",
        f"- Server: gunicorn `config.wsgi`, {args.workers} sync workers, DEBUG off, production settings "
        "(`bench/settings.py` adds only the trivial view) except plain HTTP on the loopback.",
        f"- *median*, *p95*: {args.samples} requests one at a time, time to the last byte over the loopback. "
        f"*queries*: Django's test client on the same database (a second database{compare} for the next column). "
        f"*req/s*, *p95 load*: wrk, {args.concurrency} connections for {args.page_seconds} s on that page alone. "
        "*share*: req/s as a share of the trivial view's without a session (no template, no database: the "
        "framework's ceiling); *signed-in share*: of the same view with HR's session cookie (the session and "
        "the user are read on every request; the session is written at most once a minute).",
        "",
        f"| who | page | queries @{args.employees:,} | queries{compare or ' (other size)'} | median ms | p95 ms "
        "| bytes | req/s | share | signed-in share | p95 load ms | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for p in pages:
        flag = lambda bad, text: f"**{text}**" if bad else text  # noqa: E731
        q_other = "" if p["queries_compare"] is None else p["queries_compare"]
        lines.append(
            f"| {p['who']} | {p['kind']} `{p['url']}` "
            f"| {flag(p['kind'] != 'trivial view' and p['queries'] > QUERY_TARGET, p['queries'])} "
            f"| {flag(q_other != '' and q_other != p['queries'], q_other)} | {p['median_ms']:.1f} "
            f"| {flag(p['p95_ms'] > P95_TARGET_MS, f'{p["p95_ms"]:.1f}')} | {p['bytes']:,} | {p['load']['rps']:.1f} "
            f"| {flag(p['kind'] == 'tour list' and p['share'] < TOUR_LIST_SHARE, f'{p["share"]:.1%}')} "
            f"| {p['share_signed_in']:.1%} | {p['load']['p95_us'] / 1000:.0f} | {p['load']['errors']} |"
        )
    misses, errors = check(pages, load)
    lines += [
        "",
        f"**Mixed load** (every signed-in page above in turn, {args.concurrency} connections, {args.duration_s} s): "
        f"{load['requests']:,} requests, {load['rps']:.1f} req/s, {load['errors']} errors, "
        f"p50 {load['p50_us'] / 1000:.0f} ms, p95 {load['p95_us'] / 1000:.0f} ms, p99 {load['p99_us'] / 1000:.0f} ms. "
        f"Framework ceiling (trivial view): {ceiling:.0f} req/s.",
        "",
        f"Targets: p95 ≤ {P95_TARGET_MS} ms, ≤ {QUERY_TARGET} queries and the same at both sizes, no errors, "
        f"tour list ≥ {TOUR_LIST_SHARE:.0%} of the ceiling. Misses ({len(misses)}):",
        "",
        *(f"- {line}" for line in misses or ["none"]),
        *(["", f"Errors ({len(errors)}):", "", *(f"- {line}" for line in errors)] if errors else []),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
