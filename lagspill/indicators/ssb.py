"""Statistics Norway's PxWebApi v2 as a pipeline source: fetch, decode, map to 2024 municipalities, store.

`load()` reads each SSB-sourced indicator's table metadata first, checks the catalogue's codes against
it, fetches the data as JSON-stat 2.0 and writes one new data version per indicator, all in one
transaction (an error anywhere writes nothing). The mapping to 2024 municipality numbers
(`map_municipalities`, `combine`) is pure and tested on its own.

The catalogue's `source` table for `kind = "ssb"` (stored as `Indicator.source_spec`):
  table        SSB table id, e.g. "13995"
  region       the region dimension: "Region" (codes "0", "18", "1870") or, with kostra = true,
               "KOKkommuneregion0000" (codes "EAK" = country, "EKA18" = county 18, "1870")
  content      the ContentsCode whose value is the indicator
  numerator, denominator   optional ContentsCodes; they let rates be recomputed over mergers
  select       one code for each other dimension, e.g. { Alder = ["00-17"] }; the time dimension may
               list several periods (or use `years`; default: all). Eliminable dimensions left out
               are summed by SSB; any other must be selected.
  verified     false when the codes could not be confirmed against SSB's documentation
SSB's API has no flag for preliminary (unrevised KOSTRA) figures, so `preliminary` stays False.
"""

import hashlib
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from email.utils import parsedate_to_datetime
from functools import partial
from math import prod
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction

from lagspill.lib.jsonstat import Dataset, JsonStatError, parse
from lagspill.places.models import CodeChange, County, Municipality

from .models import AreaLevel, DataVersion, Indicator, Observation, SourceKind

DEFAULT_API_URL = "https://data.ssb.no/api/pxwebapi/v2"
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
MAX_ATTEMPTS = 4
MAX_RETRY_AFTER = 120.0  # seconds; SSB's rate-limit window is one minute
MAX_URL_LENGTH = 2000  # SSB answers 404 to GET URLs over about 2 100 characters: longer queries are POSTed
MAX_CELLS = 800_000  # SSB's limit per request
CACHE_TTL = 12 * 3600.0
USER_AGENT = "Lagspill (social-housing platform; indicators refresh)"
TIMES = {1: "once", 2: "twice", 3: "three times", 4: "four times"}
RATE_SCALE = {"percent": Decimal(100), "per_100": Decimal(100), "per_1000": Decimal(1000)}
RATE_ONLY = "merged municipality; the source gives only a rate"
SYMBOLS = {"", ".", "..", ":", "-"}  # the statuses Observation stores
QUANTUM = Decimal("0.0001")


class SsbError(Exception):
    """Fetching or reading SSB data failed; the message says what, in plain English."""


# ---------------------------------------------------------------- HTTP client


