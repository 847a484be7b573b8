"""Hostile values, payloads built from a valid one, and the check every fuzzed request goes through.

Each example runs in its own savepoint (`isolated()`), rolled back at the end, so the examples of one
test share the `cast` built once by the fixture and never see each other's writes. That is why the
fuzz profile suppresses Hypothesis's function-scoped-fixture health check: the fixture is set up
once per test on purpose, and the only state examples could leak through (the database) is rolled
back. Each example also signs in with a fresh test client, so no cookie or message carries over.
"""

import contextlib
import re

from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from hypothesis import strategies as st
from hypothesis.control import current_build_context

RUN = {"examples": 0, "requests": 0, "context": None}

SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b",
    "🦄" * 40,
    "Ω≈ç√∫˜µ≤≥÷",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "%00",
    "\ud7ff\ue000\uffff",
    "\r\n\r\n",
    "None",
    "null",
    "true",
]
BAD_DATES = ["0001-01-01", "9999-12-31", "9999-12-01", "1949-12-31", "2200-01-01", "2026-02-30", "2026-13-01",
             "0000-00-00", "99999-01-01", "2026-1-1",
             "01/02/2026", "-2026-01-01", "2024-02-29", "1900-02-29", "2026-02-28T25", "today"]  # fmt: skip
BIG = 2**63
BAD_INTS = ["0", "-1", str(2**31), str(2**31 - 1), str(BIG), str(BIG - 1), str(-BIG - 1), str(2**100), "1e309",
            "NaN", "inf", "-inf", "1.5", "0x10", " 7 ", "٣", "99999999999999999999.99"]  # fmt: skip

texts = st.text(max_size=40)  # any code point but surrogates: NUL, RTL marks, emoji, combining marks
huge = st.integers(300, 60_000).map(lambda n: ("é🦄x" * n)[:n])
dates = st.one_of(st.sampled_from(BAD_DATES), st.dates().map(lambda d: d.isoformat()))
numbers = st.one_of(
    st.sampled_from(BAD_INTS),
    st.integers(-(2**70), 2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
anything = st.one_of(st.sampled_from(SPECIAL), texts, huge, dates, numbers)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_for(valid, ids=()):
    """A hostile replacement for `valid`, leaning to its kind: dates for dates, numbers and other
    people's ids for numbers, then anything at all."""
    valid = str(valid)
    if DATE_RE.match(valid):
        return st.one_of(dates, anything)
    if valid.isdigit():
        pool = [numbers, anything]
        if ids:
            pool.insert(0, st.sampled_from([str(i) for i in ids]))
        return st.one_of(*pool)
    return anything


@st.composite
def payloads(draw, valid, ids=(), extra=()):
    """The valid payload (a value may be a strategy of valid values) with some of its fields replaced
    by hostile values, dropped or repeated, and maybe extra keys. Shrinks towards the valid payload."""
    data = {key: draw(v) if isinstance(v, st.SearchStrategy) else v for key, v in valid.items()}
    valid = dict(data)
    keys = sorted(data)
    count = draw(st.integers(0, len(keys)))
    for key in draw(st.permutations(keys))[:count]:
        action = draw(st.sampled_from(["hostile", "hostile", "hostile", "missing", "repeat"]))
        if action == "missing":
            del data[key]
        elif action == "repeat":
            data[key] = draw(st.lists(value_for(valid[key], ids), min_size=2, max_size=3))
        else:
            data[key] = draw(value_for(valid[key], ids))
    for key in extra:
        if draw(st.booleans()):
            data[key] = draw(anything)
    return data


huge_ids = st.one_of(st.integers(0, 2**80), st.sampled_from([2**31, 2**31 - 1, BIG - 1, BIG, 2**64]))


@contextlib.contextmanager
def isolated():
    """A rolled-back savepoint, whatever happens in it (an example may use several, one per request)."""
    context = current_build_context()  # one per generated example
    if context is not RUN["context"]:
        RUN["context"] = context
        RUN["examples"] += 1
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def client_for(employee_or_user=None):
    client = Client()
    if employee_or_user is not None:
        client.force_login(getattr(employee_or_user, "user", employee_or_user))
    return client


APPS = ["alliance", "tours", "networks", "alumni", "meetings"]


def _tables():
    """The project's tables (many-to-many ones included), and their primary key columns."""
    return [
        (model._meta.db_table, model._meta.pk.column)
        for name in APPS
        for model in apps.get_app_config(name).get_models(include_auto_created=True)
    ]


def snapshot():
    """Every row of every table of the project's apps (the test database is small). Plain SQL over
    the models' own table names, as the ORM's per-query overhead made this the slowest part of a run."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608 (names from models)
            rows[table] = cursor.fetchall()
    return rows


def _has_errors(value):
    if isinstance(value, BaseForm):
        return bool(value.errors)
    if isinstance(value, BaseFormSet):
        return any(value.errors) or bool(value.non_form_errors()) or any(_has_errors(f) for f in value.forms)
    if isinstance(value, list | tuple):
        return any(_has_errors(v) for v in value)
    return False


def form_errors_shown(response):
    return any(_has_errors(value) for context in response.context or [] for value in context.flatten().values())


def error_message(response):
    return any(m.level >= messages.ERROR for m in get_messages(response.wsgi_request))


def read(response):
    """The body, streamed or not: a CSV's rows are computed while streaming, so errors show only then."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def post(user, url, data, *, preview=False, **kwargs):
    """POST hostile data: a 500 never; a refusal (403, 404, the form again with its errors, or a
    redirect with an error message) leaves the database exactly as it was. `preview`: a 200 may
    also be a page that shows what would happen (the CSV import), which writes nothing either."""
    RUN["requests"] += 1
    client = client_for(user)  # signing in writes (the session, the last login): before the snapshot
    before = snapshot()
    response = client.post(url, data, **kwargs)
    read(response)
    status = response.status_code
    assert status in (200, 302, 403, 404, 409), status
    if status in (200, 409):  # 409: the form again, as someone saved a newer version meanwhile
        shown = form_errors_shown(response) or error_message(response)
        # An empty POST leaves the form unbound (the views' `request.POST or None`): shown afresh.
        assert preview or shown or not data, "a 200 answer to a POST must show the form's errors"
    if status != 302 or error_message(response):
        after = snapshot()
        if preview:  # a clean preview keeps the uploaded file (an ImportJob) for its confirmation, nothing else
            before.pop("alliance_importjob", None)
            after.pop("alliance_importjob", None)
        assert after == before, "a refused request changed the database"
    return response


def get(user, url, data=None, *, allowed=(200,)):
    """GET with a hostile query string: never a 500, never a write."""
    RUN["requests"] += 1
    client = client_for(user)
    before = snapshot()
    response = client.get(url, data or {})
    read(response)
    assert response.status_code in allowed, response.status_code
    assert snapshot() == before, "a GET changed the database"
    return response
