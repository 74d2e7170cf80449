"""Demo practices in the experience library (LAGSPILL_DEMO=1 only): what the four project
municipalities (Sortland, Fauske, Vefsn, Vågan) and the project itself did, retold from the County
Governor of Nordland's article about the project (13 May 2022, `../shared/seed/`). Every text starts
with "Demo: " and every practice is stored with `is_demo` (pages show a Demo tag).

There are no invented figures: the only number (70 project staff, all but five replaced) is the
project leader's, quoted from the article with its source. No years are given where the article
gives none. Sortland and Fauske share their own practices through their demo editors; the County
Governor shares those of Vefsn and Vågan (as in the plans demo) and the project's own lessons.
The contact is the municipality's housing coordinator role when the continuity demo has made one.

Practices go through `library_actions.create_practice`, so the demo obeys the same rules.
Idempotent: a demo practice with the same title in the same place is left as it is.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from lagspill.continuity.models import Role
from lagspill.organisations.demo import ensure_demo
from lagspill.organisations.models import Organisation
from lagspill.places.models import County, Municipality

from . import library_actions as actions
from .models import Practice, TagKind, Visibility

DEMO = "Demo: "
NORDLAND = "18"
COUNTY_GOVERNOR = "statsforvalteren-nordland"
SOURCE = "Statsforvalteren i Nordland, «Kommunene må spille på lag for å lykkes med sosial boligpolitikk», 13.05.2022."

PRACTICES: list[dict[str, Any]] = [
    {
        "municipality": "1870",
        "by": "sortland.redaktor@example.org",
        "title": "Egne ressurser til en boligpolitisk plan",
        "summary": "Sortland kom godt i gang med en boligpolitisk plan og satte av egne ressurser til det "
        "boligsosiale arbeidet. Engasjementet i kommunen var stort.",
        "result": "Kommunen forteller at den har begynt å planlegge mer bevisst for sine boligsosiale "
        "utfordringer, og har gode erfaringer med å avsette egne ressurser.",
        "lessons": "Prosjektet viste at det boligsosiale arbeidet må forankres i overordnede planer, ikke bare "
        "i kunnskap hos enkeltpersoner. Kilde: " + SOURCE,
        "visibility": Visibility.PUBLIC,
        "tags": {
            TagKind.SUCCESS_FACTOR: ["strategi", "okonomi"],
            TagKind.PLAN_LEVEL: ["boligplan"],
            TagKind.TARGET_GROUP: ["alle"],
        },
    },
    {
        "municipality": "1841",
        "by": "fauske.redaktor@example.org",
        "title": "Tverrfaglige arenaer når ledere skiftes ut",
        "summary": "Fauske har hatt stor utskifting av ledere på alle nivåer. Kommunen har sett at boligsosial "
        "politikk berører hele organisasjonen, og har lært å verdsette arenaer for tverrfaglig samarbeid.",
        "result": "Kommunen har lært å verdsette arenaer for flerfaglig samarbeid.",
        "lessons": "Forankring er en vedvarende aktivitet som må gjentas når nye ledere kommer til. Kilde: " + SOURCE,
        "visibility": Visibility.COUNTY,
        "tags": {TagKind.SUCCESS_FACTOR: ["organisering", "forankring"], TagKind.TARGET_GROUP: ["alle"]},
    },
    {
        "municipality": "1824",
        "by": "statsforvalter@example.org",
        "title": "Lokal boligpolitisk plan utviklet og vedtatt",
        "summary": "Vefsn utviklet og vedtok en lokal boligpolitisk plan i løpet av prosjektet.",
        "result": "Kommunen jobber mer tverrfaglig i det boligsosiale arbeidet.",
        "lessons": "Boligsosiale hensyn hører hjemme i kommunens overordnede planlegging. Kilde: " + SOURCE,
        "visibility": Visibility.PUBLIC,
        "tags": {TagKind.SUCCESS_FACTOR: ["strategi", "organisering"], TagKind.PLAN_LEVEL: ["boligplan"]},
    },
    {
        "municipality": "1865",
        "by": "statsforvalter@example.org",
        "title": "Planstrategi med vekt på boligsosial politikk",
        "summary": "Vågan vedtok en planstrategi med vekt på boligsosial politikk.",
        "result": "Planstrategien setter søkelys på den sosiale boligpolitikken.",
        "lessons": "Kommunen har hatt nytte av å jobbe i nettverk og dele erfaringer med de andre "
        "prosjektkommunene. Kilde: " + SOURCE,
        "visibility": Visibility.PUBLIC,
        "tags": {TagKind.SUCCESS_FACTOR: ["forankring", "strategi"], TagKind.PLAN_LEVEL: ["planstrategi"]},
    },
    {
        "municipality": None,
        "by": "statsforvalter@example.org",
        "title": "Forankring er ikke noe som gjøres én gang",
        "summary": "Statsforvalteren i Nordland, Husbanken i Bodø og brukerorganisasjonen Marborg fulgte fire "
        "mellomstore kommuner – Sortland, Fauske, Vågan og Vefsn – gjennom et fireårig prosjekt om "
        "boligsosialt arbeid i kommunal planlegging.",
        "result": "Alle fire kommunene forteller at de har begynt å planlegge mer bevisst for sine boligsosiale "
        "utfordringer. Erfaringsutvekslingen mellom kommunene var viktig, og brukermedvirkning ga økt "
        "bevissthet om behovene til vanskeligstilte.",
        "lessons": "Prosjektlederen forteller at av 70 involverte prosjektmedarbeidere ble alle unntatt fem "
        "skiftet ut i perioden. Forankring må gjentas når nye ansatte og ledere kommer, og boligsosialt arbeid hører "
        "ikke hjemme i én avdeling: gode møteplasser sikrer samarbeid og tverrfaglig eierskap. Kilde: " + SOURCE,
        "visibility": Visibility.PUBLIC,
        "tags": {
            TagKind.SUCCESS_FACTOR: ["forankring", "medvirkning", "organisering"],
            TagKind.TARGET_GROUP: ["alle"],
        },
    },
]


def author(email: str) -> Any:
    """The demo account recorded as the author (organisations/demo.py makes it when missing)."""
    users = get_user_model().objects.filter(email=email)
    if not users.exists():
        ensure_demo()
    return users.get()


def organisation_for(municipality: Municipality | None, email: str) -> Organisation:
    """A municipality's demo editor shares as the municipality; the County Governor as itself."""
    if not Organisation.objects.filter(slug=COUNTY_GOVERNOR).exists():
        ensure_demo()
    if email.startswith("statsforvalter@") or municipality is None:
        return Organisation.objects.get(slug=COUNTY_GOVERNOR)
    return Organisation.objects.get(municipality=municipality)


