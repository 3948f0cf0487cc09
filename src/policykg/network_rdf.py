"""The coordination network published as data: co-attendance ties and measures as RDF.

A researcher who cites "VVSG had the highest betweenness in 2017" must be able to query the figure
in SPARQL and see what made it. So the build runs the analysis on the graph it is about to publish
and writes, into a named graph of its own (``graph/network``): one ``pkg:CoAttendance`` per pair of
actors who attended held events together (weight, first and last date, each event it counts as
``pkg:sharedEvent``, a sub-property of ``prov:wasDerivedFrom``), one ``pkg:NetworkMeasure`` per
actor, measure and period (the whole span and each calendar year), and the ``pkg:AnalysisRun`` that
made them all: its parameters, the library versions and the SHA-256 of the sorted N-Quads of the
input. Same input and same libraries give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from . import network as nw
from .namespaces import PKG, PROV, RDF, RDFS, XSD
from .provenance import Ordered, ProvenancedDataset, iri, literal
from .queries import load_queries
from .store import EmbeddedStore

NETWORK_GRAPH = "network"
LIBRARIES = ("policykg", "networkx", "scipy", "igraph", "numpy", "pyoxigraph")


def _path(actor: str) -> str:
    """The readable tail of an actor's IRI ('organisation/abb') as one IRI segment."""
    return actor.split("/id/", 1)[-1].replace("/", "-")


def _date(value: str) -> ox.Literal:
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.string)
    return literal(value, datatype=datatype)


def _number(measure: str, value: float | int) -> ox.Literal:
    if measure in ("degree", "level_brokerage", "community"):
        return literal(int(value))
    return literal(Decimal(repr(round(float(value), 10))))


def periods(corpus: nw.Corpus) -> list[tuple[date, date]]:
    """The whole span of the held events, then each calendar year in it."""
    days = [e.day for e in corpus.events if not e.planned]
    if not days:
        return []
    first, last = min(days), max(days)
    whole = (date(first.year, 1, 1), date(last.year, 12, 31))
    return [whole] + [(date(y, 1, 1), date(y, 12, 31)) for y in range(first.year, last.year + 1)]


def network_graph(facts: Ordered, queries_dir: Path, base: str) -> ProvenancedDataset:
    """The ``network`` graph of the analysis of ``facts`` (every other graph of the release, the
    vocabulary's included, in dump order).

    The facts are the published ones, pseudonyms included, so that a researcher can recompute the
    run's input hash from the dump: the SHA-256 of its N-Quads lines without the network graph.
    """
    ds = ProvenancedDataset(base)
    digest = hashlib.sha256(facts.nquads).hexdigest()
    # The analysis reads facts, never their provenance (statement nodes and excerpts, four quads in
    # five): loading only the facts takes a fifth of the time and gives the same answers.
    provenance = tuple(f"<{ds.id(kind).value}".encode() for kind in ("statement/", "excerpt/"))
    memory = ox.Store()
    # the objects exist: parsing the N-Quads text would double the cost
    memory.bulk_extend(q for line, q in zip(facts.lines, facts.quads, strict=True) if not line.startswith(provenance))
    # The network's queries are all SELECT DISTINCT, so the union of the graphs answers them as
    # their merge would; writing the merge out as a default graph took as long as the analysis.
    corpus = nw.load(EmbeddedStore(memory, Path("."), union=True), load_queries(queries_dir))
    g = NETWORK_GRAPH
    run = ds.id(f"analysis-run/{digest[:16]}")
    parameters = {"layer": "co-attendance", "status": "held", "fold_posts": False,
                  "periods": [[s.isoformat(), e.isoformat()] for s, e in periods(corpus)],
                  "methods": nw.METHODS,
                  # a period with more actors is measured otherwise; each measure names its own method
                  "above_nodes": nw.NETWORKX_MAX_NODES,
                  "methods_above": {**nw.SCALE_METHODS, "betweenness": nw.SAMPLED_BETWEENNESS}}  # fmt: skip
    versions = {name: version(name) for name in LIBRARIES}
    for p, o in (
        (RDF.type, iri(PKG.AnalysisRun)),
        (RDFS.label, literal("Netwerkanalyse: gezamenlijke aanwezigheid en netwerkmaten", lang="nl")),
        (RDFS.label, literal("Network analysis: co-attendance and network measures", lang="en")),
        (PKG.parameters, literal(json.dumps(parameters, sort_keys=True, ensure_ascii=False))),
        (PKG.softwareVersions, literal(json.dumps(versions, sort_keys=True))),
        (PKG.inputGraphHash, literal(digest)),
    ):
        ds.add(run, iri(p), o, g)
    whole = nw.co_attendance(corpus, nw.Filter(status="held"))
    for a, b, data in sorted(whole.edges(data=True)):
        a, b = min(a, b), max(a, b)
        tie = ds.id(f"co-attendance/{_path(a)}--{_path(b)}")
        pairs = [
            (RDF.type, iri(PKG.CoAttendance)),
            (PKG.actorA, iri(a)),
            (PKG.actorB, iri(b)),
            (PKG.weight, literal(int(data["weight"]))),
            (PKG.firstDate, _date(data["first"])),
            (PKG.lastDate, _date(data["last"])),
            (PROV.wasGeneratedBy, run),
        ] + [(PKG.sharedEvent, iri(e)) for e in data["events"]]
        for p, o in pairs:
            ds.add(tie, iri(p), o, g)
    for start, end in periods(corpus):
        graph: nx.Graph = nw.co_attendance(corpus, nw.Filter(start=start, end=end, status="held"))
        values, named = nw.measures(graph), nw.methods(graph)
        period = f"{start.isoformat()}--{end.isoformat()}"
        for measure in nw.MEASURES:
            for actor, value in sorted(values[measure].items()):
                if value is None:
                    continue
                m = ds.id(f"network-measure/{period}/{measure}/{_path(actor)}")
                for p, o in (
                    (RDF.type, iri(PKG.NetworkMeasure)),
                    (PKG.actor, iri(actor)),
                    (PKG.measure, literal(measure)),
                    (PKG.method, literal(named[measure])),
                    (PKG.value, _number(measure, value)),
                    (PKG.periodStart, literal(start)),
                    (PKG.periodEnd, literal(end)),
                    (PROV.wasGeneratedBy, run),
                ):
                    ds.add(m, iri(p), o, g)
    return ds
