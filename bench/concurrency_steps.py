"""The concurrent steps of bench/concurrency.py and the checks of the database afterwards."""

import datetime
import random
import re
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from email import message_from_string, policy
from functools import partial

from bench.concurrency_browser import Browser, find_form, replace

ROLES = ("employee", "manager")
TABS = 2  # each signed-in session is used by two threads at once, like two browser tabs


class Run:
    """What the threads saw: every status code, what was accepted, what was refused and why, problems."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses, self.refused, self.problems = Counter(), Counter(), []
        self.edits, self.signatures, self.checkins, self.successors = [], [], [], []

    def log(self, status):
        with self.lock:
            self.statuses[status] += 1

    def add(self, kind, item):
        with self.lock:
            getattr(self, kind).append(item)

    def refuse(self, what, text):
        with self.lock:
            self.refused[f"{what}: {text[:80]}"] += 1

    def problem(self, text):
        with self.lock:
            self.problems.append(text)


# Actions, as a person in a browser does them: open the page, submit its form.


def edit(run, browser, tour, marker):
    page = browser.get(f"/tours/{tour}/edit/")
    fields = find_form(page.body, "base_revision") if page.status == 200 else None
    if fields is None:
        return run.problem(f"edit form of tour {tour}: {page.status}")
    response = browser.post(f"/tours/{tour}/edit/", replace(fields, title=marker, change_note=marker))
    saved = re.search(r"Saved as revision (\d+)\.", response.body)
    if response.redirected_from and saved:
        run.add("edits", (tour, int(saved.group(1)), marker))
    elif response.status == 409 and "While you were editing" in response.body:
        run.refuse("edit", "409, the form error says who saved which revision since it was opened")
    else:
        run.problem(f"edit of tour {tour}: {response.status} {response.messages()}")


def _outcome(run, what, response, success):
    messages = response.messages()
    if response.redirected_from and any(level == "success" and text.startswith(success) for level, text in messages):
        return True
    refusals = [text for level, text in messages if level == "danger"]
    if response.redirected_from and refusals:  # one line per kind of refusal in the summary
        run.refuse(what, re.sub(r"\d[\d-]*", "N", re.sub(r"“[^”]*”", "“…”", refusals[0])))
    else:
        run.problem(f"{what}: {response.status} {messages}")
    return False


def sign(run, browser, tour, role):
    fields = find_form(browser.get(f"/tours/{tour}/").body, "revision")
    if fields is None:
        return run.refuse("sign", "no sign button on the page (signed already, or agreed)")
    number = int(dict(fields)["revision"])
    if _outcome(run, "sign", browser.post(f"/tours/{tour}/sign/", fields), "Signed"):
        run.add("signatures", (tour, role, number))


def propose(run, browser, tour):
    _outcome(run, "propose", browser.post(f"/tours/{tour}/propose/", []), "Proposed")


def plan_next(run, browser, tour):
    response = browser.post(f"/tours/{tour}/next/", [])
    if _outcome(run, "plan next", response, "A draft of the next tour"):
        run.add("successors", (tour, int(response.redirected_from.location.strip("/").split("/")[-1])))


def check_in(run, browser, tour, role):
    page = browser.get(f"/tours/{tour}/check-in/")
    if page.status == 302:
        return run.refuse("check-in", "no check-in due from you (checked in already)")
    fields = find_form(page.body, "due_on")
    response = browser.post(f"/tours/{tour}/check-in/", fields)
    if response.redirected_from and "Check-in recorded." in response.body:
        run.add("checkins", (tour, role, dict(fields)["due_on"]))
    elif response.status == 200 and "You have already checked in" in response.body:
        run.refuse("check-in", "form error: you have already checked in")
    elif response.redirected_from and ("info", "No check-in is due from you on this tour right now.") in (
        response.messages()
    ):
        run.refuse("check-in", "no check-in due from you (the other tab checked in meanwhile)")
    else:
        run.problem(f"check-in on tour {tour}: {response.status} {response.messages()}")


def all_at_once(threads, tasks):
    random.shuffle(tasks)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(task) for task in tasks]:
            future.result()


def make_tour(employee, manager, start, title):
    from alliance.notifications import muted
    from tours import rules, services

    end = rules.add_months(start, 36) - datetime.timedelta(days=1)
    terms = {
        "title": title,
        "mission": "Hold the line.",
        "company_gets": "A steady service.",
        "employee_gets": "Experience.",
        "start_date": start,
        "end_date": end,
        "checkin_months": 3,
    }
    with muted():
        tour = services.tour_create(
            employee=employee,
            tour_type="transformational",
            programme=None,
            terms=terms,
            objectives=[{"side": "employee", "description": "Ship it", "measure": ""}],
            values=[],
            author=manager.user,
        )
        services.tour_propose(tour=tour, user=manager.user)
    return tour


def run_phases(run, pairs, servers, threads, rounds, password):
    """Sign in every party on both servers, then the three storms. Returns what was done, for the summary."""
    from tours.models import Tour

    sessions = {}

    def sign_in(pair, role, server):
        browser = Browser(server.port, run.log)
        browser.sign_in(pair.people[role].user.email, password)
        sessions[pair.i, role, server.port] = browser

    all_at_once(threads, [partial(sign_in, p, role, s) for p in pairs for role in ROLES for s in servers])
    clients = [(p, role, sessions[p.i, role, s.port]) for p in pairs for role in ROLES for s in servers]
    timings = {}

    def edit_and_sign(pair, role, browser, tag):
        for k in range(rounds):
            edit(run, browser, pair.a, f"Pair {pair.i}: {tag}, edit {k}")
            sign(run, browser, pair.a, role)

    started = time.monotonic()
    all_at_once(
        threads,
        [
            partial(edit_and_sign, p, role, b, f"{role} on :{b.port} tab {tab}")
            for p, role, b in clients
            for tab in range(TABS)
        ],
    )
    timings["edits and signatures"] = time.monotonic() - started
    for pair in pairs:  # both sign whatever is current, one after the other: the tour is agreed
        for role in ROLES:
            sign(run, sessions[pair.i, role, servers[0].port], pair.a, role)
        if Tour.objects.get(pk=pair.a).state != Tour.State.AGREED:
            run.problem(f"tour {pair.a} is not agreed after both parties signed its current revision")

    started = time.monotonic()
    tasks = [partial(plan_next, run, b, p.a) for p, role, b in clients]
    tasks += [partial(check_in, run, b, p.a, role) for p, role, b in clients for _ in range(TABS)]
    all_at_once(threads, tasks)
    timings["next tours and check-ins"] = time.monotonic() - started

    today = datetime.date.today()
    for pair in pairs:  # the successor B, D overlapping B, X overlapping the tour in force
        successor = Tour.objects.filter(predecessor_id=pair.a).first()
        if successor is None:
            run.problem(f"tour {pair.a} has no next tour after everyone pressed “plan the next tour”")
            continue
        employee, manager = pair.people["employee"], pair.people["manager"]
        pair.b = successor.pk
        pair.d = make_tour(employee, manager, successor.start_date + datetime.timedelta(days=30), "Overlaps B").pk
        pair.x = make_tour(employee, manager, today + datetime.timedelta(days=10), "Overlaps A").pk

    def propose_and_sign(pair, role, browser):
        propose(run, browser, pair.b)
        for tour in random.sample([pair.b, pair.d, pair.x], 3):
            sign(run, browser, tour, role)

    started = time.monotonic()
    all_at_once(threads, [partial(propose_and_sign, p, role, b) for p, role, b in clients if p.b for _ in range(TABS)])
    timings["overlapping signatures"] = time.monotonic() - started
    return {"sign-ins": len(sessions), "timings": timings}


# Afterwards: what the database must show.


def emails_in(output):
    """(To, Subject, link) of each email the console mail backend printed, and the counts the command printed."""
    counts = [int(n) for n in re.findall(r"^(\d+) (?:tour|stale-profile) reminders? sent\.$", output, re.M)]
    text = re.sub(r"^\d+ (?:tour|stale-profile) reminders? sent\.\n", "", output, flags=re.M)
    mails = []
    for chunk in text.split("-" * 79):
        if "Subject:" in chunk:
            message = message_from_string(chunk.strip("\n"), policy=policy.default)
            link = re.search(r"^https?://\S+$", message.get_content(), re.M)
            mails.append((str(message["To"]), str(message["Subject"]), link and link.group(0)))
    return mails, sum(counts)


def check_edits_and_signatures(run, pairs):
    from tours.models import Signature, TourRevision

    violations = []
    for tour, number, marker in run.edits:
        title = TourRevision.objects.filter(tour_id=tour, number=number).values_list("title", flat=True).first()
        if title != marker:
            violations.append(f"lost update: tour {tour} revision {number} is {title!r}, accepted as {marker!r}")
    for pair in pairs:
        accepted = sum(1 for tour, _, _ in run.edits if tour == pair.a)
        stored = TourRevision.objects.filter(tour_id=pair.a).count()
        if stored != accepted + 1:
            violations.append(f"tour {pair.a}: {accepted} edits accepted but {stored} revisions stored (1 + edits)")
    ours = {t for p in pairs for t in (p.a, p.b, p.d, p.x) if t}
    stored = Counter(
        Signature.objects.filter(revision__tour_id__in=ours).values_list(
            "revision__tour_id", "role", "revision__number"
        )
    )
    if stored != Counter(run.signatures):
        violations.append(f"accepted signatures {sorted(Counter(run.signatures).items())} != stored {sorted(stored)}")
    return violations


def check_agreements():
    """Over every tour in the database, the demo company's included."""
    from django.db.models import Count

    from tours.models import Signature, Tour, TourRevision

    violations = []
    tours = {t.pk: t for t in Tour.objects.select_related("agreed_revision")}
    both = TourRevision.objects.annotate(n=Count("signatures")).filter(n__gte=2).values_list("tour_id", "number")
    for tour_id, number in both:
        agreed = tours[tour_id].agreed_revision
        if agreed is None or number > agreed.number:
            violations.append(f"tour {tour_id}: revision {number} is signed by both but is not the agreement in force")
    roles = Counter(Signature.objects.values_list("revision_id", "role"))
    signed = defaultdict(set)
    for revision, role in roles:
        signed[revision].add(role)
    for tour in tours.values():  # (the demo's history has completed tours written without signatures)
        if (tour.state == Tour.State.AGREED) != (tour.agreed_revision_id is not None and tour.is_open):
            violations.append(f"tour {tour.pk} is {tour.state} with agreed revision {tour.agreed_revision_id}")
        if tour.state == Tour.State.AGREED and signed[tour.agreed_revision_id] != set(Signature.Role.values):
            violations.append(f"tour {tour.pk}: the agreement in force lacks a party's signature")
    if any(n > 1 for n in roles.values()):
        violations.append("a party signed one revision twice")
    agreed = sorted(
        (t.employee_id, t.start_date, t.end_date or datetime.date.max, t.pk)
        for t in tours.values()
        if t.state == Tour.State.AGREED
    )
    for (person, _, end, first), (other, start, _, second) in zip(agreed, agreed[1:], strict=False):
        if person == other and start <= end:
            violations.append(f"employee {person} has two agreed tours on one day: {first} and {second}")
    in_force = Tour.objects.in_force().values("employee_id").annotate(n=Count("id")).filter(n__gt=1)
    violations += [f"employee {row['employee_id']} has {row['n']} tours in force today" for row in in_force]
    return violations


