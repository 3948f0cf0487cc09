"""The measures at scale (igraph and sparse products) give networkx's answers, or the hand-worked ones.

The graphs are small, so that networkx itself can be the reference; the weights are 1, 2 and 4 so
that distances (1/weight) add up exactly and shortest-path ties are the same for both libraries.
"""

from __future__ import annotations

import math
import random
from datetime import date

import networkx as nx
import pytest

from policykg import network as nw
from policykg import network_scale as ns


def star() -> nx.Graph:
    """b at the centre; a (weight 2), c and d (weight 1). Levels: a, b, d Flemish, c federal."""
    g = nx.Graph()
    for node, level in (("a", "flemish"), ("b", "flemish"), ("c", "federal"), ("d", "flemish")):
        g.add_node(node, level=level)
    g.add_edges_from([("b", "a", {"weight": 2}), ("b", "c", {"weight": 1}), ("b", "d", {"weight": 1})])
    return g


def tangled(nodes: int = 80, edges: int = 260, seed: int = 3) -> nx.Graph:
    """A random weighted graph with three levels and one isolate."""
    rng = random.Random(seed)
    g = nx.gnm_random_graph(nodes, edges, seed=seed)
    for node in g:
        g.nodes[node]["level"] = rng.choice(["eu", "federal", "flemish"])
    for a, b in g.edges:
        g[a][b]["weight"] = rng.choice([1, 2, 4])
    g.add_node(nodes, level="local")
    return g


def by_node(indexed: ns.Indexed, values) -> dict:
    return dict(zip(indexed.nodes, values.tolist(), strict=True))


def with_distance(g: nx.Graph) -> nx.Graph:
    out = g.copy()
    for _, _, d in out.edges(data=True):
        d["distance"] = 1 / d["weight"]
    return out


def test_burt_and_brokerage_of_the_star_as_worked_out_by_hand():
    s = ns.index(star())
    # p_ba = 2/4, p_bc = p_bd = 1/4, no indirect paths: 0.25 + 0.0625 + 0.0625
    assert by_node(s, ns.constraint(s))["b"] == pytest.approx(0.375)
    assert by_node(s, ns.constraint(s))["a"] == pytest.approx(1.0)
    assert by_node(s, ns.effective_size(s)) == pytest.approx({"a": 1.0, "b": 3.0, "c": 1.0, "d": 1.0})
    # b's open pairs across levels: (a, c) and (c, d); (a, d) are both Flemish
    assert by_node(s, ns.level_brokerage(s)) == {"a": 0, "b": 2, "c": 0, "d": 0}
    assert by_node(s, ns.betweenness(s))["b"] == pytest.approx(1.0)  # 3 pairs x 2/(3*2)


def test_a_tie_among_neighbours_lowers_effective_size_and_closes_a_brokerage():
    closed = star()
    closed.add_edge("a", "c", weight=1)
    s = ns.index(closed)
    # b: redundancy of a = p_bc*m_ac = 1/4 * 1/2; of c = p_ba*m_ca = 2/4 * 1/1; d: none
    assert by_node(s, ns.effective_size(s))["b"] == pytest.approx(3 - 1 / 8 - 1 / 2)
    assert by_node(s, ns.level_brokerage(s))["b"] == 1
    # the networkx path gives the same (networkx 3.6's all-nodes shortcut would give 2.5)
    assert nw.measures(closed)["effective_size"]["b"] == pytest.approx(3 - 1 / 8 - 1 / 2)


def test_betweenness_exact_and_sampled_equal_networkx():
    g = tangled()
    s = ns.index(g)
    exact = nx.betweenness_centrality(with_distance(g), weight="distance")
    assert by_node(s, ns.betweenness(s)) == pytest.approx(exact, abs=1e-12)
    sampled = nx.betweenness_centrality(with_distance(g), k=12, seed=42, weight="distance")
    assert by_node(s, ns.betweenness(s, k=12, seed=42)) == pytest.approx(sampled, abs=1e-12)
    assert by_node(s, ns.betweenness(s, k=12, seed=7)) != pytest.approx(sampled, abs=1e-12)


def test_strong_ties_are_short_for_betweenness():
    g = nx.Graph([("x", "y", {"weight": 1}), ("x", "z", {"weight": 4}), ("z", "y", {"weight": 4})])
    s = ns.index(g)
    assert by_node(s, ns.betweenness(s)) == pytest.approx({"x": 0.0, "y": 0.0, "z": 1.0})


