"""Every URL × every role: who gets what. A URL without a declared expectation fails the suite,
so no new view can skip its access decision."""

from collections.abc import Callable, Iterator

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lagspill.organisations.models import Invitation
from lagspill.plans.models import Assessment, CriteriaSet, Plan, PlanDocument

from .access_arenas import CASES as ARENA_CASES
from .access_continuity import CASES as CONTINUITY_CASES
from .access_events import CASES as EVENT_CASES
from .access_instruments import CASES as INSTRUMENT_CASES
from .access_library import CASES as LIBRARY_CASES
from .access_measures import CASES as MEASURE_CASES
from .access_mywork import CASES as MYWORK_CASES
from .access_needs import CASES as NEEDS_CASES
from .access_needs_api import CASES as NEEDS_API_CASES
from .access_participation import CASES as PARTICIPATION_CASES
from .access_projects import CASES as PROJECT_CASES
from .access_reports import CASES as REPORT_CASES
from .access_requests import CASES as REQUEST_CASES
from .access_support import (
    EVERYONE,
    LOGIN,
    SIGNED_IN,
    SIGNED_IN_NOT_SET_UP,
    SIGNED_IN_REDIRECT,
    SORTLAND_ADMIN_POST,
    SORTLAND_EDIT,
    SORTLAND_PRIVATE,
    SORTLAND_SCORE,
    SORTLAND_WORKING,
    Case,
    as_post,
    everyone_except,
)
from .builders import ROLES, World


def sortland_member(role: str) -> Callable[[World], dict]:
    return lambda w: {"slug": w.sortland.slug, "pk": w.sortland.memberships.get(user=w.users[role]).pk}


def pending_invitation(w: World) -> dict:
    invitation = Invitation.objects.create(organisation=w.sortland, email="ny@example.org", invited_by=w.users["admin"])
    return {"slug": w.sortland.slug, "pk": invitation.pk}


def invitation_token(w: World) -> dict:
    invitation = Invitation.objects.create(organisation=w.sortland, email="ny@example.org", invited_by=w.users["admin"])
    return {"token": invitation.token}


def sortland_plan(public: bool) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        plan = Plan.objects.create(
            municipality=w.sortland.municipality, level="boligplan", title="Boligplan", is_public=public
        )
        return {"number": "1870", "pk": plan.pk}

    return build


def sortland_document(public: bool) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        kwargs = sortland_plan(public)(w)
        document = PlanDocument(
            plan_id=kwargs["pk"],
            title="Vedtak",
            original_name="v.pdf",
            size=5,
            sha256="0" * 64,
            uploaded_by=w.users["editor"],
        )
        document.file.save("plan.pdf", ContentFile(b"%PDF-"), save=False)
        document.save()
        return {**kwargs, "doc": document.pk}

    return build


def sortland_assessment(side: str | None = None) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        kwargs = sortland_plan(True)(w)
        criteria_set = CriteriaSet.objects.get(slug="standard", version=1)
        assessment = Assessment.objects.create(plan_id=kwargs["pk"], criteria_set=criteria_set)
        return {**kwargs, "aid": assessment.pk, **({"side": side} if side else {})}

    return build


