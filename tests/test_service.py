"""The SPARQL endpoint on loopback, used by real clients and by raw HTTP."""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

PKG = "https://w3id.org/policykg/ns#"
ACTIONS = f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a <{PKG}Action> }}"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REGISTRY = "https://w3id.org/policykg/graph/registry"
REPORT = "https://w3id.org/policykg/graph/voortgangsrapport-2018-11"


def test_sparqlwrapper_select_ask_construct(server):
    client = SPARQLWrapper(server.sparql)
    client.setQuery(ACTIONS)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "62"
    client.setQuery(f"ASK {{ <https://w3id.org/policykg/id/action/2017/1.1> a <{PKG}Action> }}")
    assert client.query().convert()["boolean"] is True
    client.setMethod("POST")
    client.setQuery(
        "CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o FILTER(?a = <https://w3id.org/policykg/id/action/2017/4.2>) }"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef("https://w3id.org/policykg/id/action/2017/4.2"), None, None) in graph


def test_rdflib_sparqlstore(server):
    graph = Graph(SPARQLStore(query_endpoint=server.sparql, returnFormat="json"))
    rows = list(
        graph.query(
            f"SELECT ?code WHERE {{ ?a a <{PKG}Action> ; <http://www.w3.org/2004/02/skos/core#notation> ?code }}"
        )
    )
    assert len(rows) == 62
    assert {str(r[0]) for r in rows} >= {"1.1", "14.8"}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats_by_accept(server, accept, media):
    response = httpx.get(server.sparql, params={"query": ACTIONS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"] == "Accept"
    if media == "text/csv":  # lossy by design (no term types), so read it as plain CSV
        assert list(csv.reader(io.StringIO(response.text))) == [["n"], ["62"]]
        return
    formats = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }
    parsed = list(ox.parse_query_results(response.content, format=formats[media]))
    assert parsed[0]["n"].value == "62"


@pytest.mark.parametrize(
    ("fmt", "rdf"), [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]
)
def test_construct_formats_by_parameter(server, fmt, rdf):
    query = "CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o FILTER(?a = <https://w3id.org/policykg/id/action/2017/1.3>) }"
    response = httpx.get(server.sparql, params={"query": query, "format": fmt})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdf)
    assert len(graph) > 5


