"""Choices that earlier versions erased with an UPDATE leave no old bytes.

Before 0003, closing a secret poll overwrote its ballots' choices in place: on
PostgreSQL the old row versions (partner, choice, reason) stayed in the pages of
``voting_ballot`` until a vacuum; on SQLite in the file's free space. This
rewrites that table once (``VACUUM FULL`` on PostgreSQL; the whole file with
``VACUUM`` on SQLite, whose pages are not per table). Outside a transaction, as
both need.
"""

from django.db import migrations


def rewrite(apps, schema_editor):
    connection = schema_editor.connection
    if connection.in_atomic_block:  # pragma: no cover - migrate runs this one alone
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (FULL) voting_ballot")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("voting", "0004_ballot_log_append_only")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
