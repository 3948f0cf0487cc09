"""The coordinator's page in a real browser (Debian's chromium, headless, driven by Playwright).

Waits are on what the page shows (a render counter on the graph element, the panel's content),
never on time.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright.sync_api")

GO = "https://w3id.org/policykg/id/organisation/go-onderwijs-van-de-vlaamse-gemeenschap"


def test_page_filters_opens_a_panel_and_exports(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "404" not in msg.text else None)
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)

    page.goto(f"{server.base}/network/view")
    page.wait_for_selector("#graph[data-renders='1']")
    everything = int(page.get_attribute("#graph", "data-nodes"))
    assert everything > 50
    assert page.evaluate("window.policykgNetwork.cy().nodes().length") == everything
    assert "Wie ontmoet wie" in page.inner_text("h1")

    # Filter: Flemish actors only.
    page.select_option("#level", ["flemish"])
    page.wait_for_selector("#graph[data-renders='2']")
    flemish = int(page.get_attribute("#graph", "data-nodes"))
    assert 0 < flemish < everything
    levels = page.evaluate("window.policykgNetwork.cy().nodes().map(n => n.data('level'))")
    assert set(levels) == {"flemish"}

    # Back to all levels, then click GO! where it is drawn.
    page.select_option("#level", [])
    page.wait_for_selector("#graph[data-renders='3']")
    box = page.locator("#graph").bounding_box()
    position = page.evaluate(f"window.policykgNetwork.cy().getElementById('{GO}').renderedPosition()")
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.wait_for_selector(f"#panel[data-actor='{GO}']")
    assert page.is_visible("#panel")
    assert "GO!" in page.inner_text("#panel-title")
    assert "2017-05-18" in page.inner_text("#panel-events")
    links = page.eval_on_selector_all("#panel-events a", "as => as.map(a => a.href)")
    assert links and all(link.startswith("https://w3id.org/policykg/id/event/") for link in links)

    # The time slider narrows the view to the first months.
    page.evaluate("document.getElementById('to').value = '3'; document.getElementById('to')"
                  ".dispatchEvent(new Event('input'))")
    page.wait_for_selector("#graph[data-renders='4']")
    assert int(page.get_attribute("#graph", "data-nodes")) < everything

    # English labels, and the exports.
    page.click("#lang")
    page.wait_for_selector("#graph[data-renders='5']")
    assert "Who meets whom" in page.inner_text("h1")
    assert "format=gexf" in page.get_attribute("#export-gexf", "href")
    with page.expect_download() as download:
        page.click("#export-png")
    png = tmp_path / "view.png"
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.screenshot(path=str(tmp_path / "network.png"), full_page=True)
    assert (tmp_path / "network.png").stat().st_size > 10_000
    page.close()
    assert errors == []
    assert [url for url in missing if not url.endswith("/favicon.ico")] == []
    assert hosts == {urlsplit(server.base).netloc}
