"""Django's SQLite backend, with a flush that may empty guarded tables.

Some tables are append-only in the database itself: triggers refuse every
UPDATE and DELETE of their rows (the ballot log, ``voting`` migration 0003).
Emptying the whole database (``manage.py flush``, the test runner between
transactional tests) is another act. On PostgreSQL it is a TRUNCATE, which row
triggers do not see; on SQLite it is one DELETE per table, so this flush lifts
the triggers of the tables it empties, empties them and puts the same triggers
back, all in the flush's one transaction. A DELETE of some rows, or of all rows
through any other statement, still fails.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        emptied = set(tables)
        if allow_cascade:
            for table in tables:
                emptied.update(self._references_graph(table))
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
            )
            triggers = [(n, s) for n, t, s in cursor.fetchall() if t in emptied]
        lift = [f"DROP TRIGGER {self.quote_name(name)};" for name, _sql in triggers]
        restore = [f"{sql};" for _name, sql in triggers]
        return lift + statements + restore


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
