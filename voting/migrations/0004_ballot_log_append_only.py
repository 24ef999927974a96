"""The ballot log is append-only in the database itself.

Triggers refuse every UPDATE and DELETE of a ``voting_ballotevent`` row, on
PostgreSQL and on SQLite, whoever sends it (the app, the admin, a raw SQL
session). Emptying the whole database stays possible: PostgreSQL's TRUNCATE
does not fire row triggers, and the SQLite backend's flush lifts and restores
the triggers around its DELETEs (``config/sqlite3/base.py``). A database owner
can always drop a trigger: this guards against mistakes and against the app,
not against the owner (docs/voting.md).
"""

from django.db import migrations

MESSAGE = "the ballot log is append-only"

POSTGRES_UP = f"""
CREATE FUNCTION voting_ballotevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER voting_ballotevent_no_update
    BEFORE UPDATE ON voting_ballotevent
    FOR EACH ROW EXECUTE FUNCTION voting_ballotevent_append_only();
CREATE TRIGGER voting_ballotevent_no_delete
    BEFORE DELETE ON voting_ballotevent
    FOR EACH ROW EXECUTE FUNCTION voting_ballotevent_append_only();
"""

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS voting_ballotevent_no_update ON voting_ballotevent;
DROP TRIGGER IF EXISTS voting_ballotevent_no_delete ON voting_ballotevent;
DROP FUNCTION IF EXISTS voting_ballotevent_append_only();
"""

SQLITE_UP = [
    f"""CREATE TRIGGER voting_ballotevent_no_update
    BEFORE UPDATE ON voting_ballotevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER voting_ballotevent_no_delete
    BEFORE DELETE ON voting_ballotevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS voting_ballotevent_no_update",
    "DROP TRIGGER IF EXISTS voting_ballotevent_no_delete",
]


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_UP])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)
    else:  # pragma: no cover - the project runs on these two
        raise NotImplementedError(f"no append-only triggers for {vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRES_DOWN])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("voting", "0003_ballot_secret_storage")]

    operations = [migrations.RunPython(forwards, backwards)]
