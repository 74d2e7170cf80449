import json
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client

from .builders import PASSWORD, World

pytestmark = pytest.mark.django_db
LOGIN = "/konto/login/"


def test_a_person_logs_in_with_email_and_password(world: World) -> None:
    client = Client()
    response = client.post(LOGIN, {"login": "editor@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/organisasjoner/").status_code == 200


def test_a_wrong_password_gives_a_clear_message(world: World) -> None:
    response = Client().post(LOGIN, {"login": "editor@example.org", "password": "feil"})
    assert response.status_code == 200
    assert "E-postadressen og/eller passordet" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_out(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"login": "editor@example.org", "password": "feil"})
    response = client.post(LOGIN, {"login": "editor@example.org", "password": PASSWORD})
    assert "For mange innloggingsforsøk" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_an_email(world: World) -> None:
    response = Client().post("/konto/password/reset/", {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "editor@example.org" in mail.outbox[0].to


def test_there_is_no_open_sign_up(world: World) -> None:
    response = Client().post(
        "/konto/signup/", {"email": "fremmed@example.org", "password1": "x" * 12, "password2": "x" * 12}
    )
    assert response.status_code == 200
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="fremmed@example.org").exists()


def test_two_factor_setup_is_offered(world: World) -> None:
    client = Client()
    client.force_login(world.users["editor"])
    response = client.get("/konto/2fa/")
    assert response.status_code == 200
    assert "/konto/2fa/totp/activate/" in response.content.decode()


def settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    code = f"import django, json; django.setup(); from django.conf import settings; print(json.dumps({expression}))"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lagspill.settings", **env}
    return subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, check=True).stdout


def test_an_openid_connect_provider_is_configured_from_the_environment() -> None:
    env = {"OIDC_CLIENT_ID": "lagspill", "OIDC_CLIENT_SECRET": "s", "OIDC_SERVER_URL": "https://login.example.no"}
    app = json.loads(settings_in_subprocess(env, "settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]"))
    assert app["client_id"] == "lagspill" and app["settings"]["server_url"] == "https://login.example.no"
    assert app["provider_id"] == "oidc" and app["name"] == "ID-porten"


def test_no_provider_without_configuration() -> None:
    assert settings_in_subprocess({"OIDC_CLIENT_ID": ""}, "settings.SOCIALACCOUNT_PROVIDERS") == "{}\n"


def test_an_invited_person_can_turn_on_two_factor_and_is_then_asked_for_a_code(world: World) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    from lagspill.organisations import actions
    from lagspill.organisations.models import Invitation

    invitation = Invitation.objects.create(
        organisation=world.sortland, email="to@example.org", invited_by=world.users["admin"]
    )
    user = actions.register_and_accept(invitation, "To Faktor", PASSWORD)
    client = Client()
    client.post(LOGIN, {"login": "to@example.org", "password": PASSWORD})
    client.get("/konto/email/")  # visiting the address page must not block two-factor set-up
    client.post("/konto/reauthenticate/", {"password": PASSWORD})  # allauth asks again before 2FA changes
    assert client.get("/konto/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/konto/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    second = Client()
    response = second.post(LOGIN, {"login": "to@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in second.session