EXPECTATIONS: dict[str, Case] = {
    "home": Case(EVERYONE),
    "about": Case(EVERYONE),
    "accessibility": Case(EVERYONE),
    "healthz": Case(EVERYONE),
    "places:county": Case(EVERYONE, lambda w: {"number": "18"}),
    "places:municipality": Case(EVERYONE, lambda w: {"number": "1870"}),
    "places:search": Case(EVERYONE, data={"q": "sortland"}),
    # CSV upload: Sortland's editors and admins; its viewers may know the page (403), others not (404).
    # The monitor is public; only the County Governor of the county saves weight sets.
    "indicators:profile": Case(EVERYONE, lambda w: {"number": "1870"}),
    "indicators:series": Case(EVERYONE, lambda w: {"number": "1870", "code": "share_80_plus"}),
    "indicators:indicator": Case(EVERYONE, lambda w: {"code": "share_67_plus"}),
    "indicators:index": Case(EVERYONE, lambda w: {"number": "18"}),
    "indicators:method": Case(EVERYONE),
    "indicators:new_weight_set": Case(
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "county_governor": 200, "superuser": 200},
        lambda w: {"number": "18"},
    ),
    "indicators:upload": Case({**SORTLAND_PRIVATE, "viewer": 403}, lambda w: {"number": "1870"}),
    "indicators:upload_template": Case({**SORTLAND_PRIVATE, "viewer": 403}, lambda w: {"number": "1870"}),
    # The county's plan status is its shared space: its municipalities' members (Fauske too), its County
    # Governor, Husbanken. Only the County Governor changes the priority weights; the rest of the space gets 403.
    "plans:county": Case(everyone_except(anonymous=LOGIN, user_org=404), lambda w: {"number": "18"}),
    "plans:priority_weights": Case(
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "user_org": 404, "county_governor": 200, "superuser": 200},
        lambda w: {"number": "18"},
    ),
    # Criteria sets are public (assessments must be transparent); only the county's County Governor makes versions.
    "plans:criteria_sets": Case(EVERYONE, lambda w: {"number": "18"}),
    "plans:criteria_set": Case(EVERYONE, lambda w: {"number": "18", "slug": "standard", "version": 1}),
    "plans:new_criteria_set": Case(
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "county_governor": 200, "superuser": 200},
        lambda w: {"number": "18"},
    ),
    # Plans: public plans and published assessments are open; the rest is Sortland's working material,
    # seen also by its County Governor and Husbanken. Editors change plans; the County Governor reviews and publishes.
    "plans:register": Case(EVERYONE, lambda w: {"number": "1870"}),
    "plans:method": Case(EVERYONE),
    "plans:new_plan": Case(SORTLAND_EDIT, lambda w: {"number": "1870"}),
    "plans:plan": Case(SORTLAND_WORKING, sortland_plan(public=False)),
    "plans:edit_plan": Case(SORTLAND_EDIT, sortland_plan(public=True)),
    "plans:withdraw_plan": Case(as_post(SORTLAND_EDIT), sortland_plan(public=True), "post"),
    "plans:plan_history": Case({**SORTLAND_WORKING, "anonymous": LOGIN}, sortland_plan(public=False)),
    "plans:upload_document": Case(
        {**SORTLAND_EDIT, **dict.fromkeys(("editor", "admin", "superuser"), 400)}, sortland_plan(public=True), "post"
    ),
    "plans:document": Case(SORTLAND_WORKING, sortland_document(public=False)),
    "plans:withdraw_document": Case(as_post(SORTLAND_EDIT), sortland_document(public=True), "post"),
    "plans:start_assessment": Case(
        as_post({**SORTLAND_EDIT, "county_governor": 200}), sortland_plan(public=True), "post"
    ),
    "plans:assessment": Case(SORTLAND_WORKING, sortland_assessment()),
    "plans:score": Case(SORTLAND_SCORE, sortland_assessment("egen")),
    "plans:mark_done": Case(as_post(SORTLAND_SCORE), sortland_assessment("egen"), "post"),
    "plans:comment": Case(as_post({**SORTLAND_SCORE, "county_governor": 200}), sortland_assessment(), "post"),
    "plans:publish": Case(
        {**SORTLAND_SCORE, "editor": 403, "admin": 403, "county_governor": 302, "superuser": 302},
        sortland_assessment(),
        "post",
    ),
    # The read API is public and read-only.
    "api:areas": Case(EVERYONE),
    "api:indicators": Case(EVERYONE),
    "api:indicator": Case(EVERYONE, lambda w: {"code": "population"}),
    "api:observations": Case(EVERYONE, data={"indicator": "population", "area": "1870"}),
    "api:index": Case(EVERYONE),
    "api:weight_sets": Case(EVERYONE),
    "api:openapi-json": Case(EVERYONE),
    "api:openapi-view": Case(EVERYONE),
    # /api/ redirects to the docs (django-ninja's own name for the same path is "api:api-root").
    "api_home": Case(dict.fromkeys(ROLES, 302)),
    "api:api-root": Case(dict.fromkeys(ROLES, 302)),
    "organisations:mine": Case(SIGNED_IN),
    # One may only switch to an organisation one belongs to: Sortland is the outsider's 404.
    "organisations:switch": Case(
        {**SORTLAND_ADMIN_POST, "viewer": 302, "editor": 302},
        method="post",
        data_for=lambda w: {"organisation": w.sortland.pk},
    ),
    "organisations:members": Case(SORTLAND_PRIVATE, lambda w: {"slug": w.sortland.slug}),
    "organisations:change_role": Case(SORTLAND_ADMIN_POST, sortland_member("viewer"), "post", {"role": "editor"}),
    "organisations:remove_member": Case(SORTLAND_ADMIN_POST, sortland_member("viewer"), "post"),
    "organisations:revoke_invitation": Case(SORTLAND_ADMIN_POST, pending_invitation, "post"),
    # The token is the credential; a signed-in person with another address is told so (403).
    "organisations:invitation": Case(everyone_except(**{r: 403 for r in ROLES if r != "anonymous"}), invitation_token),
    "set_language": Case(dict.fromkeys(ROLES, 302), method="post", data={"language": "en", "next": "/"}),
    # django-allauth: public entry pages, and account pages behind login.
    "account_login": Case(everyone_except(**{r: 302 for r in ROLES if r != "anonymous"})),
    "account_logout": Case(everyone_except(anonymous=302)),
    "account_signup": Case(everyone_except(anonymous=200, **{r: 302 for r in ROLES if r != "anonymous"})),
    "account_reset_password": Case(EVERYONE),
    "account_reset_password_done": Case(EVERYONE),
    "account_change_password": Case(SIGNED_IN),
    "account_set_password": Case(SIGNED_IN_REDIRECT),
    "account_email": Case(SIGNED_IN),
    "account_inactive": Case(EVERYONE),
    "account_email_verification_sent": Case(EVERYONE),
    "account_reauthenticate": Case(SIGNED_IN),
    "mfa_index": Case(SIGNED_IN),
    "mfa_reauthenticate": Case(SIGNED_IN_REDIRECT),
    "mfa_activate_totp": Case(SIGNED_IN_REDIRECT),
    "mfa_deactivate_totp": Case(SIGNED_IN_NOT_SET_UP),
    "mfa_view_recovery_codes": Case(SIGNED_IN_NOT_SET_UP),
    "mfa_generate_recovery_codes": Case(SIGNED_IN_REDIRECT),
    "mfa_download_recovery_codes": Case(SIGNED_IN_NOT_SET_UP),
    "socialaccount_connections": Case(SIGNED_IN),
    "socialaccount_login_cancelled": Case(EVERYONE),
    "socialaccount_login_error": Case(dict.fromkeys(ROLES, 401)),
    "admin:index": Case({**dict.fromkeys(ROLES, 302), "superuser": 200}),
    **CONTINUITY_CASES,
    **ARENA_CASES,
    **MYWORK_CASES,
    **NEEDS_CASES,
    **NEEDS_API_CASES,
    **MEASURE_CASES,
    **INSTRUMENT_CASES,
    **PROJECT_CASES,
    **LIBRARY_CASES,
    **REQUEST_CASES,
    **EVENT_CASES,
    **PARTICIPATION_CASES,
    **REPORT_CASES,
}
# Reached only with state from another step (a key from an e-mail, a pending login); their pages
# are django-allauth's own and hold nothing of ours.
NOT_DIRECTLY_REACHABLE = {
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "socialaccount_signup",
    "openid_connect_login",
    "openid_connect_callback",
    # django-allauth's old, unnamed aliases of its named social-account pages
    "<unnamed social/connections/>",
    "<unnamed social/login/cancelled/>",
    "<unnamed social/login/error/>",
    "<unnamed social/signup/>",
}


def url_names(patterns: list, namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or f"<unnamed {pattern.pattern}>")


def test_every_url_has_a_declared_expectation() -> None:
    names = {n for n in url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    undeclared = names - EXPECTATIONS.keys() - NOT_DIRECTLY_REACHABLE
    assert not undeclared, f"Declare who may use these URLs in EXPECTATIONS: {sorted(undeclared)}"


def status_for(client: Client, case: Case, url: str, world: World) -> int | str:
    data = case.data_for(world) if case.data_for else case.data
    response = getattr(client, case.method)(url, data)
    if response.status_code == 302 and "/konto/login/" in response["Location"] and "login" not in url:
        return LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_role_gets_what_is_declared(name: str, world: World) -> None:
    case = EXPECTATIONS[name]
    got = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        with transaction.atomic():  # each role meets the same state
            url = reverse(name, kwargs=case.kwargs(world))
            got[role] = status_for(client, case, url, world)
            transaction.set_rollback(True)
    assert got == case.expect
