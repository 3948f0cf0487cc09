"""The privacy profile: no name of a person without a public office reaches any public output.

The names are read from ``data/registry/persons.yaml`` (``public_office: false`` and no
``public_role``); each is first shown to occur in the source texts or the registry, so that the
absence checks below could fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import yaml
from conftest import Server, start_server, stop_server

from policykg.privacy import Pseudonym, Pseudonymiser

PROJECT = Path(__file__).resolve().parent.parent


def private_people() -> list[dict]:
    entries = yaml.safe_load((PROJECT / "data/registry/persons.yaml").read_text(encoding="utf-8"))
    return [e for e in entries if not e.get("public_office") and not e.get("public_role")]


def names() -> list[str]:
    return sorted({n for e in private_people() for n in [e["name"], *e.get("aliases", [])]})


def pattern() -> re.Pattern[str]:
    words = [r"\s+".join(map(re.escape, n.split())) for n in names()]
    ids = [re.escape(e["id"]) for e in private_people()]
    return re.compile("|".join(words + ids), re.IGNORECASE)


def test_the_names_are_really_in_the_inputs():
    """Without this the checks below would prove nothing."""
    assert len(private_people()) >= 10
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT / "data/sources").glob("*.txt"))
    in_sources = [n for n in names() if re.search(r"\s+".join(map(re.escape, n.split())), sources)]
    assert len(in_sources) >= 10, in_sources


def test_public_people_stay_named(built_project):
    _, result = built_project
    dump = (result.release / "policykg.nq").read_text(encoding="utf-8")
    # public_role in persons.yaml, and a public office: both appear in full
    assert "Khalid Benhaddou" in dump and "Bart Somers" in dump


def test_no_private_name_in_the_dumps(built_project):
    _, result = built_project
    found = pattern()
    for dump in sorted(result.release.glob("policykg.*")):
        hits = found.findall(dump.read_text(encoding="utf-8"))
        assert hits == [], (dump.name, sorted(set(hits))[:5])


@pytest.fixture(scope="module")
def patient_server(built_project) -> Iterator[Server]:
    """The endpoint with room for a scan of every triple on a busy machine (the session's server
    stops queries after 3 s, which is what its own tests are about)."""
    settings, _ = built_project
    running = start_server(settings.root, "--time-limit", "300", "--workers", "1")
    yield running
    stop_server(running)


def test_no_private_name_from_the_endpoint(patient_server):
    server = patient_server
    words = [n.lower() for n in names()] + [e["id"] for e in private_people()]
    tests = " || ".join(f"CONTAINS(?text, {_sparql_string(w)})" for w in words)
    query = f"SELECT ?s ?o WHERE {{ ?s ?p ?o . BIND(LCASE(CONCAT(STR(?s), ' ', STR(?o))) AS ?text) FILTER({tests}) }}"
    r = httpx.post(server.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"},
                   timeout=330)  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == []
    # and the persons are there, pseudonymised
    r = httpx.get(server.sparql, params={"query": "SELECT ?l WHERE { ?p a <http://www.w3.org/ns/person#Person> ; "
                                         "<http://xmlns.com/foaf/0.1/name> ?l }"},
                  headers={"Accept": "text/csv"})  # fmt: skip
    assert len(re.findall(r"^Persoon [0-9a-f]{10}\r?$", r.text, re.MULTILINE)) == len(private_people())


def _sparql_string(text: str) -> str:
    return str(ox.Literal(text))


def test_no_private_name_on_pages(server, store):
    rows = store.select("""SELECT DISTINCT ?x WHERE {
        { ?x a <http://www.w3.org/ns/person#Person> } UNION
        { ?x <https://w3id.org/policykg/ns#participant> ?p . ?p a <http://www.w3.org/ns/person#Person> } UNION
        { ?x a <http://xmlns.com/foaf/0.1/Document> } }""")
    assert len(rows) > 20
    found = pattern()
    for row in rows:
        path = row["x"].value.removeprefix("https://w3id.org/policykg/")
        for suffix in ("", ".ttl"):
            body = httpx.get(f"{server.base}/{path}{suffix}").text
            assert found.findall(body) == [], path
    for path in ("/sitemap.xml", "/catalogue.ttl", "/queries"):
        assert found.findall(httpx.get(server.base + path).text) == [], path


def test_no_private_name_in_the_static_export(static_site):
    out, _ = static_site
    found = pattern()
    for file in out.rglob("*"):
        if file.is_file():
            assert found.search(file.read_text(encoding="utf-8", errors="replace")) is None, file


def test_pseudonymiser_rewrites_names_ids_and_statement_nodes():
    people = [Pseudonym("jan-peeters", ("Jan Peeters", "J. Peeters"), "persoon-abc", "Persoon abc")]
    p = Pseudonymiser(people, "https://example.org/")
    person = ox.NamedNode("https://example.org/id/person/jan-peeters")
    g = ox.NamedNode("https://example.org/graph/doc")
    st = ox.NamedNode("https://example.org/id/statement/0123")
    # fmt: off
    quads = [
        ox.Quad(person, ox.NamedNode("http://xmlns.com/foaf/0.1/name"), ox.Literal("Jan Peeters"), g),
        ox.Quad(ox.NamedNode("https://example.org/id/excerpt/doc/1-2"), ox.NamedNode("https://example.org/quote"),
                ox.Literal("lichtte JAN\nPeeters toe; J. Peeters ook"), g),
        ox.Quad(st, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"), person, g),
        ox.Quad(st, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"),
                ox.NamedNode("http://xmlns.com/foaf/0.1/name"), g),
        ox.Quad(st, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object"), ox.Literal("Jan Peeters"), g),
        ox.Quad(ox.NamedNode("https://other.org/jan-peeters"), ox.NamedNode("https://e/p"), ox.Literal("x"), g),
    ]
    # fmt: on
    text = "\n".join(str(q) for q in p.quads(quads))
    assert "Peeters" not in text.replace("https://other.org/jan-peeters", "")
    assert "lichtte Persoon abc toe; Persoon abc ook" in text
    assert "/person/persoon-abc>" in text
    assert "/statement/0123>" not in text  # re-minted from the rewritten fact
    assert "<https://other.org/jan-peeters>" in text  # IRIs outside the base are not ours to change
