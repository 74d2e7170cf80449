"""Django-free helpers: search folding and map projection, with property tests."""

from hypothesis import given
from hypothesis import strategies as st

from lagspill.lib import svgmap
from lagspill.lib.text import fold, search_key

NORDIC = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåáčđŋšŧžäöüABCÆØÅÁŠ -", max_size=40)


def test_fold_removes_diacritics_and_folds_nordic_letters() -> None:
    assert fold("Hábmer - Hamarøy") == "habmer - hamaroy"
    assert fold("Sortland - Suortá") == "sortland - suorta"
    assert (
        fold("Ærøy Åfjord Čáhcesuolu Unjárga Deatnu Guovdageaidnu")
        == "aeroy afjord cahcesuolu unjarga deatnu guovdageaidnu"
    )


@given(NORDIC)
def test_fold_is_idempotent_and_ascii(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()


@given(NORDIC, NORDIC)
def test_a_folded_part_of_a_name_is_found_in_its_search_key(name: str, other: str) -> None:
    assert fold(name).strip() in search_key(name, other)


coordinate = st.tuples(st.floats(4, 31), st.floats(57, 72))


@given(st.lists(coordinate, min_size=3, max_size=30))
def test_projected_points_land_inside_the_view_box(points: list[tuple[float, float]]) -> None:
    rings = [[svgmap.project(lon, lat) for lon, lat in points]]
    frame = svgmap.Frame.around(rings, width=500)
    for point in rings[0]:
        x, y = frame.to_svg(point)
        assert -1e-6 <= x <= 500 + 1e-6
        assert -1e-6 <= y <= frame.height + 1e-6


def test_north_is_up_and_east_is_right() -> None:
    bodo, tromso, oslo = svgmap.project(14.4, 67.3), svgmap.project(18.9, 69.6), svgmap.project(10.7, 59.9)
    frame = svgmap.Frame.around([[bodo, tromso, oslo]])
    assert frame.to_svg(tromso)[1] < frame.to_svg(bodo)[1] < frame.to_svg(oslo)[1]
    assert frame.to_svg(oslo)[0] < frame.to_svg(bodo)[0] < frame.to_svg(tromso)[0]


def test_a_multipolygon_becomes_one_closed_subpath_per_ring() -> None:
    square = [[14, 67], [14.1, 67], [14.1, 67.1], [14, 67.1], [14, 67]]
    island = [[15, 67], [15.1, 67], [15.1, 67.1], [15, 67]]
    geometry = {"type": "MultiPolygon", "coordinates": [[square], [island]]}
    rings = svgmap.projected_rings(geometry)
    path = svgmap.geometry_path(rings, svgmap.Frame.around(rings))
    assert path.count("M") == 2 and path.count("Z") == 2


def test_it_knows_the_local_election_cycle() -> None:
    import datetime

    from lagspill.lib import elections

    assert elections.election_day(2023) == datetime.date(2023, 9, 11)  # the 2023 local elections
    assert elections.election_day(2027) == datetime.date(2027, 9, 13)
    assert elections.last_election_year(datetime.date(2023, 9, 10)) == 2019
    assert elections.last_election_year(datetime.date(2023, 9, 11)) == 2023
    assert elections.last_election_year(datetime.date(2026, 11, 24)) == 2023
    assert elections.strategy_due(2023) == datetime.date(2024, 10, 31)
