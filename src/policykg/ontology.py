"""Reading ``ontology/``: the OWL ontology, the reused-term declarations and the SKOS schemes.

The build uses the ontology as a contract: a class or property that the data uses must be declared
here (our own terms fully, reused ones in ``reused.ttl``), and a code that the registry uses must be a
concept of the matching scheme. Both turn a typo into a build error that names the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .namespaces import CONCEPT, PKG

DECLARING_TYPES = (
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
)
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))


class OntologyError(Exception):
    """The ontology files cannot be read, or the data uses a term they do not declare."""


@dataclass(frozen=True)
class Ontology:
    """The parsed ontology folder."""

    graph: Graph
    files: tuple[Path, ...]

    @classmethod
    def load(cls, folder: Path) -> Ontology:
        files = tuple(sorted(folder.glob("*.ttl")))
        if not files:
            raise OntologyError(f"{folder}: no Turtle files")
        graph = Graph()
        for path in files:
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises several parser exception types
                raise OntologyError(f"{path}: cannot parse Turtle: {exc}") from exc
        return cls(graph, files)

    @cached_property
    def declared_terms(self) -> frozenset[str]:
        """Every class and property declared in the ontology folder."""
        terms: set[str] = set()
        for kind in DECLARING_TYPES:
            terms.update(str(s) for s in self.graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
        return frozenset(terms)

    @cached_property
    def concepts(self) -> frozenset[str]:
        return frozenset(str(s) for s in self.graph.subjects(SKOS.inScheme, None) if isinstance(s, URIRef))

    @cached_property
    def schemes(self) -> frozenset[str]:
        return frozenset(str(s) for s in self.graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef))

    def codes(self, scheme: str) -> frozenset[str]:
        """The notations of the concepts in ``concept:{scheme}``."""
        scheme_iri = CONCEPT[scheme]
        return frozenset(
            str(self.graph.value(c, SKOS.notation)) for c in self.graph.subjects(SKOS.inScheme, scheme_iri)
        )

    def concept(self, scheme: str, code: str) -> URIRef:
        iri = CONCEPT[f"{scheme}/{code}"]
        if str(iri) not in self.concepts:
            raise OntologyError(f"concept {code!r} is not in scheme {scheme!r} (ontology/schemes.ttl)")
        return iri

    def is_declared(self, iri: str) -> bool:
        return iri in self.declared_terms or iri.startswith(BUILTIN_NAMESPACES)

    def undeclared(self, predicates: Iterable[str], classes: Iterable[str], concepts: Iterable[str]) -> list[str]:
        """Terms the data uses that the ontology does not know, with what they were used as."""
        problems = [f"property {p}" for p in sorted(set(predicates)) if not self.is_declared(p)]
        problems += [f"class {c}" for c in sorted(set(classes)) if not self.is_declared(c)]
        problems += [
            f"concept {c}"
            for c in sorted(set(concepts))
            if c.startswith(str(CONCEPT)) and c not in self.concepts and c not in self.schemes
        ]
        return problems

    def own_terms(self) -> frozenset[str]:
        return frozenset(t for t in self.declared_terms if t.startswith(str(PKG)))