class SsbClient:
    """PxWebApi v2 over httpx: timeouts, retries with backoff, a polite rate limit and a disk cache."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        cache_dir: Path | str | None = None,
        cache_ttl: float = CACHE_TTL,
        min_interval: float = 0.5,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = (base_url or getattr(settings, "SSB_API_URL", "") or DEFAULT_API_URL).rstrip("/")
        default_cache = getattr(settings, "SSB_CACHE_DIR", None) or Path(settings.BASE_DIR) / "var" / "ssb-cache"
        self.cache_dir = Path(cache_dir or default_cache)
        self.cache_ttl = cache_ttl
        self.min_interval = min_interval
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.clock = clock
        self.sent = 0  # HTTP requests actually sent
        self._last_sent: float | None = None
        self._http = httpx.Client(transport=transport, timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def metadata(self, table: str) -> bytes:
        check = partial(read_metadata, table=table)
        return self.fetch(f"tables/{table}/metadata", {"lang": "no"}, what=f"table {table}", check=check)

    def data(self, table: str, selection: Mapping[str, Sequence[str]], check: Callable[[bytes], Any]) -> bytes:
        """GET with `valueCodes[dim]=a,b`; POST the same selection when the URL would be too long."""
        path, params = f"tables/{table}/data", {"lang": "no", "outputFormat": "json-stat2"}
        get_params = params | {f"valueCodes[{dim}]": ",".join(codes) for dim, codes in selection.items()}
        if len(str(httpx.URL(self._url(path), params=get_params))) <= MAX_URL_LENGTH:
            return self.fetch(path, get_params, what=f"table {table}", check=check)
        body = {"selection": [{"variableCode": dim, "valueCodes": list(codes)} for dim, codes in selection.items()]}
        return self.fetch(path, params, body=body, what=f"table {table}", check=check)

    def fetch(
        self,
        path: str,
        params: Mapping[str, str],
        *,
        what: str,
        body: dict[str, Any] | None = None,
        check: Callable[[bytes], Any] | None = None,
    ) -> bytes:
        """Raw response bytes, from the cache when fresh; `check` must accept them before they are cached."""
        method, url = ("POST" if body is not None else "GET"), self._url(path)
        cached = self._cache_file(method, url, params, body)
        if cached.exists() and time.time() - cached.stat().st_mtime < self.cache_ttl:
            return cached.read_bytes()
        content = self._send(method, url, params, body, what).content
        if check is not None:
            check(content)
        cached.parent.mkdir(parents=True, exist_ok=True)
        unfinished = cached.with_suffix(".part")
        unfinished.write_bytes(content)
        unfinished.replace(cached)  # readers never see half a file
        return content

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def _cache_file(self, method: str, url: str, params: Mapping[str, str], body: dict[str, Any] | None) -> Path:
        key = json.dumps([method, url, sorted(params.items()), body], sort_keys=True, ensure_ascii=False)
        return self.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def _send(
        self, method: str, url: str, params: Mapping[str, str], body: dict[str, Any] | None, what: str
    ) -> httpx.Response:
        for attempt in range(1, self.max_attempts + 1):
            last = attempt == self.max_attempts
            self._wait_turn()
            try:
                response = self._http.request(method, url, params=params, json=body)
            except httpx.TransportError as exc:
                if last:
                    raise SsbError(f"SSB is not reachable ({_describe(exc)})") from exc
                self.sleep(_backoff(attempt))
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                if last:
                    times = TIMES.get(attempt, f"{attempt} times")
                    raise SsbError(f"SSB answered {status} {response.reason_phrase} {times} for {what}")
                self.sleep(_retry_after(response) or _backoff(attempt))
                continue
            if response.is_error:
                raise SsbError(f"SSB answered {status} {response.reason_phrase} for {what}{_problem(response)}")
            return response
        raise AssertionError("unreachable")  # the loop returns or raises

    def _wait_turn(self) -> None:
        """At most one request per `min_interval` seconds."""
        if self._last_sent is not None:
            wait = self._last_sent + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_sent = self.clock()
        self.sent += 1


def _backoff(attempt: int) -> float:
    return 2.0 ** (attempt - 1)  # 1, 2, 4 seconds


def _retry_after(response: httpx.Response) -> float | None:
    header = response.headers.get("Retry-After", "").strip()
    if not header:
        return None
    if header.isdecimal():
        seconds = float(header)
    else:
        try:
            seconds = parsedate_to_datetime(header).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc)).strip() or type(exc).__name__
    return text[0].lower() + text[1:]


def _problem(response: httpx.Response) -> str:
    """SSB's own explanation of a 4xx, e.g. 'Non-existent value', if it sent one."""
    try:
        problem = response.json()
    except ValueError:
        return ""
    detail = (problem.get("title") or problem.get("detail")) if isinstance(problem, dict) else None
    return f" ({detail})" if detail else ""


def _json(content: bytes, what: str) -> Any:
    try:
        return json.loads(content)
    except ValueError as exc:
        raise SsbError(f"{what} is not JSON ({exc})") from exc


# ---------------------------------------------------------------- table metadata


