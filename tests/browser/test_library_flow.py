"""The experience library in a real browser: Sortland's editor shares a practice within the county
(with tags and a document), then Fauske's editor (another municipality of Nordland) searches the
library for a word from its text, finds it and opens it; the public does not find it. Fauske's
municipality page suggests it under "What similar municipalities did". Axe runs on the list, the
form and the practice page, in English and bokmål."""

import pytest
from playwright.sync_api import Browser, Page, expect

from lagspill.network.models import Practice
from tests.builders import World

from .axe import describe, violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def accessible(page: Page) -> None:
    found = violations(page)
    assert not found, describe(found)
    assert not page.csp_violations  # type: ignore[attr-defined]


def as_person(browser: Browser, live_server: object, email: str | None, language: str = "en") -> Page:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    if email:
        log_in(page, email)
    context.add_cookies([{"name": "lagspill_language", "value": language, "url": live_server.url}])
    return page


def test_a_shared_practice_is_found_by_another_municipality(site: World, browser: Browser, live_server: object) -> None:
    # 1. Sortland's editor shares a practice within the county.
    editor = as_person(browser, live_server, "editor@example.org")
    editor.goto("/erfaringer/")
    accessible(editor)
    editor.get_by_role("link", name="Share a practice").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Share a practice")
    accessible(editor)
    editor.get_by_label("Title").fill("Boligforum på tvers av etatene")
    editor.get_by_label("What was done").fill(
        "Et fast månedlig møte der NAV, helse og eiendom går gjennom søknadene om kommunal bolig sammen."
    )
    editor.get_by_label("Result").fill("Søknadene blir behandlet raskere, og færre faller mellom to stoler.")
    editor.get_by_label("Year").fill("2024")
    editor.get_by_label("Who may see it").select_option("fylke")
    editor.get_by_role("checkbox", name="Organisation", exact=True).check()
    editor.get_by_role("checkbox", name="Housing plan").check()
    editor.get_by_role("button", name="Share the practice").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Boligforum på tvers av etatene")
    expect(editor.get_by_text("Shared within the county").first).to_be_visible()
    practice = Practice.objects.get()
    assert practice.municipality.number == "1870" and practice.organisation == site.sortland

    # 2. A document, then the page with its history.
    editor.get_by_label("Title").fill("Mandat for boligforumet")
    editor.get_by_label("File").set_input_files(
        files=[{"name": "mandat.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    editor.get_by_role("button", name="Upload").click()
    expect(editor.get_by_role("link", name="Mandat for boligforumet")).to_be_visible()
    expect(editor.locator("#practice-history")).to_contain_text("Document")
    accessible(editor)

    # 3. Fauske's editor searches for a word from the text and finds it.
    fauske = as_person(browser, live_server, "outsider@example.org")
    fauske.goto("/erfaringer/")
    fauske.get_by_label("Search the library").fill("søknadene")
    fauske.get_by_role("button", name="Search").click()
    expect(fauske.get_by_role("status")).to_contain_text("1 practice matches")
    result = fauske.get_by_role("link", name="Boligforum på tvers av etatene")
    expect(result).to_be_visible()
    assert "q=s%C3%B8knadene" in fauske.url  # the search stays in the address
    accessible(fauske)
    result.click()
    expect(fauske.get_by_role("heading", level=1)).to_have_text("Boligforum på tvers av etatene")
    expect(fauske.get_by_role("link", name="Mandat for boligforumet")).to_be_visible()
    expect(fauske.get_by_role("link", name="Change the practice")).to_have_count(0)  # Fauske may not change it
    accessible(fauske)

    # 4. Filtered by a tag, in bokmål, with axe again.
    fauske.goto("/erfaringer/?suksessfaktor=organisering&fylke=18")
    fauske.context.add_cookies([{"name": "lagspill_language", "value": "nb", "url": live_server.url}])
    fauske.reload()
    expect(fauske.get_by_role("link", name="Boligforum på tvers av etatene")).to_be_visible()
    accessible(fauske)

    # 5. The public finds nothing: the practice is shared within the county only.
    public = as_person(browser, live_server, None)
    public.goto("/erfaringer/?q=s%C3%B8knadene")
    expect(public.get_by_role("status")).to_contain_text("0 practices")
    expect(public.get_by_role("link", name="Boligforum på tvers av etatene")).to_have_count(0)

    # 6. Fauske's page suggests what Sortland did (a similar municipality or the same county).
    fauske.goto("/kommune/1841/")
    expect(fauske.locator("section[aria-labelledby=similar-practices]")).to_contain_text(
        "Boligforum på tvers av etatene"
    )
    accessible(fauske)
