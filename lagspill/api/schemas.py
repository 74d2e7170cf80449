"""Request filters and response shapes of the read API (they are also its OpenAPI documentation).

Field names and descriptions are English; values (names, levels, status symbols) are as stored,
so mostly Norwegian.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from lagspill.indicators.models import WeightSet

Level = Literal["kommune", "fylke", "land"]
Polarity = Literal["higher_worse", "neutral", "higher_better"]
AreaCode = Annotated[str, Field(pattern=r"^(0|[0-9]{2}|[0-9]{4})$")]
CountyCode = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
Year = Annotated[int, Field(ge=1900, le=2100)]
MAX_LIMIT = 5000

LEVEL_HELP = "Area level: `kommune` (municipality), `fylke` (county) or `land` (the whole country)."
STATUS_HELP = (
    "Statistics Norway's symbol for the value: empty for a value, `..` not available, `.` cannot occur, "
    "`:` suppressed (confidential), `-` nil (exactly zero). When the symbol is not empty, `value` is null: "
    "a missing figure is never reported as 0."
)


class Message(Schema):
    detail: str = Field(description="What went wrong.")


class InvalidInput(Schema):
    message: str = Field(description="A one-line summary of every problem with the request.")
    detail: list[dict] = Field(description="One entry per problem: `loc` (where), `msg` (what), `type`.")


# ---------------------------------------------------------------- areas
class AreaFilters(Schema):
    level: Level | None = Field(None, description=f"Only areas of this level. {LEVEL_HELP}")
    county: CountyCode | None = Field(
        None, description="Only this county (two digits, e.g. `18`) and its municipalities."
    )


class AreaOut(Schema):
    level: Level = Field(description=LEVEL_HELP)
    code: str = Field(description="`0` for the country, two digits for a county, four for a municipality (2024).")
    name: str = Field(description="Official name, with the Sámi or Kven names where the area has them.")
    name_plain: str = Field(description="The Norwegian name alone.")
    county: str | None = Field(
        description="The county's code for a municipality (and a county itself); null for the country."
    )


# ---------------------------------------------------------------- indicators
class Texts(Schema):
    nb: str = Field(description="Norwegian bokmål")
    nn: str = Field(description="Norwegian nynorsk")
    en: str = Field(description="English")


class SourceOut(Schema):
    kind: Literal["builtin", "ssb", "csv"] = Field(
        description="`builtin` (data file shipped with Lagspill), `ssb` (Statistics Norway's API) or `csv` (upload)."
    )
    attribution: str = Field(description="Whom to credit, e.g. “Statistisk sentralbyrå, tabell 07459”.")
    url: str = Field(description="Where the source is published (may be empty).")
    licence: str = Field(description="The source's licence, e.g. `CC BY 4.0` (may be empty).")


class IndicatorOut(Schema):
    code: str = Field(description="Stable identifier, used in the other endpoints.")
    theme: str = Field(description="`population`, `children`, `economy`, `disabilities`, `housing` or `husbanken`.")
    name: Texts
    definition: Texts
    numerator: Texts = Field(description="What is counted above the line (empty for a plain count).")
    denominator: Texts = Field(description="What it is divided by (empty for a plain count).")
    unit: str = Field(description="`count`, `percent`, `per_100`, `per_1000` or `nok`.")
    decimals: int = Field(description="Decimals the pages show.")
    polarity: Polarity = Field(description="Whether a higher value means more challenge, less, or neither.")
    proportion: bool = Field(description="True when the numerator is a subset of the denominator.")
    counts: str | None = Field(description="Code of the matching count indicator, if any.")
    source: SourceOut
    rhythm: Texts = Field(description="How often the figures are published.")
    index_weight: float = Field(description="Weight in the standard challenge index (0: not part of it).")


# ---------------------------------------------------------------- observations
class ObservationFilters(Schema):
    indicator: str = Field(description="Indicator code (see `/api/indicators`).")
    area: list[AreaCode] = Field(
        default_factory=list,
        max_length=500,
        description="Area code; repeat for several (`area=1804&area=1870`). All areas of the level when left out.",
    )
    level: Level | None = Field(None, description=f"Only areas of this level. {LEVEL_HELP}")
    year: Year | None = Field(None, description="Only this year (the last year of the period).")
    from_year: Year | None = Field(None, description="Only this year and later.")
    to_year: Year | None = Field(None, description="Only this year and earlier.")
    limit: int = Field(1000, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, description="Rows to skip.")


class ObservationOut(Schema):
    indicator: str = Field(description="Indicator code.")
    level: Level = Field(description=LEVEL_HELP)
    area_code: str
    period: str = Field(description="As published, e.g. `2024` or `2022–2024`.")
    year: int = Field(description="The (last) year of the period.")
    value: float | None = Field(description=f"The figure in the indicator's unit. {STATUS_HELP}")
    numerator: float | None = Field(description="For rates and shares: the count above the line.")
    denominator: float | None = Field(description="For rates and shares: the count below the line.")
    status: str = Field(description=STATUS_HELP)
    status_reason: str = Field(description="Why the value is missing, in English (empty for a value).")
    weighted: bool = Field(description="Includes a weighted share of a municipality that was split.")
    version_id: int = Field(description="The data version (one load of one source) the row comes from.")
    loaded_at: datetime = Field(description="When that version was loaded.")


class ObservationPage(Schema):
    count: int = Field(description="Rows matching the filters, over all pages.")
    limit: int
    offset: int
    items: list[ObservationOut] = Field(
        description="The current rows (newest data version), ordered by level, area, year and period."
    )


# ---------------------------------------------------------------- challenge index
class IndexFilters(Schema):
    weight_set: str = Field(WeightSet.STANDARD, description="Weight set slug (see `/api/weight-sets`).")
    county: CountyCode | None = Field(None, description="Only municipalities of this county.")
    year: Year | None = Field(None, description="The year; the latest year with scores when left out.")


class IndexScoreOut(Schema):
    area_code: str
    name: str | None = Field(description="The municipality's official name.")
    county_code: str
    score: float | None = Field(description="Weighted mean of standardised indicator values; higher = more challenge.")
    coverage: float = Field(description="Share of the weights with a value for this municipality (0–1).")
    rank_county: int | None = Field(description="1 = the most challenged in its county.")
    rank_country: int | None = Field(description="1 = the most challenged in the country.")
    contributions: dict[str, float] = Field(description="Indicator code → its contribution to the score.")


class IndexOut(Schema):
    weight_set: str
    year: int | None = Field(description="The year shown; null when the weight set has no scores.")
    items: list[IndexScoreOut] = Field(description="Ordered by national rank (unranked last), then area code.")


# ---------------------------------------------------------------- weight sets
class WeightSetOut(Schema):
    slug: str
    name: str
    county: str | None = Field(description="The county whose County Governor saved the set; null for `standard`.")
    weights: dict[str, float] = Field(description="Indicator code → weight.")


# ---------------------------------------------------------------- needs mappings
NEEDS_TEXT_HELP = (
    "What to print: the number, `<5` (a count of 1–4 households, hidden), `×` (hidden so that a small count "
    "cannot be worked out from the totals) or empty when not mapped."
)


class NeedsFilters(Schema):
    ar: Year | None = Field(None, description="The mapping's year; the latest mapping you may see when left out.")


class NeedsCellOut(Schema):
    code: str = Field(description="Figure code from the mapping template, or a total code (e.g. `total`).")
    kind: Literal["situation", "group", "need", "waiting", "stock", "total"]
    label: Texts
    mapped: bool = Field(description="False when the figure is not mapped (then `value` is null, never 0).")
    value: int | None = Field(description="The count; null when not mapped or hidden from you.")
    text: str = Field(description=NEEDS_TEXT_HELP)
    suppressed: bool = Field(description="True when the count is hidden from you.")
    reason: Literal["", "small", "secondary", "missing"] = Field(
        description="`small` (1–4), `secondary` (hidden to protect another count), `missing` (not mapped)."
    )


class NeedsMappingOut(Schema):
    municipality: str = Field(description="Municipality number (2024).")
    year: int
    published: bool = Field(description="Published mappings are open to everyone; the rest only to insiders.")
    suppressed: bool = Field(
        description="True when small counts are hidden for you (everyone but the municipality's own members)."
    )
    note: str = Field(description="How the mapping was made.")
    figures: list[NeedsCellOut] = Field(description="Every figure of the template, in template order.")
    totals: list[NeedsCellOut] = Field(description="Derived totals (sums of the mapped parts).")


# ---------------------------------------------------------------- experience library
MunicipalityCode = Annotated[str, Field(pattern=r"^[0-9]{4}$")]
PracticePageSize = Annotated[int, Field(ge=1, le=100)]


class PracticeFilters(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Words from the title or the text; every word must match. Best match first.",
    )
    kommune: MunicipalityCode | None = Field(None, description="Only practices from this municipality (four digits).")
    fylke: CountyCode | None = Field(None, description="Only practices of this county (two digits).")
    limit: PracticePageSize = Field(50, description="At most this many practices (1–100).")
    offset: Annotated[int, Field(ge=0)] = Field(0, description="Skip this many practices.")


class PracticeTagOut(Schema):
    kind: Literal["suksessfaktor", "malgruppe", "planniva"] = Field(
        description="`suksessfaktor` (Husbanken's success factors), `malgruppe` (target group), "
        "`planniva` (plan level)."
    )
    code: str
    label: str = Field(description="The tag's name in the language of the request (Norwegian by default).")


class PracticeOut(Schema):
    id: int
    url: str = Field(description="The practice's page.")
    title: str
    summary: str = Field(description="What was done.")
    result: str
    lessons: str = Field(description="What others should know.")
    year: int | None = Field(description="The year it was done or started; null when not given.")
    county: str = Field(description="County number.")
    municipality: str | None = Field(description="Municipality number; null for a county or network practice.")
    municipality_name: str | None
    shared_by: str = Field(description="The organisation that shares it.")
    contact_role: str | None = Field(description="The role to ask (who holds it is not part of the API).")
    visibility: Literal["offentlig", "fylke"] = Field(
        description="`offentlig` (public) or `fylke` (shared within the county: signed-in members only)."
    )
    demo: bool = Field(description="Demo content, made up to show how Lagspill works.")
    updated_at: datetime
    tags: list[PracticeTagOut]


class PracticePage(Schema):
    count: int = Field(description="How many practices match, in all.")
    items: list[PracticeOut]
