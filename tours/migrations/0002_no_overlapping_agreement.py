"""PostgreSQL only: one agreed tour per employee on any day, enforced by the database.

An exclusion constraint over the tour's date range ('[]': both ends inclusive; an open end is
infinity). SQLite cannot express this; there the check in tours.services.tour_sign, made while
the employee row is locked, is the guard (SQLite also serialises writers on the whole database).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE tours_tour ADD CONSTRAINT tour_no_overlapping_agreement
    EXCLUDE USING gist (employee_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
    WHERE (state = 'agreed');
"""
DROP = "ALTER TABLE tours_tour DROP CONSTRAINT IF EXISTS tour_no_overlapping_agreement;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("tours", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
