"""Full-text search of the experience library: `search(queryset, text)` keeps the practices whose
title, summary, result or lessons match every word typed, best match first (`search_rank`, higher is
better; then the newest).

On PostgreSQL it is PostgreSQL's own full-text search with the Norwegian dictionary (stemming), the
words read as a web search (`"a phrase"`, `-not`, `or`), on a GIN expression index that migration
0002 creates from the same expression (`vector()`; tests/test_library_search.py checks the plan uses it).
On SQLite it is an FTS5 table (`network_practice_fts`, external content, kept in step by triggers
made in the same migration), each word a prefix term, ranked with bm25. What people type never
reaches either engine as syntax: PostgreSQL parses it with `websearch_to_tsquery`, which accepts any
text, and for FTS5 only the words are kept, each one quoted.
"""

import re
from typing import Any

from django.db import connections
from django.db.models import Expression, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL

CONFIG = "norwegian"
FTS_TABLE = "network_practice_fts"
FIELDS = ("title", "summary", "result", "lessons")
BM25_WEIGHTS = (10.0, 4.0, 2.0, 2.0)  # title, summary, result, lessons
# PostgreSQL lower-cases only ASCII in a database with the C locale; these letters are folded by hand
# (in the document and the query), so "STARTLÅN" finds "startlån" whatever the database's locale.
UPPER = "ÆØÅÄÖÜÉÈÊÁÀÂÓÒÔÚÙÍÌÏČĐŊŠŦŽÑ"
LOWER = UPPER.lower()
MAX_LENGTH = 200
MAX_WORDS = 12
WORD = re.compile(r"\w+")


def vector() -> Any:
    """The weighted document of a practice (title A, summary B, result and lessons C). Migration 0002
    indexes this very expression; change both together."""
    from django.contrib.postgres.search import SearchVector

    def folded(name: str) -> Func:
        return Func(F(name), Value(UPPER), Value(LOWER), function="translate", output_field=TextField())

    return (
        SearchVector(folded("title"), weight="A", config=CONFIG)
        + SearchVector(folded("summary"), weight="B", config=CONFIG)
        + SearchVector(folded("result"), folded("lessons"), weight="C", config=CONFIG)
    )


def words(text: str) -> list[str]:
    """The words of a query (letters and digits), as FTS5's tokenizer would split them."""
    return WORD.findall(text[:MAX_LENGTH].replace("_", " "))[:MAX_WORDS]


def fts5_query(text: str) -> str:
    """An FTS5 MATCH expression: every word as a quoted prefix term, all required. Quotes, `*`,
    `AND`, `-` or brackets typed by people are never syntax: only `\\w` runs are kept, quoted."""
    return " ".join(f'"{word}"*' for word in words(text))


class Fts5Rank(Expression):
    """bm25 of a practice's row for the MATCH expression, negated so that higher is better. The
    practice's primary key is a source expression, so the query may be used as a subquery."""

    output_field = FloatField()

    def __init__(self, match: str, pk: Any = None) -> None:
        super().__init__()
        self.match = match
        self.pk = pk if pk is not None else F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, expressions: list[Any]) -> None:
        (self.pk,) = expressions

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        # Only constants and the compiled primary-key column are put into the SQL; the words are a parameter.
        sql = (
            f"(SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {pk_sql})"
        )
        return sql, [self.match, *pk_params]


def _nothing(queryset: QuerySet) -> QuerySet:
    return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))


def _postgresql(queryset: QuerySet, text: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text.lower(), search_type="websearch", config=CONFIG)
    return (
        queryset.alias(search_document=vector())
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(vector(), query))
    )


def _sqlite(queryset: QuerySet, text: str) -> QuerySet:
    match = fts5_query(text)
    if not match:
        return _nothing(queryset)
    found = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
    return queryset.filter(pk__in=found).annotate(search_rank=Fts5Rank(match))


def _fallback(queryset: QuerySet, text: str) -> QuerySet:
    """Another database: every word somewhere in the text, unranked."""
    found = words(text)
    if not found:
        return _nothing(queryset)
    for word in found:
        queryset = queryset.filter(Q.create([(f"{name}__icontains", word) for name in FIELDS], connector=Q.OR))
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


def search(queryset: QuerySet, text: str) -> QuerySet:
    """The practices of `queryset` matching `text`, best first. Blank text: the queryset as it is."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:MAX_LENGTH]
    if not text:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        found = _postgresql(queryset, text)
    elif vendor == "sqlite":
        found = _sqlite(queryset, text)
    else:
        found = _fallback(queryset, text)
    return found.order_by("-search_rank", "-updated_at", "pk")
