"""Backups of the whole database with the database's own tools, and their restore into an empty database.

SQLite: the online backup API, a consistent copy taken while the app runs (a file copy taken mid-write is not).
PostgreSQL: pg_dump in its custom format, restored by pg_restore in one transaction (all or nothing). Both keep
every table: people, tours with every revision and signature, the audit trail, sessions, the worker's queue."""

import os
import sqlite3
import subprocess
from pathlib import Path

import environ
from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def default_path(directory="backups"):
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    return Path(directory) / f"alliance-{timezone.now():%Y%m%d-%H%M%S}.{suffix}"


def _pg(settings_dict):
    """pg_dump/pg_restore arguments and environment for a Django database settings dict."""
    args = ["--dbname", settings_dict["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = {**os.environ, **({"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict.get("PASSWORD") else {})}
    return args, env


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def backup(path):
    """Copy the configured database into `path`; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args], env)
    else:
        raise BackupError(f"No backup for a {connection.vendor} database.")
    return path


def target_database(url=None):
    """The database to restore into: `url` (a DATABASE_URL) or the configured one."""
    return environ.Env.db_url_config(url) if url else connection.settings_dict


def restore(path, *, url=None):
    """Restore the backup at `path` into an empty database (the configured one, or `url`). Refuses a database
    that has tables: restoring over live data would mix two states of the company."""
    path, target = Path(path), target_database(url)
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    engine = target["ENGINE"]
    if engine.endswith("sqlite3"):
        if path.suffix != ".sqlite3":
            raise BackupError(f"{path.name} is not a SQLite backup (.sqlite3).")
        destination = sqlite3.connect(target["NAME"])
        try:
            if destination.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                raise BackupError(f"{target['NAME']} is not empty: restore into a new database file.")
            source = sqlite3.connect(path)
            try:
                source.backup(destination)
            finally:
                source.close()
        finally:
            destination.close()
    elif engine.endswith(("postgresql", "postgis")):
        if path.suffix != ".pgdump":
            raise BackupError(f"{path.name} is not a PostgreSQL backup (.pgdump).")
        args, env = _pg(target)
        count = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        tables = _run(["psql", "--tuples-only", "--no-align", "--command", count, *args], env)
        if tables.strip() != "0":
            raise BackupError(f"Database {target['NAME']} is not empty (or not reachable): restore into a new one.")
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              *args, str(path)], env)  # fmt: skip
    else:
        raise BackupError(f"No restore into a {engine} database.")
