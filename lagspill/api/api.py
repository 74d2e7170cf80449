"""The public read API (django-ninja): areas, the indicator catalogue, observations, the challenge index.

Every endpoint reads through `access.visible` (lists) or `access.get_or_404` (one object), so data
that becomes private later is filtered in the access module, not here. Each endpoint makes a fixed
number of queries whatever the size of the result.
"""

from typing import Any

from django.db.models import F, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger

from lagspill.indicators.models import AreaLevel, IndexScore, Indicator, Observation, Polarity, WeightSet
from lagspill.measures import catalogue as needs_catalogue
from lagspill.measures import needs_exports, suppression
from lagspill.measures.models import NeedsFigure, NeedsMapping
from lagspill.network import search
from lagspill.network.models import Practice
from lagspill.organisations import access
from lagspill.places.models import County, Municipality

from .schemas import (
    AreaFilters,
    AreaOut,
    IndexFilters,
    IndexOut,
    IndicatorOut,
    InvalidInput,
    Message,
    NeedsFilters,
    NeedsMappingOut,
    ObservationFilters,
    ObservationPage,
    PracticeFilters,
    PracticePage,
    WeightSetOut,
)

COUNTRY_CODE = "0"
COUNTRY_NAME = "Norge"
POLARITY_NAMES = {
    Polarity.HIGHER_WORSE: "higher_worse",
    Polarity.NEUTRAL: "neutral",
    Polarity.HIGHER_BETTER: "higher_better",
}
# Observation columns → API field names.
OBSERVATION_FIELDS = {
    "area_level": "level",
    "area_code": "area_code",
    "period": "period",
    "year": "year",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "status": "status",
    "status_reason": "status_reason",
    "weighted": "weighted",
    "version_id": "version_id",
    "version__loaded_at": "loaded_at",
}


class Docs(Swagger):
    """Swagger UI from our own static files with an external init script: no CDN, nothing inline (CSP)."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Lagspill API",
    version="1",
    description=(
        "Read-only access to Lagspill's public statistics: areas, the indicator catalogue, observations "
        "and the challenge index, municipalities' housing needs mappings, and the experience library. "
        "Anonymous callers get public "
        "data; a signed-in session (the browser's) also gets what its memberships may see, through the same "
        "access rules as the pages. Counts of households of 1–4 are suppressed ('<5', '×') for everyone "
        "outside the owning municipality. Values (names, levels, status symbols) are as stored, mostly "
        "Norwegian. Sources and licences are given per indicator; credit them when you reuse figures."
    ),
    urls_namespace="api",
    docs=Docs(),
)
ERRORS = {404: Message, 422: InvalidInput}


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with a readable one-line summary beside ninja's per-field details."""
    problems = []
    for problem in error.errors:
        # loc is (source, [parameter group,] field, [index]); the group's name means nothing to a client.
        where = ".".join(str(part) for part in problem.get("loc", ())[1:] if part != "filters") or "request"
        problems.append(f"{where}: {problem.get('msg', 'invalid')}")
    body = {"message": "Invalid input. " + "; ".join(problems), "detail": error.errors}
    return api.create_response(request, body, status=422)


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", field), "msg": message, "type": "value_error"}])


# ---------------------------------------------------------------- areas
@api.get(
    "/areas", response=list[AreaOut], url_name="areas", tags=["areas"], summary="Country, counties, municipalities"
)
def areas(request: HttpRequest, filters: Query[AreaFilters]) -> list[dict]:
    """The country (code `0`), the counties and the municipalities (2024 numbering), in code order
    within each level. Filter by `level` and by `county`."""
    found: list[dict] = []
    if filters.level in (None, AreaLevel.COUNTRY) and filters.county is None:
        found.append({"level": "land", "code": COUNTRY_CODE, "name": COUNTRY_NAME, "name_plain": COUNTRY_NAME})
    if filters.level in (None, AreaLevel.COUNTY):
        counties = access.visible(request.user, County.objects.order_by("number"))
        if filters.county:
            counties = counties.filter(number=filters.county)
        found += [
            {"level": "fylke", "code": c.number, "name": c.name, "name_plain": c.name_plain, "county": c.number}
            for c in counties.only("number", "name", "name_plain")
        ]
    if filters.level in (None, AreaLevel.MUNICIPALITY):
        municipalities = access.visible(request.user, Municipality.objects.order_by("number"))
        if filters.county:
            municipalities = municipalities.filter(county__number=filters.county)
        found += [
            {"level": "kommune", "code": number, "name": name, "name_plain": plain, "county": county}
            for number, name, plain, county in municipalities.values_list(
                "number", "name", "name_plain", "county__number"
            )
        ]
    return [{"county": None, **area} for area in found]


