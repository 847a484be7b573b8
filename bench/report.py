"""bench/run's targets and its Markdown report (bench/RESULTS.md): which figures must hold, and the tables."""

import datetime

# Every page one at a time: p95 ≤ 50 ms, a report ≤ 150 ms; ≤ 12 queries, the same at both sizes.
P95_TARGET_MS, REPORT_P95_TARGET_MS, QUERY_TARGET = 50, 150, 12
# The people directory and the tour list under wrk: at least this many requests a second.
LIST_RPS_TARGET = 200
# The mixed load (32 connections on 4 workers): p95 ≤ 1 s. The deep company's big manager: p95 ≤ 200 ms a page.
MIX_P95_TARGET_MS, DEEP_P95_TARGET_MS = 1000, 200


def _target(page):
    return REPORT_P95_TARGET_MS if page["kind"].startswith("report") else P95_TARGET_MS


def check(pages, load, deep=None):
    misses, errors = [], []
    for p in pages:
        name = f"{p['who']} {p['kind']} ({p['url']})"
        if p["statuses"] != [200] or p["status"] != 200:
            errors.append(f"{name}: status {p['statuses']}")
        if p["load"]["errors"]:
            errors.append(f"{name}: {p['load']['errors']} errors under load")
        if p["kind"] == "trivial view":
            continue
        if p["p95_ms"] > _target(p):
            misses.append(f"{name}: p95 {p['p95_ms']:.0f} ms > {_target(p)} ms")
        if p["queries"] > QUERY_TARGET:
            misses.append(f"{name}: {p['queries']} queries > {QUERY_TARGET}")
        if p["queries_compare"] is not None and p["queries_compare"] != p["queries"]:
            misses.append(f"{name}: {p['queries']} queries, but {p['queries_compare']} at the smaller size")
        if p["kind"] in ("people directory", "tour list") and p["load"]["rps"] < LIST_RPS_TARGET:
            misses.append(f"{name}: {p['load']['rps']:.0f} req/s < {LIST_RPS_TARGET}")
    if load["errors"]:
        errors.append(f"mixed load: {load['errors']} errors ({load['non200']} not 200)")
    if load["p95_us"] / 1000 > MIX_P95_TARGET_MS:
        misses.append(f"mixed load: p95 {load['p95_us'] / 1000:.0f} ms > {MIX_P95_TARGET_MS} ms")
    for p in (deep or {}).get("pages", []):
        name = f"deep company, big manager {p['kind']} ({p['url']})"
        if p["statuses"] != [200] or p["status"] != 200:
            errors.append(f"{name}: status {p['statuses']}")
        if p["p95_ms"] > DEEP_P95_TARGET_MS:
            misses.append(f"{name}: p95 {p['p95_ms']:.0f} ms > {DEEP_P95_TARGET_MS} ms")
    return misses, errors


def _flag(bad, text):
    return f"**{text}**" if bad else text


def _page_rows(pages):
    for p in pages:
        q_other = "" if p["queries_compare"] is None else p["queries_compare"]
        trivial = p["kind"] == "trivial view"
        rps_bad = p["kind"] in ("people directory", "tour list") and p["load"]["rps"] < LIST_RPS_TARGET
        yield (
            f"| {p['who']} | {p['kind']} `{p['url']}` "
            f"| {_flag(not trivial and p['queries'] > QUERY_TARGET, p['queries'])} "
            f"| {_flag(q_other != '' and q_other != p['queries'], q_other)} | {p['median_ms']:.1f} "
            f"| {_flag(not trivial and p['p95_ms'] > _target(p), f'{p["p95_ms"]:.1f}')} | {p['bytes']:,} "
            f"| {_flag(rps_bad, f'{p["load"]["rps"]:.1f}')} | {p['share']:.1%} | {p['share_signed_in']:.1%} "
            f"| {p['load']['p95_us'] / 1000:.0f} | {p['load']['errors']} |"
        )


