"""Every fact read from a document can be traced to the lines it was read from."""

from __future__ import annotations

import pyoxigraph as ox

from policykg.build import DUMP_NQUADS
from policykg.text import collapse

PKG = "https://w3id.org/policykg/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV = "http://www.w3.org/ns/prov#"


def test_every_fact_in_a_source_graph_has_a_statement_with_evidence(built_project):
    _, result = built_project
    quads = list(ox.parse(path=str(result.release / DUMP_NQUADS), format=ox.RdfFormat.N_QUADS))
    by_node: dict[tuple[str, ox.NamedNode], dict[str, list]] = {}
    provenance_nodes = set()
    for q in quads:
        if q.predicate.value in (RDF + "subject", RDF + "predicate", RDF + "object", PROV + "wasDerivedFrom",
                                 PKG + "extractionMethod"):  # fmt: skip
            by_node.setdefault((q.subject.value, q.graph_name), {}).setdefault(q.predicate.value, []).append(q.object)
        if q.predicate.value == RDF + "type" and q.object.value in (RDF + "Statement", PKG + "Excerpt"):
            provenance_nodes.add(q.subject.value)
    reified = set()
    for (_, graph), fields in by_node.items():
        if fields.get(PROV + "wasDerivedFrom") and fields.get(PKG + "extractionMethod"):
            for s_, p_, o_ in zip(
                fields[RDF + "subject"], fields[RDF + "predicate"], fields[RDF + "object"], strict=True
            ):
                reified.add((s_, p_, o_, graph))
    # Not read from a source: the vocabulary is our definition, the network graph is derived from the
    # events (its ties point to them with pkg:sharedEvent and to the analysis run that made them).
    derived = {
        ox.NamedNode("https://w3id.org/policykg/graph/vocabulary"),
        ox.NamedNode("https://w3id.org/policykg/graph/network"),
    }
    facts = [q for q in quads if q.graph_name not in derived and q.subject.value not in provenance_nodes]
    assert len(facts) > 10000
    unsupported = [q for q in facts if (q.subject, q.predicate, q.object, q.graph_name) not in reified]
    assert unsupported == []


def test_excerpts_quote_the_source_lines(built_project, store):
    """Each quote is its lines, with the names of private persons pseudonymised (the privacy profile)."""
    from policykg.ontology import Ontology
    from policykg.privacy import Pseudonymiser, pseudonyms
    from policykg.registry import load

    settings, _ = built_project
    ontology = Ontology.load(settings.ontology_dir)
    loaded = load(settings.registry_dir, settings.root, ontology.codes("level"), ontology.codes("actor-type"))
    redact = Pseudonymiser(pseudonyms(loaded.registry.agents.values()), settings.base).text
    excerpts = store.query(
        f"""SELECT ?file ?start ?end ?quote WHERE {{
          ?ex a <{PKG}Excerpt> ; <{PKG}lineStart> ?start ; <{PKG}lineEnd> ?end ; <{PKG}quote> ?quote ;
              <{PROV}wasQuotedFrom> ?doc .
          ?doc <{PKG}sourceFile> ?file .
        }}"""
    )
    assert isinstance(excerpts, ox.QuerySolutions)
    checked = 0
    cache: dict[str, list[str]] = {}
    for row in excerpts:
        file = row["file"].value
        path = settings.root / (file if file.startswith("data/") else f"data/sources/{file}")
        lines = cache.setdefault(file, path.read_text(encoding="utf-8").split("\n"))
        start, end = int(row["start"].value), int(row["end"].value)
        assert redact(collapse(" ".join(lines[start - 1 : end]))) == row["quote"].value, (file, start, end)
        checked += 1
    assert checked > 1000


def test_a_status_can_be_traced_to_its_line(store):
    # Action 1.3's status "Opgestart" stands on line 243 of the progress report.
    found = list(
        store.query(
            f"""SELECT ?file ?line ?quote WHERE {{
              ?st <{RDF}subject> <https://w3id.org/policykg/id/action/2017/1.3> ;
                  <{RDF}predicate> <{PKG}status> ; <{PROV}wasDerivedFrom> ?ex .
              ?ex <{PKG}lineStart> ?line ; <{PKG}quote> ?quote ; <{PROV}wasQuotedFrom>/<{PKG}sourceFile> ?file .
            }}"""
        )
    )
    assert [(r["file"].value, r["line"].value, r["quote"].value) for r in found] == [
        ("001_3554e8e97ed7b9e1.txt", "243", "Status actie Opgestart")
    ]
