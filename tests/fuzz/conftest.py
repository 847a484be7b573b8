"""Hypothesis profiles for the fuzz tests, and how many examples ran.

`ci` (loaded when CI is set) is deterministic (derandomize) and keeps no example database, so a
run needs no .hypothesis folder and fails the same way every time. `dev` explores randomly and
remembers failing examples in .hypothesis/ (git-ignored). Each test sets its own max_examples;
the total is printed at the end of the run."""

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.hostile import RUN

# The `cast` fixture is built once per test and shared by its examples on purpose: each example
# runs in its own rolled-back savepoint and signs in with a fresh client (see hostile.py).
COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **COMMON)
settings.register_profile("dev", **COMMON)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_terminal_summary(terminalreporter):
    if RUN["examples"]:
        terminalreporter.write_line(f"fuzz: {RUN['examples']} generated examples ran, {RUN['requests']} requests")


@pytest.fixture(autouse=True)
def singletons(db):
    """The company and the fund's policy are rows made on first use: make them before any snapshot,
    so that first use is not mistaken for a refused request writing."""
    from alliance.models import Organization
    from networks.models import FundPolicy

    Organization.load()
    FundPolicy.load()
