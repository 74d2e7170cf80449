"""Searching the experience library finds a practice by a word in its text, on SQLite (FTS5) and on
PostgreSQL (full-text search with the Norwegian dictionary): also with æøå and in another case; it
finds nothing for words that are not there, ranks a title hit above a hit further down, and no typed
character breaks the query. The SQLite index follows inserts, changes and deletions (triggers); on
PostgreSQL the planner uses the GIN expression index. Run on PostgreSQL with
`bash scripts/with_postgres.sh .venv/bin/pytest tests/test_library_search.py -q`."""

import pytest
from django.db import connection

from lagspill.network import search
from lagspill.network.models import Practice
from lagspill.organisations.models import Organisation
from lagspill.places.models import Municipality

from .builders import municipality_org

POSTGRES = connection.vendor == "postgresql"


def practice(title: str, summary: str = "Noe ble gjort.", **fields: str) -> Practice:
    municipality = Municipality.objects.select_related("county").get(number=fields.pop("number", "1870"))
    organisation: Organisation = municipality_org(municipality.number)
    return Practice.objects.create(
        county=municipality.county,
        municipality=municipality,
        organisation=organisation,
        title=title,
        summary=summary,
        **fields,
    )


def found(text: str) -> list[str]:
    return [p.title for p in search.search(Practice.objects.all(), text)]


@pytest.fixture
def library(db: None) -> dict[str, Practice]:
    return {
        "leie": practice(
            "Fra leie til eie med startlån",
            "Boligkoordinatoren og NAV gikk gjennom ventelisten sammen med barnefamiliene.",
            result="Flere familier kjøpte egen bolig.",
        ),
        "arena": practice(
            "Tverrfaglig boligforum",
            "Et fast møtested på tvers av etatene, med brukerrepresentant fra Marborg.",
            lessons="Forankring må gjentas når ledere byttes ut på Fauske og i Bodø.",
            number="1841",
        ),
        "plan": practice(
            "Planstrategi med boligsosialt fokus",
            "Vågan vedtok en planstrategi der boligpolitikken løftes fram.",
            number="1865",
        ),
    }


@pytest.mark.django_db
def test_a_word_in_the_text_finds_the_practice(library: dict[str, Practice]) -> None:
    assert found("ventelisten") == ["Fra leie til eie med startlån"]  # in the summary
    assert found("familier kjøpte") == ["Fra leie til eie med startlån"]  # in the result, two words
    assert found("forankring") == ["Tverrfaglig boligforum"]  # in the lessons
    assert found("boligforum") == ["Tverrfaglig boligforum"]  # in the title


@pytest.mark.django_db
def test_norwegian_letters_and_case_do_not_matter(library: dict[str, Practice]) -> None:
    assert found("startlån") == ["Fra leie til eie med startlån"]
    assert found("STARTLÅN") == ["Fra leie til eie med startlån"]
    assert found("Bodø") == ["Tverrfaglig boligforum"]
    assert found("BODØ") == ["Tverrfaglig boligforum"]
    assert found("vågan") == ["Planstrategi med boligsosialt fokus"]
    assert found("møtested") == ["Tverrfaglig boligforum"]


@pytest.mark.django_db
def test_words_that_are_not_there_find_nothing(library: dict[str, Practice]) -> None:
    assert found("sykehjem") == []
    assert found("Tromsø") == []
    assert found("startlån sykehjem") == []  # every word must match


@pytest.mark.django_db
def test_blank_text_is_no_search(library: dict[str, Practice]) -> None:
    assert len(found("")) == 3
    assert len(found("   ")) == 3


@pytest.mark.django_db
def test_a_title_hit_ranks_above_a_hit_in_the_text(db: None) -> None:
    practice("Om forankring i planer", "Kort om det.")
    practice("Noe annet", "Her står det om planer, og så om forankring helt til slutt.")
    assert found("forankring") == ["Om forankring i planer", "Noe annet"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '""',
        "*",
        "startlån*",
        "AND",
        "OR",
        "NOT",
        "startlån AND",
        "-",
        "-startlån",
        "(",
        "startlån)",
        "^",
        "NEAR(startlån leie)",
        "title:startlån",
        "'; DROP TABLE network_practice; --",
        "a" * 500,
        "\x00",
        "{}",
        ":",
    ],
)
def test_no_typed_character_breaks_the_query(library: dict[str, Practice], typed: str) -> None:
    result = found(typed)  # runs the query: no error
    assert isinstance(result, list)
    assert Practice.objects.count() == 3


@pytest.mark.django_db
def test_syntax_around_a_real_word_still_finds_it(library: dict[str, Practice]) -> None:
    for typed in ('"startlån"', "startlån*", "(startlån)", "(startlån leie)", "startlån -", '"startlån'):
        assert found(typed) == ["Fra leie til eie med startlån"], typed


@pytest.mark.django_db
def test_search_follows_changes_and_can_be_combined_with_filters(library: dict[str, Practice]) -> None:
    leie = library["leie"]
    leie.summary = "Husbanken og kommunen ga veiledning om bostøtte."
    leie.save()
    assert found("ventelisten") == []
    assert found("bostøtte") == ["Fra leie til eie med startlån"]
    in_fauske = search.search(Practice.objects.filter(municipality__number="1841"), "forankring")
    assert [p.title for p in in_fauske] == ["Tverrfaglig boligforum"]
    assert search.search(Practice.objects.filter(municipality__number="1870"), "forankring").count() == 0
    # Used as a subquery (the rank's reference to the row is relabelled, not broken).
    inner = search.search(Practice.objects.all(), "forankring").values("pk")
    assert list(Practice.objects.filter(pk__in=inner).values_list("title", flat=True)) == ["Tverrfaglig boligforum"]
    library["arena"].delete()
    assert found("forankring") == []


@pytest.mark.django_db
@pytest.mark.skipif(POSTGRES, reason="the FTS5 table is SQLite's")
def test_sqlite_index_rows_follow_the_table(library: dict[str, Practice]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM network_practice_fts")
        assert cursor.fetchone()[0] == 3
        cursor.execute("SELECT rowid FROM network_practice_fts WHERE network_practice_fts MATCH ?", ['"vagan"*'])
        assert [row[0] for row in cursor.fetchall()] == [library["plan"].pk]


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only")
def test_postgresql_uses_the_gin_index(library: dict[str, Practice]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        queryset = search.search(Practice.objects.all(), "forankring")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "practice_search" in plan, plan


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only")
def test_postgresql_stems_norwegian_words(library: dict[str, Practice]) -> None:
    assert found("familie") == ["Fra leie til eie med startlån"]  # "familier" in the text
    assert found("boligkoordinator") == ["Fra leie til eie med startlån"]  # "Boligkoordinatoren"


def test_fts5_query_quotes_every_word() -> None:
    assert search.fts5_query('startlån "AND" (leie)* -eie') == '"startlån"* "AND"* "leie"* "eie"*'
    assert search.fts5_query('"*()-:^') == ""
