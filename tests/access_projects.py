"""Who may use the housing project pages: one case per URL name (merged into `test_access_matrix.py`).

The pipeline page is public and lists what each reader may see. A private project is Sortland's working
material (its members, the County Governor, Husbanken); its editors and admins add, change and withdraw
projects, and those who see a project but may not change it get 403."""

from lagspill.measures import project_actions
from lagspill.measures.models import ProjectStatus
from lagspill.places.models import Municipality

from .access_support import EVERYONE, LOGIN, SORTLAND_EDIT, SORTLAND_WORKING, Case, as_post
from .builders import World

CHANGE = {**SORTLAND_WORKING, "anonymous": LOGIN, "viewer": 403, "county_governor": 403, "housing_bank": 403}


def sortland(w: World) -> dict:
    return {"number": "1870"}


def private_project(w: World) -> dict:
    project = project_actions.create_project(
        Municipality.objects.get(number="1870"),
        by=None,
        name="Kjøpmannsgata 12",
        status=ProjectStatus.PLANNED,
        ready_year=2028,
        units_services=5,
        is_public=False,
    )
    return {"pk": project.pk}


CASES: dict[str, Case] = {
    "measures:projects": Case(EVERYONE, sortland),
    "measures:new_project": Case(SORTLAND_EDIT, sortland),
    "measures:project": Case(SORTLAND_WORKING, private_project),
    "measures:edit_project": Case(CHANGE, private_project),
    "measures:withdraw_project": Case(as_post(CHANGE), private_project, method="post"),
}
