"""What the access matrix is made of, shared by `test_access_matrix.py` and the per-app case files
(`access_continuity.py`, `access_arenas.py`): a case per URL name with the status each role gets."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .builders import ROLES, World

EVERYONE = dict.fromkeys(ROLES, 200)
LOGIN = "login"  # redirect to the login page


def everyone_except(**overrides: int | str) -> dict[str, int | str]:
    return {**EVERYONE, **overrides}


@dataclass
class Case:
    expect: dict[str, int | str]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: dict = field(default_factory=dict)
    data_for: Callable[[World], dict] | None = None


# Sortland members: viewer, editor, admin. Others see Sortland's public pages only.
SORTLAND_PRIVATE = {
    "anonymous": LOGIN,
    "outsider": 404,
    "viewer": 200,
    "editor": 200,
    "admin": 200,
    "county_governor": 404,
    "housing_bank": 404,
    "user_org": 404,
    "superuser": 200,
}
SORTLAND_ADMIN_POST = {**SORTLAND_PRIVATE, "viewer": 403, "editor": 403, "admin": 302, "superuser": 302}
# Plans: the municipality's working material is also seen by its County Governor and Husbanken.
SORTLAND_WORKING = {**SORTLAND_PRIVATE, "anonymous": 404, "county_governor": 200, "housing_bank": 200}
# Changing a public plan: everyone may see it; only Sortland's editors and admins change it.
SORTLAND_EDIT = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "editor": 200, "admin": 200, "superuser": 200}
# The municipality's scores in an unpublished assessment: Sortland's editors.
SORTLAND_SCORE = {**SORTLAND_WORKING, "anonymous": LOGIN, "viewer": 403, "county_governor": 403, "housing_bank": 403}


def as_post(expect: dict[str, int | str]) -> dict[str, int | str]:
    """The same people, but a successful POST redirects."""
    return {role: 302 if status == 200 else status for role, status in expect.items()}


SIGNED_IN = everyone_except(anonymous=LOGIN)
SIGNED_IN_REDIRECT = dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN}
# django-allauth answers 404 for an authenticator the user has not set up.
SIGNED_IN_NOT_SET_UP = dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN}