def check_pairs(run, pairs):
    from tours.models import CheckIn, Tour

    violations = []
    for key, n in Counter(run.checkins).items():
        if n > 1:
            violations.append(f"check-in {key} accepted {n} times")
    stored = Counter(
        (t, side, due.isoformat())
        for t, side, due in CheckIn.objects.filter(tour_id__in=[p.a for p in pairs]).values_list(
            "tour_id", "side", "due_on"
        )
    )
    if stored != Counter(run.checkins):
        violations.append(f"check-ins accepted {sorted(run.checkins)} != stored {sorted(stored)}")
    for pair in pairs:
        successors = [new for tour, new in run.successors if tour == pair.a]
        stored = list(Tour.objects.filter(predecessor_id=pair.a).values_list("pk", flat=True))
        if len(successors) != 1 or successors != stored:
            violations.append(f"tour {pair.a}: next tours accepted {successors}, stored {stored} (one expected)")
        states = dict(Tour.objects.filter(pk__in=[pair.b, pair.d, pair.x]).values_list("pk", "state"))
        agreed = [t for t in (pair.b, pair.d) if states.get(t) == Tour.State.AGREED]
        if len(agreed) != 1 or states.get(pair.x) == Tour.State.AGREED:
            violations.append(f"pair {pair.i}: overlapping tours agreed: {states} (exactly one of B, D expected)")
    return violations