# ---------------------------------------------------------------- indicators
def texts(indicator: Indicator, field: str) -> dict[str, str]:
    return {language: getattr(indicator, f"{field}_{language}") for language in ("nb", "nn", "en")}


def indicator_out(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "theme": indicator.theme,
        **{field: texts(indicator, field) for field in ("name", "definition", "numerator", "denominator", "rhythm")},
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "polarity": POLARITY_NAMES[indicator.polarity],
        "proportion": indicator.proportion,
        "counts": indicator.counts or None,
        "source": {
            "kind": indicator.source_kind,
            "attribution": indicator.source,
            "url": indicator.source_url,
            "licence": indicator.licence,
        },
        "index_weight": indicator.index_weight,
    }


def visible_indicators(request: HttpRequest) -> QuerySet[Indicator]:
    return access.visible(request.user, Indicator.objects.all())


def indicator_or_404(request: HttpRequest, code: str) -> Indicator:
    try:
        return access.get_or_404(request.user, visible_indicators(request), code=code)
    except Http404 as error:
        raise HttpError(404, f"No indicator with code “{code}”. See /api/indicators for the codes.") from error


@api.get("/indicators", response=list[IndicatorOut], url_name="indicators", tags=["indicators"], summary="Catalogue")
def indicators(request: HttpRequest) -> list[dict]:
    """The indicator catalogue in catalogue order: texts in bokmål, nynorsk and English, unit,
    polarity, source with licence, and the weight in the standard challenge index."""
    return [indicator_out(i) for i in visible_indicators(request)]


@api.get("/indicators/{code}", response={200: IndicatorOut, 404: Message}, url_name="indicator", tags=["indicators"])
def indicator(request: HttpRequest, code: str) -> dict:
    """One catalogue entry; 404 for an unknown code."""
    return indicator_out(indicator_or_404(request, code))