@dataclass(frozen=True)
class Variable:
    id: str
    codes: tuple[str, ...]
    labels: dict[str, str]
    eliminable: bool


@dataclass(frozen=True)
class TableMeta:
    table: str
    label: str
    updated: str
    variables: dict[str, Variable]
    time: str | None
    content: str | None


def read_metadata(content: bytes, table: str) -> TableMeta:
    """PxWebApi v2 metadata (JSON-stat 2.0 without values); the older v0 `variables` list is read too."""
    document = _json(content, f"The metadata of table {table}")
    if isinstance(document, dict) and isinstance(document.get("dimension"), dict):
        return _metadata_v2(document, table)
    if isinstance(document, dict) and isinstance(document.get("variables"), list):
        return _metadata_v0(document, table)
    raise SsbError(f"The metadata of table {table} is neither PxWebApi v2 (JSON-stat) nor v0 (variables)")


def _metadata_v2(document: dict[str, Any], table: str) -> TableMeta:
    variables = {}
    for dim_id in document.get("id") or list(document["dimension"]):
        spec = document["dimension"].get(dim_id) or {}
        category = spec.get("category") or {}
        index = category.get("index") or {}
        codes = tuple(index) if isinstance(index, list) else tuple(sorted(index, key=index.get))
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        eliminable = bool((spec.get("extension") or {}).get("elimination", False))
        variables[dim_id] = Variable(dim_id, codes or tuple(labels), labels, eliminable)
    role = document.get("role") or {}
    return TableMeta(
        table=table,
        label=str(document.get("label", "")),
        updated=str(document.get("updated", "")),
        variables=variables,
        time=_role(role, "time", variables, "Tid"),
        content=_role(role, "metric", variables, "ContentsCode"),
    )


def _metadata_v0(document: dict[str, Any], table: str) -> TableMeta:
    variables, time_id = {}, None
    for item in document["variables"]:
        codes = tuple(str(c) for c in item.get("values", []))
        labels = dict(zip(codes, (str(t) for t in item.get("valueTexts", [])), strict=False))
        variables[item["code"]] = Variable(item["code"], codes, labels, bool(item.get("elimination", False)))
        time_id = item["code"] if item.get("time") else time_id
    return TableMeta(
        table=table,
        label=str(document.get("title", "")),
        updated="",
        variables=variables,
        time=time_id or ("Tid" if "Tid" in variables else None),
        content="ContentsCode" if "ContentsCode" in variables else None,
    )


def _role(role: dict[str, Any], name: str, variables: dict[str, Variable], fallback: str) -> str | None:
    ids = [i for i in role.get(name) or [] if i in variables]
    return ids[0] if ids else (fallback if fallback in variables else None)


# ---------------------------------------------------------------- query plan


@dataclass(frozen=True)
class Plan:
    indicator: str
    table: str
    kostra: bool
    region: str
    time: str
    content_dim: str
    content: str
    numerator: str | None
    denominator: str | None
    selection: dict[str, list[str]]


def build_plan(indicator: str, spec: Mapping[str, Any], meta: TableMeta, counties: Iterable[str]) -> Plan:
    """Check every configured dimension and code against the metadata; say which one is missing."""
    where = f"{indicator}: table {meta.table}"
    region = _need_variable(meta, str(spec.get("region") or ""), where, "region dimension")
    time_dim = _need_variable(meta, meta.time, where, "time dimension")
    content_dim = _need_variable(meta, meta.content, where, "ContentsCode dimension")
    contents = _contents(spec, meta, content_dim, where)
    select = {str(dim): [str(c) for c in codes] for dim, codes in (spec.get("select") or {}).items()}
    for dim in (content_dim, region):
        if dim in select:
            raise SsbError(f"{where}: '{dim}' is chosen by the loader and cannot be given under select")
    periods = select.pop(time_dim, None) or spec.get("years") or meta.variables[time_dim].codes
    kostra = bool(spec.get("kostra", False))
    selection = {
        region: region_codes(meta.variables[region].codes, kostra, set(counties)),
        time_dim: [str(period) for period in periods],
        content_dim: list(dict.fromkeys(code for code in contents.values() if code)),
    }
    for dim, codes in select.items():
        _need_variable(meta, dim, where, "dimension")
        if len(codes) != 1:
            raise SsbError(f"{where}: select exactly one code for '{dim}', not {len(codes)}")
        selection[dim] = codes
    _check_selection(meta, selection, region, where)
    return Plan(
        indicator=indicator,
        table=meta.table,
        kostra=kostra,
        region=region,
        time=time_dim,
        content_dim=content_dim,
        content=contents["content"] or "",
        numerator=contents["numerator"],
        denominator=contents["denominator"],
        selection=selection,
    )


