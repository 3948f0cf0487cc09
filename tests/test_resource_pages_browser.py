"""Resource pages in a real browser (Debian's chromium, headless, driven by Playwright): each kind of
page renders without JavaScript errors or security-policy violations, its links lead to pages that
answer, and a screenshot of each is kept for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

PAGES = {
    # data/registry/organisations.yaml (vvsg), the 2017 plan's action 1.1, the ontology
    "actor": "/id/organisation/vvsg",
    "action": "/id/action/2017/1.1",
    "ontology": "/ns",
    "catalogue": "/catalogue",
}


def event_and_person(store) -> tuple[str, str]:
    row = store.select("""SELECT ?e ?p WHERE { ?e a <https://w3id.org/policykg/ns#Event> ;
        <https://w3id.org/policykg/ns#participant> ?p . ?p a <http://www.w3.org/ns/person#Person> }
        ORDER BY ?e LIMIT 1""")[0]
    return tuple("/" + row[k].value.removeprefix("https://w3id.org/policykg/") for k in ("e", "p"))  # type: ignore[return-value]


def test_each_kind_of_page_in_chromium(server, browser, store, tmp_path):
    event, person = event_and_person(store)
    pages = {**PAGES, "event": event, "person": person}
    shots = Path(tmp_path)
    for kind, path in pages.items():
        page = browser.new_page(java_script_enabled=False)
        problems: list[str] = []
        # every resource a page loads must answer (the browser's own favicon request aside)
        page.on("response", lambda r, problems=problems: problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)  # fmt: skip
        page.on("console", lambda m, problems=problems: problems.append(m.text)
                if m.type == "error" and "favicon" not in m.text and "404" not in m.text else None)  # fmt: skip
        response = page.goto(server.base + path)
        assert response is not None and response.status == 200, kind
        heading = page.locator("h1").first.inner_text()
        assert heading.strip(), kind
        # the style sheet applied: it is served from this host, which the security policy allows
        assert page.locator("header.site").evaluate("e => getComputedStyle(e).display") == "flex", kind
        page.screenshot(path=str(shots / f"{kind}.png"), full_page=False)
        assert (shots / f"{kind}.png").stat().st_size > 5000
        rdf = "".join(f":not([href$='.{ext}'])" for ext in ("ttl", "rdf", "nt", "jsonld"))
        links = page.locator(f"main a[href^='/']{rdf}")
        assert links.count() > 3, kind
        href = links.nth(min(3, links.count() - 1)).get_attribute("href")
        if href.startswith(path + "#"):  # a term of this very page: its anchor must exist
            assert page.locator(f"[id='{href.split('#', 1)[1]}']").count() == 1, (kind, href)
        else:
            followed = page.goto(server.base + href)
            assert followed is not None and followed.status == 200, (kind, href)
        assert problems == [], (kind, problems)
        page.close()
    # an event page lists its participants, an actor page links into the network view
    page = browser.new_page()
    page.goto(server.base + event)
    assert page.locator("#participants tbody tr").count() >= 1
    page.goto(server.base + PAGES["actor"])
    assert "/network/view?focus=" in page.locator("a.network").get_attribute("href")
    assert page.locator("#events tbody tr").count() >= 1
    page.close()