# ---------------------------------------------------------------- observations
@api.get(
    "/observations",
    response={200: ObservationPage, **ERRORS},
    url_name="observations",
    tags=["observations"],
    summary="Current figures of one indicator",
)
def observations(request: HttpRequest, filters: Query[ObservationFilters]) -> dict:
    """The current rows (from the newest data version of each figure) of one indicator, paginated with
    `limit` and `offset`. Older versions are kept in the database but not listed here."""
    if filters.from_year and filters.to_year and filters.from_year > filters.to_year:
        raise invalid("from_year", "from_year must not be after to_year")
    indicator = indicator_or_404(request, filters.indicator)
    rows = access.visible(request.user, Observation.objects.filter(indicator=indicator, is_current=True))
    if filters.level:
        rows = rows.filter(area_level=filters.level)
    if filters.area:
        rows = rows.filter(area_code__in=filters.area)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.from_year is not None:
        rows = rows.filter(year__gte=filters.from_year)
    if filters.to_year is not None:
        rows = rows.filter(year__lte=filters.to_year)
    page = rows.order_by("area_level", "area_code", "year", "period", "pk")[
        filters.offset : filters.offset + filters.limit
    ]
    names = ("indicator", *OBSERVATION_FIELDS.values())
    items = [dict(zip(names, (indicator.code, *row), strict=True)) for row in page.values_list(*OBSERVATION_FIELDS)]
    return {"count": rows.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


# ---------------------------------------------------------------- challenge index
@api.get(
    "/index",
    response={200: IndexOut, **ERRORS},
    url_name="index",
    tags=["challenge index"],
    summary="Challenge index scores",
)
def index(request: HttpRequest, filters: Query[IndexFilters]) -> dict:
    """The challenge index of every municipality (or one county's) for one year under one weight set:
    score, coverage, ranks and each indicator's contribution. Computed by the statistics pipeline."""
    try:
        weight_set = access.get_or_404(
            request.user, access.visible(request.user, WeightSet.objects.all()), slug=filters.weight_set
        )
    except Http404 as error:
        raise HttpError(404, f"No weight set “{filters.weight_set}”. See /api/weight-sets.") from error
    scores = access.visible(request.user, IndexScore.objects.filter(weight_set=weight_set))
    if filters.county:
        scores = scores.filter(county_code=filters.county)
    year = filters.year
    if year is None:
        year = scores.aggregate(latest=Max("year"))["latest"]
    name = Municipality.objects.filter(number=OuterRef("area_code")).values("name")[:1]
    rows = (
        scores.filter(year=year)
        .annotate(name=Subquery(name))
        .order_by(F("rank_country").asc(nulls_last=True), "area_code")
        .values("area_code", "name", "county_code", "score", "coverage", "rank_county", "rank_country", "contributions")
    )
    return {"weight_set": weight_set.slug, "year": year, "items": list(rows) if year is not None else []}


# ---------------------------------------------------------------- weight sets
@api.get("/weight-sets", response=list[WeightSetOut], url_name="weight_sets", tags=["challenge index"])
def weight_sets(request: HttpRequest) -> list[dict]:
    """The weight sets in use for the challenge index: `standard` (from the catalogue) and the
    named sets County Governors have saved for their county. Retired sets are left out."""
    sets = access.visible(request.user, WeightSet.objects.filter(retired_at__isnull=True))
    return [
        {"slug": slug, "name": name, "county": county, "weights": weights}
        for slug, name, county, weights in sets.values_list("slug", "name", "county__number", "weights")
    ]


# ---------------------------------------------------------------- needs mappings
LANGUAGES = ("nb", "nn", "en")


def needs_cell_out(code: str, kind: str, cell: suppression.Cell) -> dict:
    return {
        "code": code,
        "kind": kind,
        "label": {language: needs_exports.label_for(code, language) for language in LANGUAGES},
        "mapped": cell.reason != "missing",
        "value": None if cell.hidden else cell.value,
        "text": cell.text,
        "suppressed": cell.hidden,
        "reason": cell.reason,
    }


@api.get(
    "/kommuner/{number}/behov",
    response={200: NeedsMappingOut, **ERRORS},
    url_name="needs_mapping",
    tags=["needs"],
    summary="A municipality's housing needs mapping",
)
def needs_mapping(request: HttpRequest, number: str, filters: Query[NeedsFilters]) -> dict:
    """One year's needs mapping (`ar`, or the latest you may see): every figure and every total with its
    value and the text to print. Published mappings are open to everyone; unpublished ones only to the
    municipality, its County Governor and Husbanken (signed in); others get 404. Counts of 1–4 households
    are hidden (`<5`), and further counts (`×`) so that none can be worked out from the totals, for
    everyone but the municipality's own members."""
    mappings = NeedsMapping.objects.active().filter(municipality__number=number).select_related("municipality")
    mappings = access.visible(request.user, mappings)
    if filters.ar is not None:
        mappings = mappings.filter(year=filters.ar)
    figures = Prefetch("figures", queryset=NeedsFigure.objects.only("mapping_id", "code", "value"))
    mapping = mappings.order_by("-year").prefetch_related(figures).first()
    if mapping is None or not access.can(request.user, "view", mapping):
        raise HttpError(404, f"No needs mapping you may see for municipality “{number}”.")
    full = access.sees_needs_in_full(request.user, mapping.municipality)
    table = suppression.table_for(mapping, full=full)
    kinds = {f.code: f.kind for f in needs_catalogue.figures()}
    return {
        "municipality": mapping.municipality.number,
        "year": mapping.year,
        "published": mapping.is_public,
        "suppressed": not full,
        "note": mapping.note,
        "figures": [needs_cell_out(code, kind, table.cell(code)) for code, kind in kinds.items()],
        "totals": [
            needs_cell_out(code, "total", table.cell(code)) for code in suppression.all_codes() if code not in kinds
        ],
    }


# ---------------------------------------------------------------- experience library
@api.get(
    "/erfaringer",
    response={200: PracticePage, 422: InvalidInput},
    url_name="practices",
    tags=["experience library"],
    summary="Practices in the experience library",
)
def practices(request: HttpRequest, filters: Query[PracticeFilters]) -> dict:
    """Practices you may see: public ones for everyone; those shared within a county also for signed-in
    members of its municipalities, its County Governor and Husbanken. Withdrawn practices are left out.
    With `q`, the best match comes first (full-text search); otherwise the most recently changed."""
    rows = access.visible(request.user, Practice.objects.active()).select_related(
        "county", "municipality", "organisation", "contact_role"
    )
    if filters.kommune:
        rows = rows.filter(municipality__number=filters.kommune)
    if filters.fylke:
        rows = rows.filter(county__number=filters.fylke)
    if filters.q:
        rows = search.search(rows, filters.q)
    count = rows.count()
    page = rows.prefetch_related("tags")[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "items": [
            {
                "id": p.pk,
                "url": request.build_absolute_uri(p.get_absolute_url()),
                "title": p.title,
                "summary": p.summary,
                "result": p.result,
                "lessons": p.lessons,
                "year": p.year,
                "county": p.county.number,
                "municipality": p.municipality.number if p.municipality else None,
                "municipality_name": p.municipality.name if p.municipality else None,
                "shared_by": p.organisation.name,
                "contact_role": p.contact_role.display_name if p.contact_role else None,
                "visibility": p.visibility,
                "demo": p.is_demo,
                "updated_at": p.updated_at,
                "tags": [{"kind": t.kind, "code": t.code, "label": t.label} for t in p.tags.all()],
            }
            for p in page
        ],
    }
