"""JSON-stat 2.0 decoding, on a real SSB response and on generated datasets."""

import json
from math import prod
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lagspill.lib.jsonstat import JsonStatError, parse

FIXTURES = Path(__file__).parent / "fixtures" / "ssb"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_it_reads_a_real_ssb_response() -> None:
    dataset = parse(load("ssb_05300_jsonstat2_response.json"))
    assert [d.id for d in dataset.dimensions] == ["Avstand1", "Kulturtilbud", "ContentsCode", "Tid"]
    cells = list(dataset.cells())
    assert len(cells) == 432
    first = cells[0]
    assert first.codes == {"Avstand1": "01", "Kulturtilbud": "01", "ContentsCode": "Avstand", "Tid": "1991"}
    assert (first.value, first.status) == (16.0, "")
    assert cells[1].codes["Tid"] == "1994"  # the last dimension varies fastest
    assert dataset.source == "Statistisk sentralbyrå"


def test_it_keeps_ssb_status_symbols_and_never_invents_a_zero() -> None:
    cells = list(parse(load("ssb_05300_jsonstat2_response.json")).cells())
    marked = [c for c in cells if c.status]
    assert marked and {c.status for c in marked} <= {".", "..", ":", "-"}
    assert all(c.value is None for c in marked if c.status in {".", "..", ":"})


def test_it_refuses_legacy_json_stat_1_with_a_clear_message() -> None:
    with pytest.raises(JsonStatError, match=r"Not a JSON-stat 2\.0 dataset"):
        parse(load("ssb_29843_jsonstat1_dataset.json"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(size=[6, 8, 1, 8]), "size says 8"),
        (lambda d: d["value"].pop(), "431 values"),
        (lambda d: d.update(value={"999": 1}), "outside the dataset"),
        (lambda d: d["value"].__setitem__(0, "16"), "not a number"),
        (lambda d: d["dimension"].pop("Tid"), "'Tid' is missing"),
    ],
)
def test_malformed_documents_are_refused(change: object, message: str) -> None:
    document = load("ssb_05300_jsonstat2_response.json")
    change(document)
    with pytest.raises(JsonStatError, match=message):
        parse(document)


@st.composite
def datasets(draw: st.DrawFn) -> tuple[dict, list[list[str]]]:
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    codes = [[f"d{i}c{j}" for j in range(size)] for i, size in enumerate(sizes)]
    count = prod(sizes)
    values = draw(st.lists(st.one_of(st.none(), st.integers(-1000, 1000)), min_size=count, max_size=count))
    sparse = draw(st.booleans())
    dimension = {
        f"d{i}": {"label": f"dim {i}", "category": {"index": c if i % 2 else {k: n for n, k in enumerate(c)}}}
        for i, c in enumerate(codes)
    }
    document = {
        "class": "dataset",
        "version": "2.0",
        "id": [f"d{i}" for i in range(len(sizes))],
        "size": sizes,
        "dimension": dimension,
        "value": {str(n): v for n, v in enumerate(values) if v is not None} if sparse else values,
        "status": {str(n): ".." for n, v in enumerate(values) if v is None},
    }
    return document, values


@given(datasets())
def test_every_position_decodes_to_its_own_categories(generated: tuple[dict, list]) -> None:
    document, values = generated
    cells = list(parse(document).cells())
    assert len(cells) == len(values)
    sizes = document["size"]
    for position, cell in enumerate(cells):
        # Recompute the row-major coordinates of this position independently.
        remainder, expected = position, []
        for size in reversed(sizes):
            expected.append(remainder % size)
            remainder //= size
        coordinates = list(reversed(expected))
        assert cell.codes == {f"d{i}": f"d{i}c{j}" for i, j in enumerate(coordinates)}
        assert cell.value == (None if values[position] is None else float(values[position]))
        assert cell.status == ("" if values[position] is not None else "..")
