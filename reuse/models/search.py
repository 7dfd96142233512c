"""The inventory search's indexes: substring search on the asset tag, serial and model without reading
every row.

The search means what it always meant: every word is part of the asset tag, serial or model (any case),
or is the whole council asset number. On PostgreSQL, trigram GIN indexes (pg_trgm) on the upper-cased
columns serve Django's own `icontains` as it is. SQLite has no such index, so a trigram FTS5 table
(`reuse_device_search`, its content read from the devices table, kept in step by triggers) answers the
words of three characters or more; shorter words, which no trigram index can answer, scan as before.

Django rebuilds a SQLite table to alter it, and the triggers go with the old table: `search_index_ensure`
runs after every migrate and puts them back (rebuilding the index when they were missing).
"""

from django.db import connections
from django.db.models import F, IntegerField, Q
from django.db.models.expressions import ExpressionWrapper, RawSQL

FTS_TABLE = "reuse_device_search"
COLUMNS = ("asset_tag", "serial", "model")
TRIGGER_PREFIX = "reuse_device_search_"
# A trigram index finds a substring of at least three characters.
MIN_INDEXED = 3

# Written out whole (no names pasted in), so what runs is what is read here.
FTS_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS reuse_device_search USING fts5(asset_tag, serial, model, "
    "content='reuse_device', content_rowid='id', tokenize='trigram')"
)
FTS_REBUILD = "INSERT INTO reuse_device_search(reuse_device_search) VALUES ('rebuild')"
SQLITE_TRIGGERS = {
    "reuse_device_search_insert": "AFTER INSERT ON reuse_device BEGIN "
    "INSERT INTO reuse_device_search(rowid, asset_tag, serial, model) "
    "VALUES (new.id, new.asset_tag, new.serial, new.model); END",
    "reuse_device_search_delete": "AFTER DELETE ON reuse_device BEGIN "
    "INSERT INTO reuse_device_search(reuse_device_search, rowid, asset_tag, serial, model) "
    "VALUES ('delete', old.id, old.asset_tag, old.serial, old.model); END",
    "reuse_device_search_update": "AFTER UPDATE OF asset_tag, serial, model ON reuse_device BEGIN "
    "INSERT INTO reuse_device_search(reuse_device_search, rowid, asset_tag, serial, model) "
    "VALUES ('delete', old.id, old.asset_tag, old.serial, old.model); "
    "INSERT INTO reuse_device_search(rowid, asset_tag, serial, model) "
    "VALUES (new.id, new.asset_tag, new.serial, new.model); END",
}
MATCHING_IDS = (
    "SELECT rowid FROM reuse_device_search WHERE reuse_device_search MATCH %s "
    "UNION SELECT id FROM reuse_device WHERE UPPER(council_asset_number) = UPPER(%s)"
)
POSTGRESQL_INDEXES = [
    *(
        f"CREATE INDEX IF NOT EXISTS reuse_device_{column}_trgm ON reuse_device "
        f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        for column in COLUMNS
    ),
    "CREATE INDEX IF NOT EXISTS reuse_device_council_no_upper ON reuse_device (UPPER(council_asset_number::text))",
]


def search_index_create(schema_editor) -> None:
    """Create the search indexes for this database (a migration's forward step)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for sql in POSTGRESQL_INDEXES:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(FTS_CREATE)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS reuse_device_council_no_upper ON reuse_device (UPPER(council_asset_number))"
        )
        _sqlite_triggers(schema_editor.connection, rebuild=True)


def search_index_drop(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS reuse_device_{column}_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS reuse_device_council_no_upper")
    elif vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS reuse_device_council_no_upper")
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS reuse_device_search")


def _sqlite_triggers(connection, *, rebuild: bool = False) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        if not cursor.fetchone():
            return  # not migrated this far yet
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER_PREFIX + "%"])
        present = {name for (name,) in cursor.fetchall()}
        for name, body in SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(f"CREATE TRIGGER {name} {body}")
                rebuild = True
        if rebuild:
            cursor.execute(FTS_REBUILD)


def search_index_ensure(using: str = "default", **kwargs) -> None:
    """After every migrate: on SQLite, put back any trigger a table rebuild dropped, and rebuild the index then."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        _sqlite_triggers(connection)


def search_words(queryset, words: list[str]):
    """`queryset` narrowed to devices matching every word: each word part of the asset tag, serial or model
    (any case), or the whole council asset number."""
    sqlite = connections[queryset.db].vendor == "sqlite"
    if sqlite:
        # The id compared as `id + 0`, so SQLite does not drive the query from the (large, unordered) list
        # of matches but walks its status/tag index in page order and looks each id up in the list.
        queryset = queryset.alias(search_id=ExpressionWrapper(F("pk") + 0, output_field=IntegerField()))
    for word in words:
        if sqlite and len(word) >= MIN_INDEXED:
            # One subquery, both halves on an index (an OR with a LIKE beside it would read every row again).
            # UPPER() and LIKE both fold ASCII letters only, so this is `iexact` exactly.
            phrase = '"' + word.replace('"', '""') + '"'
            queryset = queryset.filter(search_id__in=RawSQL(MATCHING_IDS, [phrase, word]))  # noqa: S611
        else:
            queryset = queryset.filter(
                Q(asset_tag__icontains=word)
                | Q(serial__icontains=word)
                | Q(model__icontains=word)
                | Q(council_asset_number__iexact=word)
            )
    return queryset
