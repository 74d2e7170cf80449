"""Full-text search of the experience library (see lagspill/network/search.py).

PostgreSQL: a GIN index on the weighted Norwegian tsvector of title, summary, result and lessons. The
expression is written out here (a migration must not change when app code does), and must stay equal to
`search.vector()`: tests/test_library_search.py checks on PostgreSQL that the planner uses this index.

SQLite: an FTS5 table with external content (the rows of network_practice), kept in step by triggers
on insert, update and delete, and filled from the rows there are now. NB: Django rebuilds a SQLite
table for some later schema changes (copy, drop, rename), which drops its triggers; a later migration
that alters network_practice must run `sqlite_forwards` again (the search tests fail if it does not).

Other databases get neither (search.py falls back to plain matching)."""

from django.db import migrations

FTS = "network_practice_fts"
COLUMNS = "title, summary, result, lessons"
NEW = "new.title, new.summary, new.result, new.lessons"
OLD = "old.title, old.summary, old.result, old.lessons"
SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='network_practice', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON network_practice BEGIN "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON network_practice BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF {COLUMNS} ON network_practice BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
INDEX = "practice_search"
UPPER = "ÆØÅÄÖÜÉÈÊÁÀÂÓÒÔÚÙÍÌÏČĐŊŠŦŽÑ"
LOWER = "æøåäöüéèêáàâóòôúùíìïčđŋšŧžñ"


def search_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F, Func, TextField, Value

    def folded(name):
        return Func(F(name), Value(UPPER), Value(LOWER), function="translate", output_field=TextField())

    document = (
        SearchVector(folded("title"), weight="A", config="norwegian")
        + SearchVector(folded("summary"), weight="B", config="norwegian")
        + SearchVector(folded("result"), folded("lessons"), weight="C", config="norwegian")
    )
    return GinIndex(document, name=INDEX)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("network", "Practice"), search_index())
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("network", "Practice"), search_index())
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