def _contents(spec: Mapping[str, Any], meta: TableMeta, content_dim: str, where: str) -> dict[str, str | None]:
    """The content, numerator and denominator codes, each checked against the metadata."""
    contents = {key: (str(spec[key]) if spec.get(key) else None) for key in ("content", "numerator", "denominator")}
    if not contents["content"]:
        raise SsbError(f"{where}: the catalogue names no content code")
    for key, code in contents.items():
        if code:
            _need_code(meta, content_dim, code, where, key)
    return contents


def _need_variable(meta: TableMeta, dim: str | None, where: str, what: str) -> str:
    if not dim or dim not in meta.variables:
        known = ", ".join(meta.variables)
        raise SsbError(f"{where} has no {what} '{dim or '?'}' in SSB's metadata (it has: {known})")
    return dim


def _need_code(meta: TableMeta, dim: str, code: str, where: str, what: str) -> None:
    if code not in meta.variables[dim].codes:
        raise SsbError(f"{where} has no {what} '{code}' in dimension '{dim}' according to SSB's metadata")


def _check_selection(meta: TableMeta, selection: dict[str, list[str]], region: str, where: str) -> None:
    """Every code known, every required dimension chosen, some regions, and within SSB's cell limit."""
    for dim, codes in selection.items():
        for code in codes:
            _need_code(meta, dim, code, where, "code")
    for dim, variable in meta.variables.items():
        if dim not in selection and not variable.eliminable:
            raise SsbError(f"{where}: SSB requires a code for dimension '{dim}'; add it under select")
    if not selection[region]:
        raise SsbError(f"{where}: the region dimension has no country, county or municipality codes")
    cells = prod(len(codes) for codes in selection.values())
    if cells > MAX_CELLS:
        raise SsbError(f"{where}: the query would ask for {cells} cells, more than SSB's limit of {MAX_CELLS}")


def region_codes(codes: Iterable[str], kostra: bool, counties: set[str]) -> list[str]:
    """The codes to ask for: the country, 2024 counties and every municipality code (also old ones)."""
    wanted = []
    for code in codes:
        area = classify(code, kostra)
        if area is not None and (area[0] != AreaLevel.COUNTY or area[1] in counties):
            wanted.append(code)
    return wanted


def classify(code: str, kostra: bool) -> tuple[str, str] | None:
    """(area level, area code) for an SSB region code; None for anything else (bydel, KOSTRA groups …)."""
    if len(code) == 4 and code.isdecimal():
        return AreaLevel.MUNICIPALITY, code
    if kostra:
        if code == "EAK":
            return AreaLevel.COUNTRY, "0"
        if re.fullmatch(r"EKA\d\d", code):
            return AreaLevel.COUNTY, code[3:]
        return None
    if code == "0":
        return AreaLevel.COUNTRY, "0"
    if len(code) == 2 and code.isdecimal():
        return AreaLevel.COUNTY, code
    return None


# ---------------------------------------------------------------- decoding


