"""Screenshots of every page kind per demo role, and the page weight of a first load.

    make screenshots LABEL=before        (or: .venv/bin/python docs/screenshots/make.py --label before)

Builds a throwaway SQLite database in a temporary directory (migrate + seed_demo, DEBUG=true), runs the
development server on a free port, signs in as each demo role through the sign-in form, finds one URL of
each page kind by following the links that role is shown (no hard-coded ids), and with Playwright and
Debian's Chromium writes docs/screenshots/<LABEL>/<role>-<page>-<width>.jpg and an index.md with the
images and the page weights. The server is stopped at the end, whatever happens.

Page weight: every response of a first load (a fresh browser context, so a cold cache) at 1280 px,
counted as its gzip-compressed size (level 9, as whitenoise stores static files; a body gzip does not
shrink, such as a PNG or a WOFF2, counts as is). The development server does not compress, so the
compression is done here, on the bodies the browser received.
"""

import argparse
import gzip
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As tests/conftest.py launches it.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {1280: 800, 390: 844}  # width: viewport height (a laptop; an iPhone 12-15)
MAX_HEIGHT = {1280: 1600, 390: 2600}  # a long page is cut here: the top is what a person judges
JPEG_QUALITY = 55
# alliance.demo.DEMO_PASSWORD (not imported: this file runs before Django is set up)
PASSWORD = "alliance-demo"  # noqa: S105 (the demo's published password, on a throwaway database)
ROLES = {
    "hr": "hr@example.com",
    "manager": "manager@example.com",
    "employee": "employee@example.com",
    "alumna": "alumna@example.com",
}
# Page kinds, in the order of index.md: (URL name, file name). A role gets the kinds it is shown a link to.
KINDS = [
    ("dashboard", "dashboard"),
    ("notifications", "notifications"),
    ("people:list", "people"),
    ("people:detail", "person"),
    ("people:create", "person-form"),
    ("people:import", "people-import"),
    ("tours:index", "tours"),
    ("tours:detail", "tour"),
    ("tours:edit", "tour-form"),
    ("tours:check_in", "check-in"),
    ("meetings:workspace", "one-on-one"),
    ("horizon", "horizon"),
    ("tours:programmes", "programmes"),
    ("networks:index", "network-feed"),
    ("networks:detail", "insight"),
    ("networks:create", "insight-form"),
    ("networks:fund", "fund"),
    ("networks:events", "events"),
    ("reports", "reports"),
    ("tours:report_at_risk", "report-at-risk"),
    ("alumni:roster", "alumni-roster"),
    ("alumni:directory", "alumni-directory"),
    ("alumni:detail", "alumnus"),
    ("alumni:me", "alumni-profile"),
    ("audit:list", "audit"),
    ("company", "company"),
]
# Signed out: no discovery, the pages anyone can open.
ANONYMOUS = [("sign-in", "/accounts/login/"), ("password-reset", "/accounts/password/reset/")]
# Kinds shown by their fullest example found (the most HTML): an agreed tour with check-ins, not a
# draft; a person with reports and tours. The other kinds are the first found.
FULLEST = {"tours:detail", "people:detail", "networks:detail", "alumni:detail"}
SKIP_PREFIXES = ("/accounts/", "/admin/", "/static/")
SKIP_VIEWS = {"notification_open"}  # opening one marks it read: the notifications page would change
MAX_FETCHES = 250


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
            self.hrefs.append(href)


def links(base, html):
    """Same-site paths (no query strings: a page kind is a plain path) linked from the page."""
    parser = _Links()
    parser.feed(html)
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href))
        same_site = url.netloc in ("", "testserver") or url.hostname in ("127.0.0.1", "localhost")
        if same_site and not url.query and not url.path.startswith(SKIP_PREFIXES):
            yield url.path


def discover(fetch, kinds=KINDS, start="/"):
    """[(file name, path)] for each kind this role reaches by links from `start`, in KINDS order.

    `fetch(path)` answers (status, content type, body text, Location header or "") for the signed-in
    role: the test client in the tests, the browser's request API in a run. Breadth-first, so each kind
    is the first of its sort a person would come across; at most MAX_FETCHES pages.
    """
    from django.urls import Resolver404, resolve

    wanted = {name for name, _ in kinds}
    found = {}  # URL name -> [(path, size of its HTML)] in the order found
    seen, queue, fetched = {start}, deque([start]), 0
    while queue and fetched < MAX_FETCHES:
        path = queue.popleft()
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name in SKIP_VIEWS:
            continue
        status, content_type, body, location = fetch(path)
        fetched += 1
        if status in (301, 302) and location:
            targets = [urlsplit(urljoin(path, location)).path]
        elif status == 200 and content_type.startswith("text/html"):
            if match.view_name in wanted:
                found.setdefault(match.view_name, []).append((path, len(body)))
            targets = links(path, body)
        else:
            continue
        for target in targets:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return [(file, _pick(name, found[name])) for name, file in kinds if name in found]


def _pick(name, candidates):
    if name in FULLEST:
        return max(candidates, key=lambda candidate: candidate[1])[0]  # max() keeps the first of equals
    return candidates[0][0]


def compressed_size(body):
    return min(len(body), len(gzip.compress(body, compresslevel=9)))


CATEGORIES = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts", "image": "images"}


def weigh(responses):
    """{category: compressed bytes} for the responses of one page load (a redirect has no body)."""
    weights = dict.fromkeys([*CATEGORIES.values(), "other"], 0)
    for response in responses:
        if 300 <= response.status < 400:
            continue
        category = CATEGORIES.get(response.request.resource_type, "other")
        weights[category] += compressed_size(response.body())
    return weights


