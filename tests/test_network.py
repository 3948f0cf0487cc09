"""The network's layers, filters and measures.

Measures are checked on graphs small enough that the answers were worked out by hand (written out
beside each assertion); co-attendance is checked on a hand-made corpus and, for the real build, on
events read in the progress report (data/sources/001_3554e8e97ed7b9e1.txt).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import networkx as nx
import pytest

from policykg import network as nw

ID = "https://w3id.org/policykg/id/"


def star() -> nx.Graph:
    """b at the centre; a (weight 2), c and d (weight 1). Levels: a, b, d Flemish, c federal."""
    g = nx.Graph()
    for node, level in (("a", "flemish"), ("b", "flemish"), ("c", "federal"), ("d", "flemish")):
        g.add_node(node, level=level)
    g.add_edge("b", "a", weight=2)
    g.add_edge("b", "c", weight=1)
    g.add_edge("b", "d", weight=1)
    return g


def test_degree_strength_and_burt_on_a_weighted_star():
    m = nw.measures(star())
    assert m["degree"] == {"a": 1, "b": 3, "c": 1, "d": 1}
    assert m["strength"]["b"] == 4  # 2 + 1 + 1
    # Burt: p_ba = 2/4, p_bc = p_bd = 1/4, no indirect paths: 0.25 + 0.0625 + 0.0625
    assert m["constraint"]["b"] == pytest.approx(0.375)
    assert m["constraint"]["a"] == pytest.approx(1.0)  # one tie takes all of a's time
    # no ties among b's neighbours: effective size = number of neighbours
    assert m["effective_size"]["b"] == pytest.approx(3.0)
    assert m["effective_size"]["c"] == pytest.approx(1.0)


def test_cross_level_brokerage_counts_open_pairs_of_different_levels():
    m = nw.measures(star())
    # b's neighbour pairs: (a, c) Flemish-federal open, (a, d) same level, (c, d) federal-Flemish open
    assert m["level_brokerage"] == {"a": 0, "b": 2, "c": 0, "d": 0}
    closed = star()
    closed.add_edge("a", "c", weight=1)
    assert nw.measures(closed)["level_brokerage"]["b"] == 1  # (a, c) is tied now


def test_pagerank_of_an_unweighted_star():
    g = nx.star_graph(3)  # centre 0
    nx.set_edge_attributes(g, 1, "weight")
    pr = nw.measures(g)["pagerank"]
    # c = 0.15/4 + 0.85 * 3l and l = 0.15/4 + 0.85 * c/3  =>  c = 0.133125 / 0.2775
    assert pr[0] == pytest.approx(0.133125 / 0.2775, abs=1e-6)
    assert pr[1] == pytest.approx((1 - 0.133125 / 0.2775) / 3, abs=1e-6)


def test_betweenness_takes_strong_ties_as_short():
    g = nx.Graph()
    g.add_edge("x", "y", weight=1)  # distance 1
    g.add_edge("x", "z", weight=4)  # distance 0.25
    g.add_edge("z", "y", weight=4)  # x-z-y: 0.5 < 1, so z lies on the one shortest x-y path
    b = nw.measures(g)["betweenness"]
    assert b == {"x": 0.0, "y": 0.0, "z": pytest.approx(1.0)}  # normalised by 2/((n-1)(n-2)) = 1
    assert nw.measures(star())["betweenness"]["b"] == pytest.approx(1.0)  # 3 pairs x 2/(3*2)


def test_isolates_have_no_constraint_rather_than_nan():
    g = star()
    g.add_node("e", level="local")
    m = nw.measures(g)
    assert m["constraint"]["e"] is None and m["effective_size"]["e"] is None
    assert m["degree"]["e"] == 0


def test_communities_of_two_triangles_repeat():
    g = nx.Graph()
    g.add_edges_from([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)], weight=1)
    first = nw.communities(g)
    assert first == nw.communities(g)
    assert first[1] == first[2] == first[3] != first[4] == first[5] == first[6]


def test_density_within_and_between_levels():
    rows = {(r["level_a"], r["level_b"]): r for r in nw.level_density(star())}
    # Flemish a, b, d: ties a-b, b-d of 3 possible; federal c to the three Flemish: b-c of 3
    assert rows[("flemish", "flemish")]["density"] == pytest.approx(2 / 3)
    assert rows[("federal", "flemish")]["ties"] == 1 and rows[("federal", "flemish")]["possible"] == 3
    assert rows[("federal", "federal")]["density"] is None  # one federal actor: no pair


# -- layers on a hand-made corpus ---------------------------------------------------------------


def corpus() -> nw.Corpus:
    actors = {
        "a": nw.Actor("a", "A", level="flemish", type="agency", domains=("ov",)),
        "b": nw.Actor("b", "B", level="federal", type="federal-service"),
        "c": nw.Actor("c", "C", level="local", type="municipality"),
        "p": nw.Actor("p", "post in A", kind="post", organisation="a", level="flemish", type="agency"),
    }

    def event(iri: str, day: str, who: str, planned: bool = False, body: str = "") -> nw.Event:
        return nw.Event(iri, date.fromisoformat(day), day, planned, "meeting", iri, body, frozenset(who))

    events = (
        event("e1", "2016-01-05", "abc", body="platform"),
        event("e2", "2016-03-01", "ab"),
        event("e3", "2017-06-01", "pc"),
        event("e4", "2018-12-01", "bc", planned=True),
    )
    return nw.Corpus(
        actors=actors,
        events=events,
        memberships={"platform": frozenset("abc"), "group": frozenset("ab")},
        actions=(nw.Action("act1", "1.1", "x", frozenset("ac")),),
        grants=(
            nw.Grant("g1", "", "a", "c", Decimal("1000"), "1.1"),
            nw.Grant("g2", "", "a", "c", Decimal("500"), "1.1"),
            nw.Grant("g3", "", "b", "c", None, "1.2"),
        ),
    )


def test_co_attendance_counts_shared_held_events_with_dates():
    g = nw.co_attendance(corpus())
    assert g["a"]["b"]["weight"] == 2
    assert (g["a"]["b"]["first"], g["a"]["b"]["last"]) == ("2016-01-05", "2016-03-01")
    assert g["a"]["b"]["events"] == ["e1", "e2"]
    assert g["b"]["c"]["weight"] == 1  # e4 is planned: not counted as held
    assert g["c"]["p"]["weight"] == 1 and not g.has_edge("a", "p")
    planned = nw.co_attendance(corpus(), nw.Filter(status="planned"))
    assert sorted(planned.edges()) == [("b", "c")]


def test_period_body_and_level_filters_narrow_the_graph():
    assert sorted(nw.co_attendance(corpus(), nw.Filter(start=date(2016, 2, 1), end=date(2016, 12, 31))).edges()) == [
        ("a", "b")
    ]
    assert nw.co_attendance(corpus(), nw.Filter(body="platform")).number_of_edges() == 3
    flemish_local = nw.co_attendance(corpus(), nw.Filter(levels=frozenset({"flemish", "local"})))
    assert set(flemish_local) == {"a", "c", "p"}
    assert set(nw.co_attendance(corpus(), nw.Filter(domains=frozenset({"ov"})))) == {"a"}
    with pytest.raises(nw.NetworkError):
        nw.Filter(start=date(2018, 1, 1), end=date(2017, 1, 1))


def test_a_period_without_events_is_an_empty_network_not_an_error():
    # nothing in the corpus happens after 2018: the page asks for such a period when the slider ends late
    empty = nw.Filter(start=date(2030, 1, 1))
    graph = nw.co_attendance(corpus(), empty)
    assert graph.number_of_nodes() == 0
    page = json.loads(nw.export(graph, empty, "json"))
    assert (page["nodes"], page["edges"], page["summary"]["nodes"]) == ([], [], 0)
    assert ET.fromstring(nw.export(graph, empty, "gexf")).tag.endswith("gexf")


def test_a_folded_post_at_an_event_with_its_organisation_counts_once():
    # e1 has A and its post P: folded, A attends e1 once, not twice
    events = (nw.Event("e1", date(2016, 1, 5), "2016-01-05", False, "meeting", "", "", frozenset("apc")),)
    data = nw.Corpus(corpus().actors, events, {}, (), ())
    g = nw.co_attendance(data, nw.Filter(fold_posts=True))
    assert sorted(g.edges(data="weight")) == [("a", "c", 1)]


def test_a_post_folded_into_its_organisation():
    g = nw.co_attendance(corpus(), nw.Filter(fold_posts=True))
    assert "p" not in g
    assert g["a"]["c"]["weight"] == 2  # e1 by A itself, e3 by its post


def test_membership_responsibility_and_funding_layers():
    m = nw.membership(corpus())
    assert m["a"]["b"]["weight"] == 2 and m["a"]["c"]["weight"] == 1  # platform + group; platform
    r = nw.co_responsibility(corpus())
    assert sorted(r.edges()) == [("a", "c")]
    f = nw.funding(corpus())
    assert f.is_directed() and f["a"]["c"]["weight"] == 1500.0 and not f.has_edge("c", "a")
    assert f["b"]["c"]["weight"] == 0.0
    combined = nw.network(corpus(), ["co-attendance", "funding"])
    # a-c: shared e1 (1 event) + two grants
    assert combined["a"]["c"]["weight"] == 3
    with pytest.raises(nw.NetworkError):
        nw.network(corpus(), ["friendship"])


def test_exports_are_deterministic_and_carry_time():
    g = nw.co_attendance(corpus())
    first, again = nw.gexf(g), nw.gexf(nw.co_attendance(corpus()))
    assert first == again
    root = ET.fromstring(first)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic"
    edges = graph.findall("g:edges/g:edge", ns)
    assert {(e.get("source"), e.get("target"), e.get("start"), e.get("end")) for e in edges} >= {
        ("a", "b", "2016-01-05", "2016-03-01")
    }
    read = nx.read_graphml(__import__("io").BytesIO(nw.graphml(g)))
    assert read.number_of_edges() == g.number_of_edges()
    header = nw.csv_table(g).decode().splitlines()[0].split(",")
    assert header[:2] == ["id", "label"] and "betweenness" in header


# -- the real build -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(store, built_project):
    settings, _ = built_project
    return nw.load_release(store, settings.queries_dir)


def test_co_attendance_of_go_and_the_islam_inspectorate_as_read(real):
    """001, lines 3947-3951: "Op 18, 22 en 23 mei 2017 en op 21, 25 en 26 september 2017 organiseerde
    de inspectie islam samen met het GO!, onderwijs van de Vlaamse Gemeenschap, een tweedaagse
    vorming" (the same six sessions again at lines 4454-4457): six shared events."""
    g = nw.co_attendance(real, nw.Filter(status="all"))
    tie = g[f"{ID}organisation/go-onderwijs-van-de-vlaamse-gemeenschap"][f"{ID}organisation/inspectie-islam"]
    assert tie["weight"] == 6
    assert (tie["first"], tie["last"]) == ("2017-05-18", "2017-09-26")
    # Only 2017 as of its first half: the three May sessions.
    spring = nw.co_attendance(real, nw.Filter(start=date(2017, 1, 1), end=date(2017, 6, 30)))
    assert spring[f"{ID}organisation/go-onderwijs-van-de-vlaamse-gemeenschap"][f"{ID}organisation/inspectie-islam"][
        "weight"
    ] == 3


def test_real_layers_have_actors_of_several_levels(real):
    g = nw.co_attendance(real)
    levels = {d["level"] for _, d in g.nodes(data=True)}
    assert {"flemish", "federal", "local", "eu"} <= levels
    flemish = nw.co_attendance(real, nw.Filter(levels=frozenset({"flemish"})))
    assert 0 < flemish.number_of_nodes() < g.number_of_nodes()
    assert {d["level"] for _, d in flemish.nodes(data=True)} == {"flemish"}