def ensure_practice(spec: dict[str, Any]) -> Practice | None:
    county = County.objects.get(number=NORDLAND)
    municipality = Municipality.objects.get(number=spec["municipality"]) if spec["municipality"] else None
    existing = Practice.objects.filter(county=county, municipality=municipality, title=spec["title"], is_demo=True)
    if existing.exists():
        return None
    by = author(spec["by"])
    role = None
    if municipality is not None:
        role = Role.objects.active().filter(municipality=municipality, kind="boligkoordinator").first()
    data = {
        "title": spec["title"],
        "summary": DEMO + spec["summary"],
        "result": DEMO + spec["result"],
        "lessons": DEMO + spec["lessons"],
        "year": None,
        "contact_role": role,
        "visibility": spec["visibility"],
        "tags": [(kind, code) for kind, codes in spec["tags"].items() for code in codes],
    }
    return actions.create_practice(
        data,
        organisation=organisation_for(municipality, spec["by"]),
        county=county,
        municipality=municipality,
        by=by,
        is_demo=True,
    )


@transaction.atomic
def ensure_demo_library() -> list[Practice]:
    """Create the missing demo practices; returns those created now."""
    if not settings.DEMO:
        raise RuntimeError("Demo content needs LAGSPILL_DEMO=1.")
    return [practice for spec in PRACTICES if (practice := ensure_practice(spec)) is not None]
