"""The query editor in a real browser: Debian's chromium, headless, driven by Playwright.

What a researcher does on the page: pick a research query as an example, run it, see the rows, and
share a link that opens the same query. The page must not reach any host but the service itself
(YASGUI is served from the npm package the set-up installed, not from a CDN).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

playwright = pytest.importorskip("playwright.sync_api")


def test_editor_runs_an_example_and_shares_a_link(server, browser, tmp_path):
    page = browser.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{server.base}/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    options = page.locator("#example option")
    assert options.count() >= 21  # the placeholder and at least 20 research queries

    page.select_option("#example", "action-domains")
    text = page.evaluate("window.policykgEditor.editor.getValue()")
    assert "?coordinating" in text

    # Run it: action 2.3 of the report has one domain, OV, that does not coordinate (001, line 751).
    page.evaluate(
        "window.policykgEditor.editor.setValue(window.policykgEditor.editor.getValue()"
        ".replace('WHERE {', 'WHERE { VALUES ?code { \"2.3\" }'))"
    )
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .dataTable tbody tr", timeout=20_000)
    cells = page.locator(".yasr .dataTable tbody tr").first.inner_text()
    assert "OV" in cells and "false" in cells

    share = page.get_attribute("#share", "href")
    assert share.startswith("/editor?query=")
    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)

    shared = browser.new_page()
    shared.goto(f"{server.base}{share}")
    shared.wait_for_selector(".yasqe .CodeMirror")
    assert 'VALUES ?code { "2.3" }' in shared.evaluate("window.policykgEditor.editor.getValue()")
    shared.close()
    page.close()

    assert errors == []
    assert hosts == {urlsplit(server.base).netloc}