def test_post_form_and_direct(server):
    form = httpx.post(server.sparql, data={"query": ACTIONS}, headers={"Accept": "text/csv"})
    direct = httpx.post(
        server.sparql,
        content=ACTIONS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert form.status_code == direct.status_code == 200
    assert form.text == direct.text == "n\r\n62\r\n"


def test_default_and_named_graph_uri(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = httpx.get(server.sparql, params={"query": count, "format": "csv"}).text
    registry = httpx.get(server.sparql, params={"query": count, "format": "csv", "default-graph-uri": REGISTRY}).text
    assert int(registry.split()[1]) < int(whole.split()[1])
    named = httpx.get(
        server.sparql,
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "format": "csv",
            "named-graph-uri": REPORT,
        },
    )
    assert named.text.split()[1:] == [REPORT]


def test_service_description_lists_graphs_and_limits(server):
    response = httpx.get(server.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert {REGISTRY, REPORT} <= names
    assert "time limit of 3 s" in response.text and "row limit of 500" in response.text


def test_row_limit_is_announced_and_truncation_flagged(server):
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == "true"
    assert response.headers["x-sparql-row-limit"] == "500"
    assert len(response.text.strip().split("\r\n")) == 501
    small = httpx.get(server.sparql, params={"query": ACTIONS})
    assert small.headers["x-sparql-truncated"] == "false"


def test_time_limit_gives_an_error_not_an_empty_result(server):
    started = time.monotonic()
    response = httpx.get(server.sparql, params={"query": HEAVY}, timeout=60)
    assert response.status_code == 503
    assert "time limit of 3 s" in response.text
    assert time.monotonic() - started < 30


def test_a_burst_of_expensive_queries_leaves_room_for_a_cheap_one(server):
    with ThreadPoolExecutor(max_workers=6) as pool:
        heavy = [pool.submit(httpx.get, server.sparql, params={"query": HEAVY}, timeout=60) for _ in range(6)]
        time.sleep(1.5)
        started = time.monotonic()
        cheap = httpx.get(server.sparql, params={"query": ACTIONS, "format": "csv"}, timeout=60)
        waited = time.monotonic() - started
        statuses = [f.result().status_code for f in heavy]
    assert cheap.status_code == 200 and cheap.text == "n\r\n62\r\n"
    assert waited < 10
    assert all(status == 503 for status in statuses)


def test_request_size_is_bounded(server):
    huge = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 70000
    assert (
        httpx.post(
            server.sparql, content=huge.encode(), headers={"Content-Type": "application/sparql-query"}
        ).status_code
        == 413
    )
    assert httpx.post(server.sparql, data={"query": huge}).status_code == 413


# -- negative cases of the W3C SPARQL 1.1 protocol tests -----------------------------------------------


def test_bad_query_method(server):
    assert httpx.put(server.sparql, params={"query": ACTIONS}).status_code == 405


def test_bad_multiple_queries(server):
    response = httpx.get(f"{server.sparql}?query={quote(ACTIONS)}&query={quote('ASK {}')}")
    assert response.status_code == 400


def test_bad_query_wrong_media_type(server):
    response = httpx.post(server.sparql, content=ACTIONS.encode(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_bad_query_missing_form_type(server):
    response = httpx.post(server.sparql, content=f"query={quote(ACTIONS)}".encode(), headers={"Content-Type": ""})
    assert 400 <= response.status_code < 500


def test_bad_query_non_utf8(server):
    response = httpx.post(
        server.sparql,
        content=b"query=ASK%20%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=ISO-8859-1"},
    )
    assert 400 <= response.status_code < 500


def test_bad_query_syntax_says_where(server):
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "line 1, column 24" in response.text


def test_bad_update_get_and_post(server):
    assert httpx.get(server.sparql, params={"update": "CLEAR ALL"}).status_code == 400
    assert httpx.post(server.sparql, data={"update": "CLEAR ALL"}).status_code == 400
    response = httpx.post(server.sparql, content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 400
    assert httpx.get(server.sparql, params={"query": ACTIONS, "format": "csv"}).text == "n\r\n62\r\n"


def test_not_acceptable(server):
    response = httpx.get(server.sparql, params={"query": ACTIONS}, headers={"Accept": "image/png"})
    assert response.status_code == 406


# -- safety: nothing reaches another host ---------------------------------------------------------------


class Spy(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Spy.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://spy/s> <http://spy/p> <http://spy/o> .")

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def spy():
    Spy.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Spy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_nothing_reaches_another_host(server, spy):
    attempts = [
        {"query": f"SELECT * WHERE {{ SERVICE <{spy}/sparql> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ SERVICE SILENT <{spy}/sparql> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ \\u0053ERVICE <{spy}/sparql> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * FROM <{spy}/data.ttl> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{spy}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": f"PREFIX spy: <{spy}/> SELECT * FROM spy:data WHERE {{ ?s ?p ?o }}"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": f"{spy}/data.ttl"},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": f"{spy}/data.ttl"},
        {"query": f"LOAD <{spy}/data.ttl>"},
        {"update": f"LOAD <{spy}/data.ttl>"},
    ]
    for params in attempts:
        response = httpx.get(server.sparql, params=params, timeout=30)
        assert response.status_code == 400, params
        assert any(
            word in response.text for word in ("not allowed", "read-only", "not one of this endpoint's graphs")
        ), (
            params,
            response.text,
        )
    time.sleep(0.5)
    assert Spy.hits == []


# -- the research query library on the web -----------------------------------------------------------------


def test_query_library_is_listed_and_runs_in_every_format(server):
    listing = httpx.get(f"{server.base}/queries", headers={"Accept": "application/json"}).json()
    assert len(listing) >= 20
    for entry in listing:
        assert entry["title"]["en"] and entry["title"]["nl"] and entry["description"]["nl"]
    for fmt, media in (
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
    ):
        response = httpx.get(f"{server.base}/queries/action-domains", params={"code": "2.3", "format": fmt})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    answer = httpx.get(f"{server.base}/queries/action-domains", params={"code": "2.3", "format": "csv"}).text
    assert answer == "code,domain,coordinating\r\n2.3,OV,false\r\n"
    bad = httpx.get(f"{server.base}/queries/events", params={"from": "not-a-date"})
    assert bad.status_code == 400 and "not a valid date" in bad.text
    assert httpx.get(f"{server.base}/queries/nope").status_code == 404
    text = httpx.get(f"{server.base}/queries/actions.rq").text
    assert "SELECT ?code ?title ?status ?cluster" in text


def test_every_library_query_answers(server):
    listing = httpx.get(f"{server.base}/queries", headers={"Accept": "application/json"}).json()
    for entry in listing:
        response = httpx.get(f"{server.base}{entry['run']}", params={"format": "json"}, timeout=30)
        assert response.status_code == 200, (entry["name"], response.text)
        json.loads(response.text)


def test_disk_store_answers_like_the_memory_store(built_project, server):
    """`--store disk` (for graphs too big to hold per worker) gives the same answers, in the same order."""
    from conftest import start_server, stop_server

    settings, _ = built_project
    # the same row limit as the `server` fixture, so that a result it cuts is cut at the same row
    disk = start_server(settings.root, "--store", "disk", "--workers", "2", "--row-limit", "500")
    try:
        listing = httpx.get(f"{server.base}/queries", headers={"Accept": "application/json"}).json()
        for entry in listing:
            memory = httpx.get(f"{server.base}{entry['run']}", params={"format": "csv"}, timeout=30)
            on_disk = httpx.get(f"{disk.base}{entry['run']}", params={"format": "csv"}, timeout=30)
            assert on_disk.status_code == memory.status_code == 200
            # Byte for byte: row order and the order inside concatenated lists do not depend on the store.
            assert on_disk.text == memory.text and memory.text.count("\n") >= 2, entry["name"]
    finally:
        stop_server(disk)
