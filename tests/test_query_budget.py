"""The query budget: no page kind takes more than 12 queries (flatness as data grows is proved per page
in the apps' own query tests, and by bench/run at 1,000 and 10,000 employees)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.test_access_matrix import MATRIX

BUDGET = 12


def _pages():
    for name, url, statuses, *method in MATRIX:
        if method and method[0] != "get":
            continue
        for role, status in statuses.items():
            if status == 200:
                yield pytest.param(url, role, id=f"{name}-{role}")


@pytest.mark.parametrize(("url", "role"), list(_pages()))
def test_every_page_stays_within_the_query_budget(client_for, cast, url, role):
    client = client_for(role)
    path = url(cast)
    client.get(path)  # the first request after sign-in also stamps the session: not a page's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    queries = [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(queries) <= BUDGET, "\n".join(q[:150] for q in queries)