def _deep_section(deep):
    size = deep["size"]
    lines = [
        "",
        f"## The deep company: a manager with {size['big_manager_subtree']:,} people below",
        "",
        f"`seed_demo --employees {size['generated']:,} --deep`: every generated person under one manager "
        f"(`e000001@example.com`), four reports each, eight levels; {size['employees']:,} employees, "
        f"{size['tours']:,} tours. Each of that manager's pages one request at a time (target p95 ≤ "
        f"{DEEP_P95_TARGET_MS} ms):",
        "",
        "| page | queries | median ms | p95 ms | bytes |",
        "|---|--:|--:|--:|--:|",
        *(
            f"| {p['kind']} `{p['url']}` | {p['queries']} | {p['median_ms']:.1f} "
            f"| {_flag(p['p95_ms'] > DEEP_P95_TARGET_MS, f'{p["p95_ms"]:.1f}')} | {p['bytes']:,} |"
            for p in deep["pages"]
        ),
        "",
        "Query plans of that manager's tour list (`EXPLAIN (ANALYZE, BUFFERS)`, after the session and user "
        "queries): the subtree is one prefix match on `employee_tree_path_idx` (alliance/tree.py).",
    ]
    for statement, plan in deep["plans"]:
        lines += ["", "```sql", statement.strip(), "```", "", "```", plan, "```"]
    return lines


def render(args, context, size, pages, load, ceiling, deep=None):
    compare = f" @{args.compare_with:,}" if args.compare_with else ""
    misses, errors = check(pages, load, deep)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run --employees {args.employees} --duration {args.duration}` on "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}.",
        "",
        f"- Machine: {context['machine']}; PostgreSQL {context['postgres']} on the same machine; "
        f"load tool wrk on the same machine; load average {args.load_before:.1f} before, "
        f"{args.load_after:.1f} after the run (other work shares the machine).",
        f"- Company: {size['employees']:,} employees ({size['generated']:,} generated, {size['departed']:,} "
        f"departed), {size['tours']:,} tours, {size['contributions']:,} contributions, {size['alumni']:,} alumni "
        f"profiles; the *big manager* (`e000001@example.com`) has {size['big_manager_subtree']:,} people below.",
        "- Server: gunicorn `config.wsgi`, sync workers, DEBUG off, production settings "
        "(`bench/settings.py` adds only the trivial view) except plain HTTP on the loopback.",
        f"- *median*, *p95*: {args.samples} requests one at a time on {args.page_workers} workers, time to the last "
        f"byte over the loopback. *queries*: Django's test client on the same database (a second "
        f"database{compare} for the next column). *req/s*, *p95 load*: wrk, {args.page_concurrency} connections "
        f"for {args.page_seconds} s on that page alone, {args.page_workers} workers. *share*: req/s as a share of "
        "the trivial view's without a session (no template, no database: the framework's ceiling); *signed-in "
        "share*: of the same view with HR's session cookie.",
        "",
        f"| who | page | queries @{args.employees:,} | queries{compare or ' (other size)'} | median ms | p95 ms "
        "| bytes | req/s | share | signed-in share | p95 load ms | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        *_page_rows(pages),
        "",
        f"**Mixed load** (every signed-in page above in turn, {args.concurrency} connections on {args.workers} "
        f"workers, {args.duration_s} s): {load['requests']:,} requests, {load['rps']:.1f} req/s, "
        f"{load['errors']} errors, p50 {load['p50_us'] / 1000:.0f} ms, p95 {load['p95_us'] / 1000:.0f} ms, "
        f"p99 {load['p99_us'] / 1000:.0f} ms. Framework ceiling (trivial view): {ceiling:.0f} req/s.",
        *(_deep_section(deep) if deep else []),
        "",
        f"Targets: p95 ≤ {P95_TARGET_MS} ms a page and ≤ {REPORT_P95_TARGET_MS} ms a report, ≤ {QUERY_TARGET} "
        f"queries and the same at both sizes, people directory and tour list ≥ {LIST_RPS_TARGET} req/s, mixed "
        f"load p95 ≤ {MIX_P95_TARGET_MS} ms with no errors, the deep company's big manager ≤ "
        f"{DEEP_P95_TARGET_MS} ms a page. Misses ({len(misses)}):",
        "",
        *(f"- {line}" for line in misses or ["none"]),
        *(["", f"Errors ({len(errors)}):", "", *(f"- {line}" for line in errors)] if errors else []),
        "",
    ]
    return "\n".join(lines)
