"""Tables the database itself keeps append-only: triggers refuse every UPDATE and DELETE of their rows,
whoever sends it (the ORM, a raw query, the shell). Emptying the whole database (`manage.py flush`, the
test suite between tests) still works: TRUNCATE on PostgreSQL fires no row triggers, and on SQLite
core.backends.sqlite3 lifts the triggers around its flush.
"""

PREFIX = "append_only_"
MESSAGE = "rows of {table} are append-only"


def create_triggers_sql(vendor: str, table: str) -> list[str]:
    message = MESSAGE.format(table=table)
    if vendor == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION relay_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$",
            f'CREATE TRIGGER {PREFIX}{table} BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION relay_append_only()",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER {PREFIX}{table}_{verb.lower()} BEFORE {verb} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"append-only triggers for {vendor}")


def drop_triggers_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {PREFIX}{table} ON "{table}"']
    return [f"DROP TRIGGER IF EXISTS {PREFIX}{table}_{verb}" for verb in ("update", "delete")]
