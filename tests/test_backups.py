"""`manage.py backup` and `restore` (make backup / make restore): a backup restored into an empty database holds
every tour, revision and signature, and the rest (issue 22). SQLite here; PostgreSQL with DATABASE_URL set."""

import datetime
import os
import sqlite3
import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import make_tour
from tours.models import Signature, Tour, TourRevision

COUNTED = {"tours_tour": Tour, "tours_tourrevision": TourRevision, "tours_signature": Signature}


def ids_in(query):
    """{table: set of ids} in a restored database, `query(sql)` returning rows."""
    return {table: {row[0] for row in query(f"SELECT id FROM {table}")} for table in COUNTED}  # noqa: S608


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL of an empty database of the kind under test, and a function running SQL in it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def query(sql):
            with sqlite3.connect(path) as conn:
                return conn.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    params = {k: connection.settings_dict[v] or None for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))}
    params["password"] = connection.settings_dict["PASSWORD"] or None
    name = f"alliance_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')

    def query(sql):
        conn = psycopg2.connect(dbname=name, **params)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            conn.close()

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    yield f"{base}/{name}", query
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_tour_revision_and_signature(cast, tmp_path, empty_database):
    url, query = empty_database
    start = datetime.date.today() - datetime.timedelta(days=100)
    make_tour(cast.report, state="agreed", start=start)
    make_tour(cast.report_report, state="proposed")
    expected = {table: set(model.objects.values_list("pk", flat=True)) for table, model in COUNTED.items()}
    assert all(expected.values()) and len(expected["tours_signature"]) >= 2

    path = tmp_path / ("alliance.sqlite3" if connection.vendor == "sqlite" else "alliance.pgdump")
    call_command("backup", str(path))
    call_command("restore", str(path), database_url=url)

    assert ids_in(query) == expected
    people = query("SELECT count(*) FROM alliance_employee")[0][0]
    assert people == 6 and query("SELECT count(*) FROM django_migrations")[0][0] > 20
    # A database that is not empty is refused: restoring over live data would mix two companies.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), database_url=url)


def test_restore_refuses_a_missing_file_or_the_wrong_kind(tmp_path, db):
    with pytest.raises(CommandError, match="There is no backup"):
        call_command("restore", str(tmp_path / "none.sqlite3"), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    wrong = tmp_path / "alliance.pgdump"
    wrong.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="not a SQLite backup"):
        call_command("restore", str(wrong), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