def test_constraint_effective_size_and_pagerank_equal_networkx():
    g = tangled()
    s = ns.index(g)
    assert by_node(s, ns.constraint(s)) == pytest.approx(nx.constraint(g, weight="weight"), nan_ok=True, abs=1e-12)
    assert by_node(s, ns.effective_size(s)) == pytest.approx(
        nx.effective_size(g, nodes=list(g), weight="weight"), nan_ok=True, abs=1e-12
    )
    # the isolate (node 80): NaN, as networkx has it, and pytest.approx(nan_ok) demands NaN for NaN
    assert math.isnan(by_node(s, ns.constraint(s))[80]) and math.isnan(by_node(s, ns.effective_size(s))[80])
    reference = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    assert by_node(s, ns.pagerank(s, 0.85)) == pytest.approx(reference, abs=1e-9)


def test_cross_level_brokerage_equals_the_pairwise_count():
    g = tangled(nodes=60, edges=400)
    s = ns.index(g)
    assert by_node(s, ns.level_brokerage(s)) == nw.level_brokerage(g)


def test_small_row_blocks_give_the_same_sums(monkeypatch):
    g = tangled()
    s = ns.index(g)
    whole = ns.effective_size(s)
    monkeypatch.setattr(ns, "ROW_BLOCK", 7)
    assert ns.effective_size(s).tolist() == pytest.approx(whole.tolist(), nan_ok=True, abs=1e-12)


def test_communities_repeat_with_the_seed_and_find_two_planted_groups():
    g = nx.Graph()
    g.add_edges_from(((i, j) for i in range(6) for j in range(i + 1, 6)), weight=3)
    g.add_edges_from(((i, j) for i in range(6, 12) for j in range(i + 1, 12)), weight=3)
    g.add_edge(5, 6, weight=1)
    s = ns.index(g)
    found = ns.communities(s, 42)
    random.seed(1)  # the process-wide generator must not matter
    assert ns.communities(s, 42) == found
    assert sorted(sorted(s.nodes[i] for i in c) for c in found) == [list(range(6)), list(range(6, 12))]
    big = ns.index(tangled(200, 600))
    assert ns.communities(big, 42) == ns.communities(big, 42)


def test_measures_switch_to_the_scale_path_above_the_threshold_and_say_so(monkeypatch):
    g = tangled()
    reference = nw.measures(g)
    assert "networkx.betweenness_centrality" in nw.methods(g)["betweenness"]
    monkeypatch.setattr(nw, "NETWORKX_MAX_NODES", 10)
    fast = nw.measures(g)
    assert "igraph" in nw.methods(g)["betweenness"] and "igraph" in nw.methods(g)["community"]
    for measure in ("degree", "strength", "betweenness", "constraint", "effective_size", "level_brokerage"):
        assert fast[measure] == pytest.approx(reference[measure], abs=1e-9), measure
    assert fast["pagerank"] == pytest.approx(reference["pagerank"], abs=1e-5)
    assert set(fast["community"]) == set(g)
    monkeypatch.setattr(nw, "BETWEENNESS_EXACT_MAX_NODES", 50)
    assert "estimated from 100 source actors" in nw.methods(g)["betweenness"]
    assert nw.as_json(g, nw.Filter())["methods"] == nw.methods(g)


def test_vectorised_co_attendance_counts_as_a_pairwise_loop():
    rng = random.Random(5)
    actors = {f"x{i}": nw.Actor(f"x{i}", f"X{i}", level=rng.choice(["eu", "local"])) for i in range(30)}
    events = sorted(
        (
            nw.Event(
                f"e{n:03d}",
                day,
                day.isoformat(),
                False,
                "meeting",
                "",
                "",
                frozenset(rng.sample(list(actors), rng.randint(1, 6))),
            )
            for n in range(200)
            for day in [date(2016, 1, 1).fromordinal(date(2016, 1, 1).toordinal() + rng.randrange(700))]
        ),
        key=lambda e: (e.day, e.iri),
    )
    corpus = nw.Corpus(actors, tuple(events), {}, (), ())
    filt = nw.Filter(start=date(2016, 3, 1), end=date(2017, 3, 1), levels=frozenset({"local"}))
    graph = nw.co_attendance(corpus, filt)
    expected: dict[tuple[str, str], list[str]] = {}
    for e in events:
        if filt.event(e):
            who = sorted(p for p in e.participants if actors[p].level == "local")
            for i, a in enumerate(who):
                for b in who[i + 1 :]:
                    expected.setdefault((a, b), []).append(e.iri)
    assert {(a, b) if a < b else (b, a): d["events"] for a, b, d in graph.edges(data=True)} == expected
    assert all(d["weight"] == len(d["events"]) for _, _, d in graph.edges(data=True))
    assert all(actors[n].level == "local" for n in graph)
