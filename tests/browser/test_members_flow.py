"""An organisation administrator invites a colleague, who accepts and joins — in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_invites_and_the_colleague_joins(
    site: World, page: Page, browser: object, live_server: object
) -> None:
    log_in(page, "admin@example.org")
    page.goto(f"/organisasjon/{site.sortland.slug}/medlemmer/")
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    page.get_by_role("button", name="Send invitasjon").click()
    expect(page.locator(".ds-validation-message")).to_contain_text("gyldig e-postadresse")
    assert not violations(page), describe(violations(page))

    page.get_by_label("E-postadresse").fill("kollega@example.org")
    page.get_by_label("Rolle", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitasjon").click()
    expect(page.get_by_role("status")).to_contain_text("kollega@example.org")
    link = re.search(r"/invitasjon/[\w-]+/", mail.outbox[-1].body).group(0)

    colleague = browser.new_context(base_url=live_server.url).new_page()
    colleague.goto(link)
    assert not violations(colleague), describe(violations(colleague))
    colleague.get_by_label("Navnet ditt").fill("Kari Kollega")
    colleague.get_by_label("Passord", exact=True).fill("et-langt-og-trygt-passord")
    colleague.get_by_label("Gjenta passordet").fill("et-langt-og-trygt-passord")
    colleague.get_by_role("button", name="Opprett konto og bli med").click()
    expect(colleague.locator(".site-header__user")).to_contain_text("Kari Kollega")

    page.reload()
    expect(page.get_by_role("table")).to_contain_text("kollega@example.org")