def check_reminders(outputs):
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from alliance.models import Notification

    violations, mails, reported = [], [], 0
    for round_ in outputs:
        for code, out, err in round_:
            if code:
                violations.append(f"send_reminders exited {code}: {err[-800:]}")
            found, count = emails_in(out)
            mails += found
            reported += count
    if not mails:
        violations.append("send_reminders sent nothing: the check proved nothing")
    violations += [f"reminder emailed {n} times: {mail}" for mail, n in Counter(mails).items() if n > 1]
    if reported != len(mails):
        violations.append(f"send_reminders reported {reported} reminders but printed {len(mails)} emails")
    subjects = {subject for _, subject, _ in mails}
    duplicates = (
        Notification.objects.filter(message__in=subjects)
        .values("user_id", "url", "message", day=TruncDate("created_at"))
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    violations += [f"reminder notification stored {row['n']} times: {row}" for row in duplicates]
    racing = sum(1 for _, out, _ in outputs[0] if emails_in(out)[0])
    return violations, {"emails": len(mails), "runs": sum(map(len, outputs)), "first round senders": racing}


def check_database(run, pairs, outputs, numbers):
    """Print the summary; return the violations."""
    violations = list(run.problems)
    errors = sum(n for status, n in run.statuses.items() if status >= 500)
    if errors:
        violations.append(f"{errors} responses were 5xx")
    violations += check_edits_and_signatures(run, pairs)
    violations += check_agreements()
    violations += check_pairs(run, pairs)
    reminder_violations, reminders = check_reminders(outputs)
    violations += reminder_violations
    print(
        f"{sum(run.statuses.values())} requests from {numbers['threads']} threads over {numbers['sign-ins']} "
        f"signed-in sessions on 2 servers; statuses {dict(sorted(run.statuses.items()))}"
    )
    for phase, seconds in numbers["timings"].items():
        print(f"  {phase}: {seconds:.1f} s")
    print(
        f"Accepted: {len(run.edits)} edits, {len(run.signatures)} signatures, {len(run.successors)} next tours, "
        f"{len(run.checkins)} check-ins. Refused, with the message shown:"
    )
    for reason, n in sorted(run.refused.items()):
        print(f"  {n:4} {reason}")
    print(
        f"send_reminders: {reminders['runs']} runs, 4 at a time; {reminders['emails']} reminders sent in all, "
        f"split between {reminders['first round senders']} processes of the first round"
    )
    return violations
