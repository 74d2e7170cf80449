import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "lagspill.example.no",
    "LAGSPILL_DEMO": "0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests allow sync ORM calls beside Playwright's loop; production never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**inherited, **env}, capture_output=True, text=True
    )


def test_the_deploy_check_reports_nothing_in_production() -> None:
    result = manage("check", "--deploy", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_demo_mode_is_refused_in_production() -> None:
    result = manage("check", env={**PRODUCTION, "LAGSPILL_DEMO": "1"})
    assert result.returncode != 0 and "LAGSPILL_DEMO" in result.stderr


def test_production_needs_a_secret_key() -> None:
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_send_security_headers_and_a_strict_csp() -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Language"] == "nb"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles() -> None:
    body = Client().get("/fylke/18/").content.decode()
    assert "<script>" not in body and " style=" not in body and "<style" not in body
