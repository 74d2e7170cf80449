"""Run the vendored axe-core in the page and return WCAG 2.1 A/AA violations."""

from playwright.sync_api import Page

AXE_URL = "/static/vendor/axe-core/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[dict]:
    page.add_script_tag(url=AXE_URL)  # same origin, so the Content-Security-Policy allows it
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return result["violations"]


def describe(found: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in found)
