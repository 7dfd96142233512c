"""Django's SQLite backend, with a flush that lifts the append-only triggers (core.appendonly) for the
moment it empties every table, so `manage.py flush` and the test suite's flush between tests still work.
Deleting or changing a row any other way is refused as before."""

from django.db.backends.sqlite3 import base, operations

from core.appendonly import PREFIX


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PREFIX + "%"]
            )
            triggers = cursor.fetchall()
        return [f'DROP TRIGGER "{name}"' for name, _sql in triggers] + statements + [sql for _name, sql in triggers]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