@dataclass(frozen=True)
class SourceRow:
    """One area and period as the source gives it, before mapping to 2024 codes."""

    code: str
    period: str
    year: int
    value: Decimal | None
    status: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def decode(content: bytes, table: str) -> Dataset:
    try:
        document = json.loads(content)
        if not isinstance(document, dict):
            raise JsonStatError("the response is not a JSON object")
        return parse(document)
    except (ValueError, JsonStatError) as exc:  # JsonStatError is a ValueError; so is invalid JSON
        raise SsbError(f"Table {table} returned something that is not JSON-stat 2.0: {exc}") from exc


def source_rows(dataset: Dataset, plan: Plan) -> list[SourceRow]:
    """One row per region code × period, with the content, numerator and denominator cells joined."""
    present = {d.id for d in dataset.dimensions}
    for dim in (plan.region, plan.time, plan.content_dim):
        if dim not in present:
            raise SsbError(f"Table {plan.table} returned data without the dimension '{dim}'")
    cells: dict[tuple[str, str], dict[str, tuple[Decimal | None, str]]] = defaultdict(dict)
    for cell in dataset.cells():
        key, content = (cell.codes[plan.region], cell.codes[plan.time]), cell.codes[plan.content_dim]
        if content in cells[key]:
            raise SsbError(f"Table {plan.table} returned several values for {key[0]} {key[1]} {content}")
        status = cell.status if cell.status in SYMBOLS else ".."  # e.g. the old "..." (not yet available)
        cells[key][content] = (_number(cell.value, status), status)
    rows = []
    for (code, time_code), contents in cells.items():
        period, year = period_of(time_code, plan.table)
        value, status = contents.get(plan.content, (None, ".."))
        rows.append(
            SourceRow(
                code,
                period,
                year,
                value,
                status,
                numerator=contents.get(plan.numerator or "", (None, ""))[0],
                denominator=contents.get(plan.denominator or "", (None, ""))[0],
            )
        )
    return rows


def _number(value: float | None, status: str) -> Decimal | None:
    if status == "-":  # SSB's "nil": exactly zero
        return Decimal(0)
    return None if value is None else Decimal(str(value))


def period_of(code: str, table: str = "?") -> tuple[str, int]:
    """'2023' → ('2023', 2023); the three-year '2022-2024' → ('2022–2024', 2024)."""
    if match := re.fullmatch(r"(\d{4})-(\d{4})", code):
        return f"{match[1]}–{match[2]}", int(match[2])
    if match := re.match(r"\d{4}", code):
        return code, int(match[0])
    raise SsbError(f"Table {table} has a time period '{code}' without a year")


# ---------------------------------------------------------------- mapping to 2024 municipalities (pure)

Crosswalk = Mapping[tuple[int, str], Sequence[tuple[str, Decimal]]]


@dataclass(frozen=True)
class Areas:
    """The 2024 municipality and county numbers and the crosswalk (year, old code) → [(2024 code, weight)]."""

    municipalities: frozenset[str]
    counties: frozenset[str]
    crosswalk: Crosswalk = field(default_factory=dict)

    @classmethod
    def from_db(cls) -> "Areas":
        crosswalk: dict[tuple[int, str], list[tuple[str, Decimal]]] = defaultdict(list)
        rows = CodeChange.objects.values_list("year", "original_number", "current_number", "weight")
        for year, old, new, weight in rows.order_by("year", "original_number", "current_number"):
            crosswalk[(year, old)].append((new, Decimal(weight)))
        return cls(
            frozenset(Municipality.objects.values_list("number", flat=True)),
            frozenset(County.objects.values_list("number", flat=True)),
            dict(crosswalk),
        )


@dataclass(frozen=True)
class Part:
    row: SourceRow
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class Mapped:
    level: str
    code: str
    period: str
    year: int
    value: Decimal | None
    status: str = ""
    reason: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    weighted: bool = False


def targets(code: str, year: int, areas: Areas) -> Sequence[tuple[str, Decimal]] | None:
    """The 2024 codes an old code of `year` went to, with weights; None when the code is unknown."""
    if (year, code) in areas.crosswalk:
        return areas.crosswalk[(year, code)]
    return [(code, Decimal(1))] if code in areas.municipalities else None


