"""Who may use the Husbanken instrument pages: one case per URL name (merged into `test_access_matrix.py`).

The figures are public statistics: the municipality's and the county's pages are open to everyone.
Husbanken's editors and the municipality's own editors enter, change and withdraw figures; everyone
else may see the figure, so 403 (the world's Husbanken member is a viewer: 403 too, see
test_instruments.py for a Husbanken editor). The county import is for those who may enter figures
for every municipality of the county: Husbanken's editors and site administrators."""

from lagspill.measures.models import Instrument, InstrumentUse
from lagspill.places.models import Municipality

from .access_support import EVERYONE, LOGIN, SORTLAND_EDIT, Case, as_post
from .builders import ROLES, World

ENTER = SORTLAND_EDIT  # Sortland's editors and admins, site administrators; others who are signed in: 403
IMPORT = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "superuser": 200}


def sortland(w: World) -> dict:
    return {"number": "1870"}


def nordland(w: World) -> dict:
    return {"number": "18"}


def sortland_use(w: World) -> dict:
    use = InstrumentUse.objects.create(
        municipality=Municipality.objects.get(number="1870"),
        year=2024,
        instrument=Instrument.STARTLAN,
        count=12,
        amount=24_000_000,
        source="Husbanken",
    )
    return {"number": "1870", "pk": use.pk}


CASES: dict[str, Case] = {
    "measures:instruments": Case(EVERYONE, sortland),
    "measures:new_instrument_use": Case(ENTER, sortland),
    "measures:edit_instrument_use": Case(ENTER, sortland_use),
    "measures:withdraw_instrument_use": Case(as_post(ENTER), sortland_use, "post"),
    "measures:county_instruments": Case(EVERYONE, nordland),
    "measures:import_instruments": Case(IMPORT, nordland),
    "measures:instrument_template": Case(IMPORT, nordland),
}
