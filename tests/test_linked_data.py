"""Linked data publication over real HTTP on loopback: content negotiation, extensions, 404s,
isomorphic serialisations, the catalogue against the official DCAT-AP 3.0.1 shapes, and the
static export.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from policykg.pages import negotiate

REFERENCE = Path("/work/shared/reference")
if not REFERENCE.is_dir():
    REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
BASE = "https://w3id.org/policykg/"
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
             "rdf": "application/rdf+xml"}  # fmt: skip
PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


def one_of(store, cls: str) -> str:
    rows = store.select(f"SELECT ?s WHERE {{ ?s a <{cls}> }} ORDER BY ?s LIMIT 1")
    assert rows, f"no instance of {cls} in the build"
    return rows[0]["s"].value


@pytest.fixture(scope="module")
def resources(store) -> dict[str, str]:
    """One IRI per kind of resource; the fixed ones are read in the sources (register, registry)."""
    return {
        # plan 2017, action 1.1: data/sources/002_e7a40596613b8985.txt, the progress report's first action
        "action": f"{BASE}id/action/2017/1.1",
        # data/registry/organisations.yaml: id vvsg
        "organisation": f"{BASE}id/organisation/vvsg",
        "event": one_of(store, "https://w3id.org/policykg/ns#Event"),
        "person": one_of(store, "http://www.w3.org/ns/person#Person"),
        "municipality": one_of(store, "http://data.vlaanderen.be/ns/besluit#Bestuurseenheid"),
        "document": f"{BASE}id/document/voortgangsrapport-2018-11",  # register.yaml slug
        "statement": one_of(store, "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"),
        "excerpt": one_of(store, "https://w3id.org/policykg/ns#Excerpt"),
        "concept": "https://w3id.org/policykg/concept/level/flemish",  # ontology/schemes.ttl
        "graph": f"{BASE}graph/registry",
        "dataset": f"{BASE}dataset",
    }


def url(server, iri: str) -> str:
    return server.base + "/" + iri[len(BASE) :]


def test_negotiation_prefers_what_the_client_ranks_highest():
    assert negotiate(None) == "html"
    assert negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") == "html"
    assert negotiate("text/turtle;q=0.5, application/rdf+xml") == "rdf"
    assert negotiate("application/ld+json;q=0.2, text/turtle;q=0.3") == "ttl"
    assert negotiate("image/png, */*;q=0.1") == "html"
    assert negotiate("text/*") == "html"
    assert negotiate("application/pdf") is None
    assert negotiate("text/turtle;q=0") is None


ACCEPT_MATRIX = [
    ("text/html", "text/html"),
    ("application/xhtml+xml", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/turtle;q=0.9, application/rdf+xml", "application/rdf+xml"),
    ("*/*", "text/html"),
    ("", "text/html"),
]


@pytest.mark.parametrize("kind", ["action", "organisation", "event", "person", "municipality", "document",
                                  "statement", "excerpt", "concept", "graph", "dataset"])  # fmt: skip
def test_every_kind_of_resource_negotiates_and_its_serialisations_agree(server, resources, kind):
    iri = resources[kind]
    for accept, expected in ACCEPT_MATRIX:
        r = httpx.get(url(server, iri), headers={"Accept": accept} if accept else {})
        assert r.status_code == 200, (kind, accept, r.text[:200])
        assert r.headers["content-type"].split(";")[0] == expected, (kind, accept)
        assert "Accept" in r.headers["vary"]
    refused = httpx.get(url(server, iri), headers={"Accept": "application/pdf"})
    assert refused.status_code == 406
    graphs = {}
    for ext, media in RDF_TYPES.items():
        r = httpx.get(f"{url(server, iri)}.{ext}")
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
        graphs[ext] = rdflib.Graph().parse(data=r.content, format=PARSERS[ext])
        assert (rdflib.URIRef(iri), None, None) in graphs[ext] or (None, None, rdflib.URIRef(iri)) in graphs[ext]
    for ext, graph in graphs.items():
        assert isomorphic(graph, graphs["nt"]), f"{kind}: {ext} and nt differ"
    page = httpx.get(f"{url(server, iri)}.html")
    assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]


def test_a_resource_says_what_the_source_says(server, resources):
    """Action 1.1 of the 2017 plan: code, and its status read from the progress report with its lines."""
    graph = rdflib.Graph().parse(data=httpx.get(url(server, resources["action"]) + ".ttl").content, format="turtle")
    action = rdflib.URIRef(resources["action"])
    assert str(graph.value(action, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#notation"))) == "1.1"
    page = httpx.get(url(server, resources["action"])).text
    # every statement's source: a document link, a line span and the quoted text
    assert 'href="/id/document/voortgangsrapport-2018-11"' in page
    assert re.search(r'href="/id/excerpt/voortgangsrapport-2018-11/\d+-\d+">regels \d+–\d+</a>', page)
    assert "<blockquote>" in page
    # the action page lists its ministers and domains in their own sections
    assert '<section id="minister">' in page and '<section id="domain">' in page


def test_links_on_pages_point_to_this_host_and_resolve(server, resources):
    page = httpx.get(url(server, resources["organisation"])).text
    assert 'href="https://w3id.org/policykg/' not in page  # the base is mapped onto the serving host
    links = sorted(set(re.findall(r'href="(/(?:id|concept|graph|ns)[^"#]*)"', page)))
    assert len(links) >= 10
    for link in links[:40]:
        assert httpx.get(server.base + link).status_code == 200, link
    network = re.search(r'href="(/network/view\?focus=[^"]+)"', page)
    assert network and "vvsg" in network.group(1)


@pytest.mark.parametrize("path", ["/id/does-not-exist", "/id/does-not-exist.ttl", "/id/action/2017/1.1.pdf",
                                  "/id/%00", "/graph/nope", "/concept/none/such", "/ns.pdf", "/dumps/../manifest.json",
                                  "/distribution/none", "/id/", "/id/action/2017/1.1/x"])  # fmt: skip
def test_unknown_iris_are_404_not_500(server, path):
    assert httpx.get(server.base + path).status_code == 404


def test_page_escapes_what_comes_from_data():
    """A literal holding markup is text on the page, not markup."""
    from policykg.pages import link_html, literal_html

    assert "<script>" not in literal_html("<script>alert(1)</script>", "nl", "")
    assert "&lt;script&gt;" in literal_html("<script>alert(1)</script>", "", "")
    assert '"><' not in link_html('/x"><b', "https://e/x", "<i>")


def test_ontology_and_shapes_at_their_namespace_iris(server):
    html = httpx.get(f"{server.base}/ns", headers={"Accept": "text/html"})
    assert html.status_code == 200 and 'id="Action"' in html.text
    turtle = httpx.get(f"{server.base}/ns", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.content, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/policykg/ns#Action"), None, None) in graph
    shapes = httpx.get(f"{server.base}/shapes.ttl")
    assert (None, SH.targetClass, rdflib.URIRef("https://w3id.org/policykg/ns#Action")) in rdflib.Graph().parse(
        data=shapes.content, format="turtle"
    )
    assert "targetClass" in httpx.get(f"{server.base}/shapes.html").text


def test_dumps_and_checksums_match(server, built_project):
    _, result = built_project
    sums = httpx.get(f"{server.base}/dumps/SHA256SUMS").text.splitlines()
    names = {line.split("  ")[1] for line in sums}
    assert {"policykg.ttl", "policykg.nq", "policykg.jsonld"} <= names
    import hashlib

    for line in sums:
        digest, name = line.split("  ")
        body = httpx.get(f"{server.base}/dumps/{name}").content
        assert hashlib.sha256(body).hexdigest() == digest
        assert body == (result.release / name).read_bytes()
    nq = httpx.get(f"{server.base}/dumps/policykg.nq").text
    assert "<https://w3id.org/policykg/graph/registry> ." in nq  # named graphs in the N-Quads
    sitemap = httpx.get(f"{server.base}/sitemap.xml").text
    assert "<loc>https://w3id.org/policykg/id/action/2017/1.1</loc>" in sitemap


def _dcat_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(REFERENCE / "dcat-ap-3.0.1-SHACL.ttl")
    shapes.parse(REFERENCE / "dcat-ap-3.0.1-ranges.ttl")
    # The published files name five property shapes (two of dcat:Dataset, ...) that neither file
    # defines; pyshacl refuses such a reference outright, so the dangling references are dropped.
    for node, ref in list(shapes.subject_objects(SH.property)):
        if (ref, None, None) not in shapes:
            shapes.remove((node, SH.property, ref))
    return shapes


def test_catalogue_conforms_to_dcat_ap_3(server):
    r = httpx.get(f"{server.base}/catalogue", headers={"Accept": "text/turtle"})
    data = rdflib.Graph().parse(data=r.content, format="turtle")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(f"{BASE}dataset")
    assert (None, rdflib.RDF.type, DCAT.DataService) in data
    assert len(list(data.objects(dataset, DCAT.distribution))) >= 3
    assert int(data.value(dataset, VOID.triples)) > 100_000
    assert data.value(dataset, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    shapes = _dcat_shapes()
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text
    # the validation can fail: a dataset without a title does not conform
    broken = rdflib.Graph() + data
    broken.remove((dataset, rdflib.URIRef("http://purl.org/dc/terms/title"), None))
    assert not pyshacl.validate(broken, shacl_graph=shapes)[0]


def test_static_export_has_every_iri_of_the_dumps_in_every_format(static_site, built_project):
    out, _ = static_site
    _, result = built_project
    iris = set()
    for line in (result.release / "policykg.nq").read_text(encoding="utf-8").splitlines():
        iris.update(re.findall(r"<(https://w3id\.org/policykg/(?:id|graph|concept)/[^>]*)>", line))
    assert len(iris) > 20_000
    missing = [i for i in sorted(iris) if not (out / i[len(BASE) :] / "index.html").exists()]
    assert missing == []
    for iri in sorted(iris)[::500]:
        path = out / iri[len(BASE) :]
        for ext in RDF_TYPES:
            assert Path(f"{path}.{ext}").stat().st_size > 0


def test_static_export_serves_the_same_bytes_as_the_live_service(static_site, server, resources):
    out, _ = static_site
    for kind in ("action", "organisation", "event", "statement", "graph", "dataset"):
        path = resources[kind][len(BASE) :]
        assert (out / path / "index.html").read_bytes() == httpx.get(f"{server.base}/{path}").content, kind
        assert Path(f"{out / path}.ttl").read_bytes() == httpx.get(f"{server.base}/{path}.ttl").content, kind
    assert (out / "catalogue.ttl").read_bytes() == httpx.get(f"{server.base}/catalogue.ttl").content
    assert (out / "ns.ttl").read_bytes() == httpx.get(f"{server.base}/ns.ttl").content


def test_static_export_works_on_a_plain_web_server(static_site):
    import socket
    import subprocess
    import sys
    import time

    out, _ = static_site
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=out,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                httpx.get(base + "/sitemap.xml", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        page = httpx.get(f"{base}/id/action/2017/1.1", follow_redirects=True)
        assert page.status_code == 200 and "<h1>" in page.text
        link = re.search(r'href="(/id/document/[^"]+)"', page.text).group(1)
        assert httpx.get(base + link, follow_redirects=True).status_code == 200
        assert httpx.get(f"{base}/id/action/2017/1.1.ttl").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
