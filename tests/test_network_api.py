"""/network over real HTTP on loopback: the formats a researcher downloads, and refused parameters."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import httpx
import networkx as nx
import pytest

ID = "https://w3id.org/policykg/id/"
GO = f"{ID}organisation/go-onderwijs-van-de-vlaamse-gemeenschap"


def get(server, path: str, **params: str) -> httpx.Response:
    return httpx.get(f"{server.base}{path}", params=params, timeout=60)


def test_json_has_nodes_edges_measures_and_methods(server):
    r = get(server, "/network", layer="co-attendance", status="all")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["summary"]["nodes"] == len(data["nodes"]) > 50
    assert data["summary"]["edges"] == len(data["edges"])
    assert set(data["methods"]) == set(data["nodes"][0]["measures"])
    assert "Brandes" in data["methods"]["betweenness"]
    ties = {(e["source"], e["target"]): e for e in data["edges"]}
    assert ties[(GO, f"{ID}organisation/inspectie-islam")]["weight"] == 6  # 001, lines 3947-3951


def test_a_level_filter_and_a_period_narrow_the_json(server):
    everything = get(server, "/network").json()
    flemish = get(server, "/network", level="flemish").json()
    assert 0 < len(flemish["nodes"]) < len(everything["nodes"])
    assert {n["level"] for n in flemish["nodes"]} == {"flemish"}
    year = get(server, "/network", **{"from": "2016-01-01", "to": "2016-12-31"}).json()
    assert all(e["start"] >= "2016-01-01" and e["end"] <= "2016-12-31" for e in year["edges"])
    assert len(year["edges"]) < len(everything["edges"])


def test_gexf_has_the_timeline(server):
    r = get(server, "/network", format="gexf")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    root = ET.fromstring(r.content)
    graph = root.find("{http://www.gexf.net/1.2draft}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    edges = graph.findall("{http://www.gexf.net/1.2draft}edges/{http://www.gexf.net/1.2draft}edge")
    assert edges and all(e.get("start") and e.get("end") for e in edges)
    assert get(server, "/network", format="gexf").content == r.content  # same graph, same bytes


def test_graphml_and_csv_agree_with_the_json(server):
    data = get(server, "/network", layer="funding").json()
    graph = nx.read_graphml(io.BytesIO(get(server, "/network", layer="funding", format="graphml").content))
    assert graph.is_directed() and graph.number_of_nodes() == len(data["nodes"])
    rows = list(csv.DictReader(io.StringIO(get(server, "/network", layer="funding", format="csv").text)))
    assert len(rows) == len(data["nodes"]) and "pagerank" in rows[0]
    edges = list(csv.DictReader(io.StringIO(get(server, "/network", layer="funding", format="csv",
                                                table="edges").text)))
    assert len(edges) == len(data["edges"])


def test_actor_panel_and_options(server):
    actor = get(server, "/network/actor", iri=GO).json()
    assert any(e["date"] == "2017-05-18" for e in actor["events"])
    options = get(server, "/network/options").json()
    assert "flemish" in options["levels"] and options["first"] < options["last"]
    assert get(server, "/network/actor", iri=f"{ID}organisation/nobody").status_code == 404


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"layer": "friendship"}, "'friendship' is not one of"),
        ({"from": "2017-13-01"}, "is not a date"),
        ({"from": "2018-01-01", "to": "2017-01-01"}, "starts (2018-01-01) after it ends"),
        ({"to": "2017-01-01", "as_of": "2017-01-01"}, "not both"),
        ({"format": "xlsx"}, "parameter 'format' must be one of"),
        ({"level": ",".join(f"l{i}" for i in range(21))}, "at most 20 values"),
        ({"level": "Flemish;DROP"}, "is not a code"),
        ({"body": "javascript:alert(1)"}, "IRI of a body"),
        ({"colour": "red"}, "unknown parameter 'colour'"),
        ({"status": "cancelled"}, "parameter 'status' must be one of"),
    ],
)
def test_bad_parameters_get_a_400_that_names_them(server, params, says):
    r = get(server, "/network", **params)
    assert r.status_code == 400
    assert says in r.text


def test_the_actor_endpoint_refuses_what_is_not_an_iri(server):
    assert get(server, "/network/actor", iri="abb").status_code == 400
