import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lagspill.places.models import CodeChange, County, Municipality

pytestmark = pytest.mark.django_db


def test_it_loads_every_county_and_municipality() -> None:
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert Municipality.objects.filter(county__number="18").count() == 41


def test_it_keeps_sami_parallel_names_and_the_plain_name() -> None:
    sortland = Municipality.objects.get(number="1870")
    assert sortland.name == "Sortland - Suortá"
    assert sortland.name_plain == "Sortland"
    assert {"name": "Suortá", "language": "Northern Sami"} in sortland.official_names


def test_it_loads_the_crosswalk_with_split_weights() -> None:
    tysfjord = CodeChange.objects.filter(year=2019, original_number="1850")
    assert {(c.current_number, str(c.weight)) for c in tysfjord} == {("1806", "0.5000"), ("1875", "0.5000")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hamaroy", "1875"),
        ("suorta", "1870"),
        ("SORTLAND", "1870"),
        ("1870", "1870"),
        ("Bodø", "1804"),
        ("bodo", "1804"),
    ],
)
def test_it_finds_municipalities_forgiving_diacritics(query: str, expected: str) -> None:
    assert expected in Municipality.objects.search(query).values_list("number", flat=True)


def test_it_finds_nothing_for_an_empty_query() -> None:
    assert not Municipality.objects.search("  ").exists()


def test_it_shows_the_county_with_all_municipalities_and_population(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fylke/18/")
    assert response.status_code == 200
    body = response.content.decode()
    for municipality in Municipality.objects.filter(county__number="18"):
        assert f'href="/kommune/{municipality.number}/"' in body
        assert body.count(f'href="/kommune/{municipality.number}/"') == 2  # map and table
    assert "10\xa0748" in body  # Sortland, 1 January 2026
    main = body.split("<main")[1].split("</main>")[0]  # the footer credits both anyway
    assert "© Kartverket" in main.split("</figure>")[0]
    assert "Kilde: Statistisk sentralbyrå, tabell 07459" in main
    assert len(queries) <= 6


def test_it_shows_the_municipality_with_its_latest_population(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/kommune/1870/")
    body = response.content.decode()
    assert "Sortland - Suortá" in body
    figure = body.split("big-number")[1].split("</dd>")[0]
    assert "10\xa0748" in figure and "1. januar 2026" in figure
    assert "Kilde: Statistisk sentralbyrå, tabell 07459" in figure
    assert len(queries) <= 5


def test_it_formats_numbers_for_english_readers(client: Client) -> None:
    client.cookies["lagspill_language"] = "en"
    body = client.get("/kommune/1870/").content.decode()
    assert "10,748" in body and "1 January 2026" in body


@pytest.mark.parametrize("path", ["/kommune/9999/", "/fylke/99/", "/kommune/abc/", "/ingen-side/"])
def test_it_gives_a_norwegian_404_for_unknown_codes(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_it_gives_the_404_in_english_when_chosen(client: Client) -> None:
    client.cookies["lagspill_language"] = "en"
    assert "Page not found" in client.get("/kommune/9999/").content.decode()


def test_it_searches_on_the_search_page(client: Client) -> None:
    body = client.get("/sok/", {"q": "hamaroy"}).content.decode()
    assert "Hábmer - Hamarøy" in body


def test_it_returns_only_results_to_htmx(client: Client) -> None:
    response = client.get("/sok/", {"q": "suorta"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Sortland - Suortá" in body and "<html" not in body


def test_it_says_so_when_nothing_matches(client: Client) -> None:
    body = client.get("/sok/", {"q": "atlantis"}).content.decode()
    assert "Ingen kommuner passer" in body


def test_the_front_page_features_nordland(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'href="/fylke/18/"' in body and "Nordland - Nordlánnda" in body


@pytest.mark.parametrize("path", ["/", "/fylke/18/", "/kommune/1870/", "/sok/?q=bodo"])
def test_pages_for_a_signed_in_member_run_a_bounded_number_of_queries(path: str, world: object) -> None:
    client = Client()
    client.force_login(world.users["editor"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) <= 8, [q["sql"][:80] for q in queries]


def test_a_county_number_finds_all_its_municipalities(client: Client) -> None:
    body = client.get("/sok/", {"q": "18"}).content.decode()
    assert "41 kommuner passer" in body and body.count('href="/kommune/18') == 41


@pytest.mark.parametrize(("query", "expected"), [("Sortland kommune", "1870"), ("sortland suorta", "1870")])
def test_every_word_of_the_query_counts(client: Client, query: str, expected: str) -> None:
    assert f'href="/kommune/{expected}/"' in client.get("/sok/", {"q": query}).content.decode()


@pytest.mark.parametrize("query", ["|", "-", "\x00", "\n"])
def test_odd_queries_find_nothing_and_do_not_fail(client: Client, query: str) -> None:
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200 and 'href="/kommune/' not in response.content.decode().split("<main")[1]


def test_a_control_character_inside_a_query_is_ignored(client: Client) -> None:
    assert 'href="/kommune/1870/"' in client.get("/sok/", {"q": "sort\x00land"}).content.decode()


@pytest.mark.parametrize("path", ["/kommune/%00/", "/fylke/%00/", "/invitasjon/%00/", "/kommune/18700/", "/fylke/1/"])
def test_malformed_codes_are_a_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_search_fragment_and_page_vary_by_htmx_header(client: Client) -> None:
    assert "HX-Request" in client.get("/sok/", {"q": "bodo"})["Vary"]
