"""The network as published data: co-attendance ties and measures in graph/network, queryable in SPARQL."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

import networkx as nx
import pytest

from policykg import network as nw
from policykg.queries import load_queries

ID = "https://w3id.org/policykg/id/"
PKG = "https://w3id.org/policykg/ns#"
GO = f"{ID}organisation/go-onderwijs-van-de-vlaamse-gemeenschap"
INSPECTORATE = f"{ID}organisation/inspectie-islam"


def test_the_release_has_a_network_graph(built_project):
    _, result = built_project
    assert result.graphs["https://w3id.org/policykg/graph/network"] > 1000


def test_a_tie_in_sparql_counts_the_events_read_in_the_report(store):
    """001, lines 3947-3951: six sessions of the training by GO! and the islam inspectorate."""
    rows = store.select(f"""PREFIX pkg: <{PKG}>
        SELECT ?weight ?first ?last (COUNT(DISTINCT ?event) AS ?events) WHERE {{
          GRAPH <https://w3id.org/policykg/graph/network> {{
            ?tie a pkg:CoAttendance ; pkg:actorA <{GO}> ; pkg:actorB <{INSPECTORATE}> ;
                 pkg:weight ?weight ; pkg:firstDate ?first ; pkg:lastDate ?last ; pkg:sharedEvent ?event }}
          ?event a pkg:Event }}
        GROUP BY ?weight ?first ?last""")
    assert len(rows) == 1
    row = rows[0]
    assert (int(row["weight"].value), int(row["events"].value)) == (6, 6)
    assert (row["first"].value, row["last"].value) == ("2017-05-18", "2017-09-26")


def test_the_run_records_parameters_versions_and_input_hash(store):
    rows = store.select(f"""PREFIX pkg: <{PKG}>
        SELECT ?run ?parameters ?versions ?hash WHERE {{
          ?run a pkg:AnalysisRun ; pkg:parameters ?parameters ; pkg:softwareVersions ?versions ;
               pkg:inputGraphHash ?hash }}""")
    assert len(rows) == 1
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0]["hash"].value)
    assert json.loads(rows[0]["versions"].value)["networkx"] == nx.__version__
    parameters = json.loads(rows[0]["parameters"].value)
    assert parameters["status"] == "held" and parameters["methods"] == nw.METHODS
    assert rows[0]["run"].value.endswith(rows[0]["hash"].value[:16])


def test_a_researcher_can_recompute_the_input_hash_from_the_dump(built_project):
    """The run's input is the release without its network graph: the SHA-256 of those N-Quads lines
    of the dump, in the dump's order, is the hash the run records."""
    _, result = built_project
    lines = (result.release / "policykg.nq").read_bytes().splitlines(keepends=True)
    network = b"<https://w3id.org/policykg/graph/network> .\n"
    recorded = [line for line in lines if b"#inputGraphHash>" in line and line.endswith(network)]
    assert len(recorded) == 1
    digest = hashlib.sha256(b"".join(line for line in lines if not line.endswith(network))).hexdigest()
    assert f'"{digest}"'.encode() in recorded[0]


def test_published_measures_are_the_ones_the_api_computes(store, built_project):
    settings, _ = built_project
    query = load_queries(settings.queries_dir)["network-brokers"]
    published = {r["actor"].value: float(r["value"].value)
                 for r in store.select(query.bound({"measure": "betweenness", "periodStart": "2017-01-01"}))}
    corpus = nw.load_release(store, settings.queries_dir)
    graph = nw.co_attendance(corpus, nw.Filter(start=date(2017, 1, 1), end=date(2017, 12, 31)))
    computed = nw.measures(graph)["betweenness"]
    assert published.keys() == computed.keys()
    assert all(published[a] == pytest.approx(computed[a], abs=1e-9) for a in computed)