def absent(row: SourceRow) -> bool:
    """No figure and no reason beyond 'cannot occur': SSB's empty cell for a code not valid that year."""
    return row.value is None and row.status in ("", ".")


def map_municipalities(
    rows: Iterable[SourceRow], areas: Areas, *, summable: bool, scale: Decimal | None = None
) -> tuple[list[Mapped], set[str]]:
    """Municipality rows in 2024 codes, and the codes skipped because they are not municipalities then."""
    groups: dict[tuple[str, str, int], list[Part]] = defaultdict(list)
    skipped: set[str] = set()
    for row in rows:
        found = targets(row.code, row.year, areas)
        if found is None:
            if not absent(row):
                skipped.add(row.code)
            continue
        for code, weight in found:
            groups[(code, row.period, row.year)].append(Part(row, weight))
    mapped = [
        combine(AreaLevel.MUNICIPALITY, code, parts, summable=summable, scale=scale)
        for (code, _, _), parts in sorted(groups.items())
    ]
    return mapped, skipped


def combine(level: str, code: str, parts: Sequence[Part], *, summable: bool, scale: Decimal | None) -> Mapped:
    """One 2024 area from its parts: pass through, a weighted share of a split, or a merger."""
    present = [p for p in parts if not absent(p.row)]
    if len(present) <= 1:
        return _single(level, code, present[0] if present else parts[0], summable)
    return _merge(level, code, present, summable, scale)


def _single(level: str, code: str, part: Part, summable: bool) -> Mapped:
    row, weight = part.row, part.weight
    split = weight != 1
    status, reason = row.status, ""
    if row.value is None and status == "":
        status, reason = "..", "no value in the source"
    return Mapped(
        level,
        code,
        row.period,
        row.year,
        _times(row.value, weight) if summable else row.value,
        status,
        reason,
        _times(row.numerator, weight),
        _times(row.denominator, weight),
        weighted=split,
    )


def _merge(level: str, code: str, parts: Sequence[Part], summable: bool, scale: Decimal | None) -> Mapped:
    first, weighted = parts[0].row, any(p.weight != 1 for p in parts)
    numerator = _sum([(p.row.numerator, p.weight) for p in parts])
    denominator = _sum([(p.row.denominator, p.weight) for p in parts])

    def result(value: Decimal | None, status: str = "", reason: str = "") -> Mapped:
        return Mapped(level, code, first.period, first.year, value, status, reason, numerator, denominator, weighted)

    missing = [p.row for p in parts if p.row.value is None]
    if missing:
        status = ":" if any(r.status == ":" for r in missing) else ".."
        old = ", ".join(sorted({r.code for r in missing}))
        return result(None, status, f"merged municipality; no figure for old code {old}")
    if summable:
        value = _sum([(p.row.value, p.weight) for p in parts])
        return result(value, "-" if all(p.row.status == "-" for p in parts) else "")
    if numerator is not None and denominator and scale is not None:
        return result(numerator / denominator * scale)
    return result(None, "..", RATE_ONLY)


def _times(value: Decimal | None, weight: Decimal) -> Decimal | None:
    return None if value is None else value * weight


