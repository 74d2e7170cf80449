from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from lagspill.organisations.models import Invitation, Membership, Role

from .builders import World, make_user

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def members_url(world: World) -> str:
    return f"/organisasjon/{world.sortland.slug}/medlemmer/"


def test_it_lists_members_with_their_roles(world: World) -> None:
    body = client_for(world.users["viewer"]).get(members_url(world)).content.decode()
    assert "editor@example.org" in body and "admin@example.org" in body
    assert "Send invitasjon" not in body  # viewers see, but do not manage


def test_an_admin_invites_a_new_person_by_email(world: World, django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["admin"]).post(
            members_url(world), {"email": "Ny.Person@Example.org", "role": "editor"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ny.person@example.org")
    assert invitation.role == Role.EDITOR
    assert len(mail.outbox) == 1 and f"/invitasjon/{invitation.token}/" in mail.outbox[0].body


def test_inviting_an_invalid_email_gives_a_form_error_and_changes_nothing(world: World) -> None:
    response = client_for(world.users["admin"]).post(members_url(world), {"email": "ikke-en-adresse", "role": "viewer"})
    assert response.status_code == 400
    assert "Oppgi en gyldig e-postadresse" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_an_existing_member_is_refused(world: World) -> None:
    response = client_for(world.users["admin"]).post(
        members_url(world), {"email": "editor@example.org", "role": "viewer"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_person_with_an_account_is_invited_too_and_joins_by_accepting(world: World) -> None:
    person = make_user("kjent@example.org")
    client_for(world.users["admin"]).post(members_url(world), {"email": "kjent@example.org", "role": "viewer"})
    assert not Membership.objects.filter(user=person).exists()  # nobody is added without consent
    invitation = Invitation.objects.get(email="kjent@example.org")
    response = client_for(person).post(f"/invitasjon/{invitation.token}/")
    assert response.status_code == 302
    assert Membership.objects.active().filter(user=person, organisation=world.sortland, role=Role.VIEWER).exists()


def test_an_invitation_is_personal_even_for_a_site_admin(world: World) -> None:
    invitation = invitation_for(world)
    response = client_for(world.users["superuser"]).post(f"/invitasjon/{invitation.token}/")
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.users["superuser"]).exists()


def test_an_invitation_is_used_only_once(world: World) -> None:
    invitation = invitation_for(world)
    data = {"name": "Nina", "password1": "lang-og-trygg-123", "password2": "lang-og-trygg-123"}
    assert Client().post(f"/invitasjon/{invitation.token}/", data).status_code == 302
    assert Client().post(f"/invitasjon/{invitation.token}/", data).status_code == 410


def test_an_email_with_special_characters_is_not_html_escaped(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.sortland.name = "Bolig & Velferd"
    world.sortland.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["admin"]).post(members_url(world), {"email": "ny@example.org", "role": "viewer"})
    assert "Bolig & Velferd" in mail.outbox[0].subject and "Bolig & Velferd" in mail.outbox[0].body


def test_a_viewer_cannot_invite(world: World) -> None:
    response = client_for(world.users["viewer"]).post(members_url(world), {"email": "x@example.org", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_outsider_gets_404_on_another_organisations_members_page(world: World) -> None:
    assert client_for(world.users["outsider"]).get(members_url(world)).status_code == 404
    assert client_for(world.users["county_governor"]).get(members_url(world)).status_code == 404


def invitation_for(world: World, email: str = "ny@example.org") -> Invitation:
    return Invitation.objects.create(
        organisation=world.sortland, email=email, role=Role.EDITOR, invited_by=world.users["admin"]
    )


def test_an_invited_person_creates_an_account_and_joins(world: World) -> None:
    invitation = invitation_for(world)
    client = Client()
    response = client.post(
        f"/invitasjon/{invitation.token}/",
        {"name": "Nina Ny", "password1": "lang-og-trygg-123", "password2": "lang-og-trygg-123"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="ny@example.org")
    assert membership.role == Role.EDITOR and membership.organisation == world.sortland
    assert client.get(members_url(world)).status_code == 200  # logged in


def test_differing_passwords_give_an_error_and_create_nothing(world: World) -> None:
    invitation = invitation_for(world)
    response = Client().post(
        f"/invitasjon/{invitation.token}/", {"name": "Nina", "password1": "lang-og-trygg-123", "password2": "annet"}
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user__email="ny@example.org").exists()


def test_an_expired_invitation_is_refused(world: World) -> None:
    invitation = invitation_for(world)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert Client().get(f"/invitasjon/{invitation.token}/").status_code == 410


def test_an_admin_changes_a_role_and_history_keeps_who_and_when(world: World) -> None:
    membership = world.sortland.memberships.get(user=world.users["viewer"])
    client_for(world.users["admin"]).post(f"{members_url(world)}{membership.pk}/rolle/", {"role": "editor"})
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    latest = membership.history.first()
    assert latest.role == Role.EDITOR and latest.history_user == world.users["admin"]


def test_a_bad_role_changes_nothing(world: World) -> None:
    membership = world.sortland.memberships.get(user=world.users["viewer"])
    client_for(world.users["admin"]).post(f"{members_url(world)}{membership.pk}/rolle/", {"role": "keiser"})
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_removing_a_member_ends_the_membership_without_deleting_it(world: World) -> None:
    membership = world.sortland.memberships.get(user=world.users["editor"])
    client_for(world.users["admin"]).post(f"{members_url(world)}{membership.pk}/fjern/")
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert client_for(world.users["editor"]).get(members_url(world)).status_code == 404


def test_the_last_admin_cannot_leave_or_be_demoted(world: World) -> None:
    membership = world.sortland.memberships.get(user=world.users["admin"])
    client = client_for(world.users["admin"])
    response = client.post(f"{members_url(world)}{membership.pk}/rolle/", {"role": "viewer"}, follow=True)
    assert "minst én administrator" in response.content.decode()
    client.post(f"{members_url(world)}{membership.pk}/fjern/")
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN and membership.ended_at is None


def test_an_admin_withdraws_an_invitation(world: World) -> None:
    invitation = invitation_for(world)
    client_for(world.users["admin"]).post(
        f"/organisasjon/{world.sortland.slug}/invitasjoner/{invitation.pk}/trekk-tilbake/"
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(f"/invitasjon/{invitation.token}/").status_code == 410


def test_a_person_in_two_organisations_switches_between_them(world: World) -> None:
    person = world.users["county_governor"]
    Membership.objects.create(user=person, organisation=world.sortland, role=Role.VIEWER)
    client = client_for(person)
    assert "Statsforvalteren i Nordland" in client.get("/organisasjoner/").content.decode().split("</header>")[0]
    client.post("/organisasjoner/bytt/", {"organisation": world.sortland.pk})
    header = client.get("/").content.decode().split("</header>")[0]
    assert "Sortland kommune" in header and "Statsforvalteren" not in header


def test_switching_to_a_foreign_or_bad_organisation_is_refused(world: World) -> None:
    client = client_for(world.users["outsider"])
    assert client.post("/organisasjoner/bytt/", {"organisation": world.sortland.pk}).status_code == 404
    assert client.post("/organisasjoner/bytt/", {"organisation": "x"}).status_code == 404


def test_an_invitation_to_an_address_that_already_has_an_account_asks_to_log_in(world: World) -> None:
    invitation = invitation_for(world, email="editor@example.org")
    data = {"name": "Dobbel", "password1": "lang-og-trygg-123", "password2": "lang-og-trygg-123"}
    response = Client().post(f"/invitasjon/{invitation.token}/", data)
    assert response.status_code == 400
    assert Membership.objects.filter(user__email="editor@example.org").count() == 1


def test_the_members_page_runs_a_bounded_number_of_queries(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["admin"])
    for n in range(5):
        invitation_for(world, email=f"ny{n}@example.org")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(members_url(world)).status_code == 200
        assert client.get("/organisasjoner/").status_code == 200
    assert len(queries) <= 16, [q["sql"][:80] for q in queries]


def test_switching_with_odd_input_is_a_404(world: World) -> None:
    client = client_for(world.users["editor"])
    for value in ["²", "9" * 5000, "-1", ""]:
        assert client.post("/organisasjoner/bytt/", {"organisation": value}).status_code == 404


def test_an_admin_who_leaves_lands_on_their_own_organisations(world: World) -> None:
    second_admin = world.sortland.memberships.get(user=world.users["editor"])
    second_admin.role = Role.ADMIN
    second_admin.save()
    own = world.sortland.memberships.get(user=world.users["admin"])
    response = client_for(world.users["admin"]).post(f"{members_url(world)}{own.pk}/fjern/")
    assert response["Location"] == "/organisasjoner/"


def test_a_form_with_a_bad_security_token_is_explained_in_norwegian(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    response = client.post(members_url(world), {"email": "x@example.org", "role": "viewer"})
    assert response.status_code == 403
    assert 'lang="nb"' in response.content.decode() and "Skjemaet er utløpt" in response.content.decode()
    assert not Invitation.objects.exists()
