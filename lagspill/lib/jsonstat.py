"""Decode SSB's JSON-stat 2.0 datasets (PxWebApi `format=json-stat2`) into flat cells.

Pure and small on purpose: the SSB pipeline steps (issue 3) map cells to observations. SSB's
status symbols (`.`, `..`, `:`, `-`) are kept on the cell so missing never becomes zero.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from math import prod
from typing import Any


class JsonStatError(ValueError):
    """The document is not a JSON-stat 2.0 dataset we can read; the message says why."""


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]  # in the dataset's order
    labels: dict[str, str]


@dataclass(frozen=True)
class Cell:
    codes: dict[str, str]  # dimension id → category code
    value: float | None
    status: str  # "" or the source's status symbol


@dataclass(frozen=True)
class Dataset:
    label: str
    source: str
    updated: str
    dimensions: tuple[Dimension, ...]
    values: tuple[float | None, ...]
    statuses: tuple[str, ...]

    def cells(self) -> Iterator[Cell]:
        """Every cell in row-major order (the last dimension varies fastest), as JSON-stat defines."""
        ids = [d.id for d in self.dimensions]
        for position, codes in enumerate(product(*(d.codes for d in self.dimensions))):
            yield Cell(dict(zip(ids, codes, strict=True)), self.values[position], self.statuses[position])


def parse(document: dict[str, Any]) -> Dataset:
    if document.get("class") != "dataset" or str(document.get("version", "")) != "2.0":
        raise JsonStatError("Not a JSON-stat 2.0 dataset (expected class 'dataset' and version '2.0').")
    ids, sizes = document.get("id"), document.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise JsonStatError("The dataset's 'id' and 'size' must be lists of equal length.")
    dimensions = tuple(_dimension(dim_id, document.get("dimension", {}).get(dim_id)) for dim_id in ids)
    for dimension, size in zip(dimensions, sizes, strict=True):
        if len(dimension.codes) != size:
            raise JsonStatError(f"Dimension '{dimension.id}' has {len(dimension.codes)} categories, size says {size}.")
    count = prod(sizes)
    return Dataset(
        label=str(document.get("label", "")),
        source=str(document.get("source", "")),
        updated=str(document.get("updated", "")),
        dimensions=dimensions,
        values=_values(document.get("value"), count),
        statuses=_statuses(document.get("status"), count),
    )


def _dimension(dim_id: str, spec: Any) -> Dimension:
    if not isinstance(spec, dict) or not isinstance(spec.get("category"), dict):
        raise JsonStatError(f"Dimension '{dim_id}' is missing or has no 'category'.")
    category = spec["category"]
    labels = {str(k): str(v) for k, v in category.get("label", {}).items()}
    index = category.get("index")
    if isinstance(index, list):
        codes = tuple(str(code) for code in index)
    elif isinstance(index, dict):
        codes = tuple(code for code, _ in sorted(index.items(), key=lambda item: item[1]))
    elif len(labels) == 1:  # a single category may leave out its index
        codes = tuple(labels)
    else:
        raise JsonStatError(f"Dimension '{dim_id}' has no category index.")
    return Dimension(dim_id, str(spec.get("label", dim_id)), codes, labels)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JsonStatError(f"A value is not a number: {value!r}.")
    return float(value)


def _values(raw: Any, count: int) -> tuple[float | None, ...]:
    if isinstance(raw, list):
        if len(raw) != count:
            raise JsonStatError(f"The dataset has {len(raw)} values; its dimensions need {count}.")
        return tuple(_number(v) for v in raw)
    if isinstance(raw, dict):  # sparse: position → value
        values: list[float | None] = [None] * count
        for position, value in raw.items():
            values[_position(position, count)] = _number(value)
        return tuple(values)
    raise JsonStatError("The dataset has no 'value' list or object.")


def _statuses(raw: Any, count: int) -> tuple[str, ...]:
    if raw is None:
        return ("",) * count
    if isinstance(raw, str):  # one status for every cell
        return (raw,) * count
    if isinstance(raw, list):
        if len(raw) != count:
            raise JsonStatError(f"The dataset has {len(raw)} statuses; its dimensions need {count}.")
        return tuple(str(s or "") for s in raw)
    if isinstance(raw, dict):
        statuses = [""] * count
        for position, status in raw.items():
            statuses[_position(position, count)] = str(status or "")
        return tuple(statuses)
    raise JsonStatError("The dataset's 'status' is neither a string, a list nor an object.")


def _position(key: Any, count: int) -> int:
    text = str(key)
    if not text.isdecimal() or int(text) >= count:
        raise JsonStatError(f"Position {key!r} is outside the dataset (0–{count - 1}).")
    return int(text)