# The server ---------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp):
    """Migrate and seed a fresh SQLite database in `tmp`, then run the development server on it."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MFA_REQUIRED_FOR": "",  # as `make run`: the demo's HR pages, not the enrolment page
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603 (fixed arguments)
    seeded = subprocess.run(  # noqa: S603 (fixed arguments)
        [*manage, "seed_demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    print(seeded.stdout.strip())
    port = free_port()
    log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 (closed with the server)
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (our own local server)
            return server, base, log
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    stop_server(server, log)
    sys.exit(f"The development server did not start; see {tmp}/server.log")


def stop_server(server, log):
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


# The browser --------------------------------------------------------------------------------------


def sign_in(browser, base, email):
    """The storage state (session cookie) of a sign-in through the form, as a person does it."""
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    state = context.storage_state()
    context.close()
    return state


def browser_fetch(request):
    def fetch(path):
        response = request.get(path, max_redirects=0)
        content_type = response.headers.get("content-type", "")
        body = response.text() if content_type.startswith("text/html") else ""
        return response.status, content_type, body, response.headers.get("location", "")

    return fetch


def shoot(browser, base, state, url, file, width):
    """Screenshot one page at one width in a fresh context; the weights of its first load."""
    context = browser.new_context(
        base_url=base, storage_state=state, viewport={"width": width, "height": WIDTHS[width]}, reduced_motion="reduce"
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[width])
    page.screenshot(
        path=file,
        type="jpeg",
        quality=JPEG_QUALITY,
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )
    weights = weigh(responses)
    context.close()
    return weights


def run(label):
    from playwright.sync_api import sync_playwright

    out = OUT / label
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.jpg"):
        old.unlink()
    tmp = tempfile.mkdtemp(prefix="alliance-shots-")
    server, base, log = start_server(tmp)
    rows = []
    try:
        os.environ.update(DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()  # for resolve() in discover(): the URL names of the pages found
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for role, email in [*ROLES.items(), ("anonymous", None)]:
                state = sign_in(browser, base, email) if email else None
                if email:
                    context = browser.new_context(base_url=base, storage_state=state)
                    pages = discover(browser_fetch(context.request))
                    context.close()
                else:
                    pages = ANONYMOUS
                for page_name, url in pages:
                    row = {"role": role, "page": page_name, "url": url}
                    for width in WIDTHS:
                        file = out / f"{role}-{page_name}-{width}.jpg"
                        weights = shoot(browser, base, state, url, file, width)
                        row[width] = file.name
                        row.setdefault("weights", weights)  # the 1280 px load
                    rows.append(row)
                    print(
                        f"{role:<9} {page_name:<17} {url:<28} {sum(row['weights'].values()) / 1024:6.1f} KB", flush=True
                    )
            browser.close()
    finally:
        stop_server(server, log)
        shutil.rmtree(tmp, ignore_errors=True)
    (out / "index.md").write_text(index_md(label, rows, out))
    total = sum(file.stat().st_size for file in out.glob("*.jpg"))
    print(f"{len(rows)} pages, {len(list(out.glob('*.jpg')))} images, {total / 1e6:.1f} MB in {out}")


def kb(size):
    return f"{size / 1024:.1f}"


def index_md(label, rows, out):
    totals = [sum(row["weights"].values()) for row in rows]
    heaviest = rows[totals.index(max(totals))]
    images = sorted(out.glob("*.jpg"))
    lines = [
        f"# Screenshots: {label}",
        "",
        "Made by `make screenshots LABEL=" + label + "` (docs/screenshots/make.py) on the demo company "
        "(`manage.py seed_demo`), signed in as each demo role; 1280 px and 390 px wide, the top "
        f"{MAX_HEIGHT[1280]} / {MAX_HEIGHT[390]} px of long pages, JPEG quality {JPEG_QUALITY}. "
        f"{len(images)} images, {sum(f.stat().st_size for f in images) / 1e6:.1f} MB.",
        "",
        "## Page weight of a first load",
        "",
        "Every response of the page at 1280 px with a cold cache, gzip-compressed (level 9), in KB "
        "(1 KB = 1,024 bytes). The development server serves with DEBUG on; sizes are the bodies the browser got.",
        "",
        f"- **Median** over the {len(rows)} pages: **{kb(statistics.median(totals))} KB**",
        f"- **Max**: **{kb(max(totals))} KB** ({heaviest['role']} {heaviest['page']}, `{heaviest['url']}`): "
        + ", ".join(f"{name} {kb(size)}" for name, size in heaviest["weights"].items()),
        "",
        "| Role | Page | URL | HTML | CSS | JS | Fonts | Images | Total KB | 1280 px | 390 px |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row, total in zip(rows, totals, strict=True):
        weights = row["weights"]
        sizes = " | ".join(kb(weights[name]) for name in ("html", "css", "js", "fonts", "images"))
        lines.append(
            f"| {row['role']} | {row['page']} | `{row['url']}` | {sizes} | **{kb(total)}** "
            f"| [![{row['role']} {row['page']} 1280]({row[1280]})]({row[1280]}) "
            f"| [![{row['role']} {row['page']} 390]({row[390]})]({row[390]}) |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="after", help="the folder under docs/screenshots/ (before, after, ...)")
    run(parser.parse_args().label)


if __name__ == "__main__":
    main()
