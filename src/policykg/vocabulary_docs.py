"""Human documentation of the ontology and the shapes, generated from their Turtle.

pyLODE would do this too, but it brings its own page layout, styles and a dozen dependencies, and
its output would not follow the service's security policy or look like the other pages; the
ontology needs only classes and properties with their Dutch and English labels, comments and
links, and the shapes their target classes and constraints, which is a template's work. The Turtle
is served as written: the curated files are the machine-readable form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from .namespaces import DCTERMS, PKG

ONTOLOGY_FILE = "policykg.ttl"
NAMESPACE_IRIS = {"ns": "https://w3id.org/policykg/ns", "shapes": "https://w3id.org/policykg/shapes"}


def _texts(graph: Graph, subject: Any, predicate: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in sorted(graph.objects(subject, predicate), key=str):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", str(o))
    return out


@dataclass
class VocabularyDocs:
    ontology_dir: Path
    shapes_dir: Path

    def file(self, name: str) -> Path:
        return (self.ontology_dir if name == "ns" else self.shapes_dir) / ONTOLOGY_FILE

    def turtle(self, name: str) -> bytes:
        return self.file(name).read_bytes()

    def triples(self, name: str) -> list[ox.Triple]:
        return sorted(ox.parse(path=str(self.file(name)), format=ox.RdfFormat.TURTLE), key=str)

    def document(self, name: str) -> dict[str, Any]:
        graph = Graph().parse(self.file(name), format="turtle")
        iri = URIRef(NAMESPACE_IRIS[name])
        doc: dict[str, Any] = {
            "name": name,
            "iri": str(iri),
            "title": _texts(graph, iri, DCTERMS.title) or _texts(graph, iri, RDFS.label),
            "description": _texts(graph, iri, DCTERMS.description) or _texts(graph, iri, RDFS.comment),
            "sections": [],
        }
        if name == "ns":
            kinds_of = {"Klassen / Classes": (OWL.Class,),
                        "Eigenschappen / Properties": (OWL.ObjectProperty, OWL.DatatypeProperty)}  # fmt: skip
            for title, kinds in kinds_of.items():
                terms = sorted({s for k in kinds for s in graph.subjects(RDF.type, k)
                                if isinstance(s, URIRef) and str(s).startswith(str(PKG))}, key=str)  # fmt: skip
                doc["sections"].append({"title": title, "terms": [self._term(graph, t) for t in terms]})
        else:
            shapes = sorted((s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)), key=str)
            doc["sections"].append({"title": "Vormen / Shapes", "terms": [self._shape(graph, s) for s in shapes]})
        return doc

    @staticmethod
    def _links(graph: Graph, subject: Any, predicate: Any) -> list[str]:
        return sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef))

    def _term(self, graph: Graph, term: URIRef) -> dict[str, Any]:
        return {
            "anchor": str(term).rsplit("#", 1)[-1],
            "iri": str(term),
            "label": _texts(graph, term, RDFS.label),
            "comment": _texts(graph, term, RDFS.comment),
            "links": [
                (label, self._links(graph, term, p))
                for label, p in (
                    ("subClassOf", RDFS.subClassOf),
                    ("subPropertyOf", RDFS.subPropertyOf),
                    ("domain", RDFS.domain),
                    ("range", RDFS.range),
                )
                if self._links(graph, term, p)
            ],
            "constraints": [],
        }

    def _shape(self, graph: Graph, shape: URIRef) -> dict[str, Any]:
        constraints = []
        for prop in graph.objects(shape, SH.property):
            path = graph.value(prop, SH.path)
            facts = []
            for label, p in (("min", SH.minCount), ("max", SH.maxCount), ("datatype", SH.datatype),
                             ("class", SH["class"]), ("in", SH["in"]), ("pattern", SH.pattern)):  # fmt: skip
                value = graph.value(prop, p)
                if value is not None and p != SH["in"]:
                    facts.append(f"{label} {value}")
            message = graph.value(prop, SH.message)
            constraints.append({"path": str(path), "facts": facts, "message": str(message or "")})
        return {
            "anchor": str(shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            "iri": str(shape),
            "label": _texts(graph, shape, RDFS.label),
            "comment": _texts(graph, shape, RDFS.comment),
            "links": [("targetClass", self._links(graph, shape, SH.targetClass))],
            "constraints": sorted(constraints, key=lambda c: c["path"]),
        }