def _sum(values: Sequence[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    if any(v is None for v, _ in values):
        return None
    return sum((v * w for v, w in values if v is not None), Decimal(0))


def map_rows(
    rows: Iterable[SourceRow], areas: Areas, *, kostra: bool, summable: bool, scale: Decimal | None
) -> tuple[list[Mapped], set[str]]:
    """Country and county rows pass through (2024 counties only); municipality rows are mapped."""
    municipal, mapped, skipped = [], [], set()
    for row in rows:
        area = classify(row.code, kostra)
        if area is None or (area[0] == AreaLevel.COUNTY and area[1] not in areas.counties):
            if not absent(row):
                skipped.add(row.code)
        elif area[0] == AreaLevel.MUNICIPALITY:
            municipal.append(row)
        else:
            mapped.append(combine(area[0], area[1], [Part(row)], summable=summable, scale=scale))
    in_2024, unknown = map_municipalities(municipal, areas, summable=summable, scale=scale)
    return mapped + in_2024, skipped | unknown


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class Fetched:
    indicator: Indicator
    table: str
    checksum: str
    description: str
    rows: list[Mapped]
    skipped: int


def fetch_indicator(indicator: Indicator, client: SsbClient, areas: Areas) -> Fetched:
    """Metadata first (to check the catalogue's codes), then the data, decoded and mapped."""
    spec = indicator.source_spec or {}
    table = str(spec.get("table") or "")
    if not table:
        raise SsbError(f"{indicator.code}: the catalogue names no SSB table")
    meta = read_metadata(client.metadata(table), table)
    plan = build_plan(indicator.code, spec, meta, areas.counties)
    raw = client.data(table, plan.selection, check=partial(decode, table=table))
    rows = source_rows(decode(raw, table), plan)
    summable = indicator.unit == "count"
    mapped, skipped = map_rows(rows, areas, kostra=plan.kostra, summable=summable, scale=RATE_SCALE.get(indicator.unit))
    content_label = meta.variables[plan.content_dim].labels.get(plan.content, plan.content)
    description = f"SSB table {table}: {content_label} ({plan.content}); updated {meta.updated or 'unknown'}"
    return Fetched(indicator, table, hashlib.sha256(raw).hexdigest(), description[:300], mapped, len(skipped))


def write(fetched: Fetched, user: Any = None) -> str:
    """A new data version with its observations, or 'unchanged' when this response is already loaded."""
    code, table = fetched.indicator.code, fetched.table
    version, created = DataVersion.objects.get_or_create(
        source=f"ssb:{table}:{code}",
        checksum=fetched.checksum,
        defaults={"description": fetched.description, "loaded_by": user, "preliminary": False},
    )
    if not created:
        return f"{code}: unchanged (table {table})"
    Observation.objects.bulk_create((observation(fetched.indicator, version, m) for m in fetched.rows), batch_size=5000)
    count = f"{len(fetched.rows):,}".replace(",", " ")
    return f"{code}: {count} observations from table {table} ({fetched.skipped} codes skipped)"


def observation(indicator: Indicator, version: DataVersion, row: Mapped) -> Observation:
    return Observation(
        indicator=indicator,
        version=version,
        area_level=row.level,
        area_code=row.code,
        period=row.period,
        year=row.year,
        value=_quantize(row.value),
        numerator=_quantize(row.numerator),
        denominator=_quantize(row.denominator),
        status=row.status,
        status_reason=row.reason,
        weighted=row.weighted,
    )


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(QUANTUM)


def ssb_indicators(indicators: Iterable[Indicator | str] | None = None) -> list[Indicator]:
    """The given indicators (codes or objects), or every indicator with an SSB source."""
    everything = Indicator.objects.filter(source_kind=SourceKind.SSB).order_by("position", "code")
    if indicators is None:
        return list(everything)
    wanted = [i.code if isinstance(i, Indicator) else str(i) for i in indicators]
    found = everything.in_bulk(wanted, field_name="code")
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise SsbError(f"No indicator with an SSB source: {', '.join(unknown)}: nothing was changed.")
    return [found[c] for c in wanted]


def load(
    indicators: Iterable[Indicator | str] | None = None, *, client: SsbClient | None = None, user: Any = None
) -> list[str]:
    """Fetch every SSB indicator (or the given ones) and store new versions, all or nothing."""
    chosen = ssb_indicators(indicators)
    own_client = client is None
    client = client or SsbClient()
    areas = Areas.from_db()
    try:
        fetched = [fetch_indicator(indicator, client, areas) for indicator in chosen]
    except SsbError as exc:
        raise SsbError(f"{exc}: nothing was changed.") from exc
    finally:
        if own_client:
            client.close()
    with transaction.atomic():
        return [write(f, user) for f in fetched]
