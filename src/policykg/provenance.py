"""A dataset under construction in which every fact says where it was read.

Each fact goes into the named graph of its source (one per document, one for the registry) and gets
a statement node (standard RDF reification) that points to the excerpt it was read from and the
method that read it::

    <action/2017/1.1> pkg:status concept:action-status/lopende .          # the fact
    <statement/…> a rdf:Statement ; rdf:subject <action/2017/1.1> ;
        rdf:predicate pkg:status ; rdf:object concept:action-status/lopende ;
        prov:wasDerivedFrom <excerpt/voortgangsrapport-2018-11/52-52> ;
        pkg:extractionMethod concept:extraction-method/parsed-structure .
    <excerpt/voortgangsrapport-2018-11/52-52> a pkg:Excerpt ;
        prov:wasQuotedFrom <document/voortgangsrapport-2018-11> ;
        pkg:lineStart 52 ; pkg:lineEnd 52 ; pkg:quote "Status actie Lopende" .

Reification is plain RDF 1.1, so every SPARQL store can answer "which document and line supports
this fact?" with the same four triple patterns. Terms are pyoxigraph terms: building and writing
hundreds of thousands of quads is an order of magnitude faster than with rdflib objects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

import pyoxigraph as ox

from .amounts import decimal_lexical
from .namespaces import CONCEPT, PKG, PROV, RDF, XSD
from .text import Span

Term = ox.NamedNode | ox.Literal
Subject = ox.NamedNode

_RDF_TYPE = ox.NamedNode(str(RDF.type))
_STATEMENT = ox.NamedNode(str(RDF.Statement))
_SUBJECT = ox.NamedNode(str(RDF.subject))
_PREDICATE = ox.NamedNode(str(RDF.predicate))
_OBJECT = ox.NamedNode(str(RDF.object))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_QUOTED = ox.NamedNode(str(PROV.wasQuotedFrom))
_METHOD = ox.NamedNode(str(PKG.extractionMethod))
_EXCERPT = ox.NamedNode(str(PKG.Excerpt))
_LINE_START = ox.NamedNode(str(PKG.lineStart))
_LINE_END = ox.NamedNode(str(PKG.lineEnd))
_QUOTE = ox.NamedNode(str(PKG.quote))

METHODS = ("parsed-structure", "pattern", "gazetteer-match", "curated")


def iri(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def literal(value: object, *, lang: str | None = None, datatype: object | None = None) -> ox.Literal:
    """A literal with the XSD type that fits the Python value (bool, int, Decimal, date, str)."""
    if lang is not None:
        return ox.Literal(str(value), language=lang)
    if datatype is not None:
        return ox.Literal(str(value), datatype=iri(datatype))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=iri(XSD.boolean))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=iri(XSD.integer))
    if isinstance(value, Decimal):
        return ox.Literal(decimal_lexical(value), datatype=iri(XSD.decimal))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=iri(XSD.date))
    return ox.Literal(str(value))


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: which source (its slug), which lines, and by which method."""

    source: str
    span: Span
    method: str

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown extraction method {self.method!r}")


class ProvenancedDataset:
    """Collects facts into named graphs, each with its statement node and excerpt."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._quads: set[ox.Quad] = set()
        self._excerpts: set[str] = set()
        self.first_evidence: dict[str, Evidence] = {}
        """For each predicate and class, the evidence of its first use (for error messages)."""
        self.subject_evidence: dict[str, Evidence] = {}
        """For each subject, the evidence of the first fact about it (to locate SHACL violations)."""

    # -- IRIs ---------------------------------------------------------------------------------

    def id(self, path: str) -> ox.NamedNode:
        """A resource IRI: ``{base}id/{path}``."""
        return ox.NamedNode(f"{self.base}id/{path}")

    def graph(self, slug: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}graph/{slug}")

    def document(self, slug: str) -> ox.NamedNode:
        return self.id(f"document/{slug}")

    def excerpt(self, evidence: Evidence) -> ox.NamedNode:
        span = evidence.span
        return self.id(f"excerpt/{evidence.source}/{span.start}-{span.end}")

    # -- adding -------------------------------------------------------------------------------

    def add(self, s: Subject, p: ox.NamedNode, o: Term, graph: str) -> None:
        """Add a quad without a statement node (used for the provenance layer itself)."""
        self._quads.add(ox.Quad(s, p, o, self.graph(graph)))

    def fact(self, s: Subject, p: object, o: Term, graph: str, evidence: Evidence) -> None:
        """Add a fact to ``graph`` with a statement node pointing to its evidence."""
        predicate = p if isinstance(p, ox.NamedNode) else iri(p)
        g = self.graph(graph)
        self._quads.add(ox.Quad(s, predicate, o, g))
        key = f"{s}|{predicate}|{o}|{g}"
        statement = self.id("statement/" + hashlib.sha1(key.encode()).hexdigest()[:20])
        excerpt = self.excerpt(evidence)
        self._quads.update(
            (
                ox.Quad(statement, _RDF_TYPE, _STATEMENT, g),
                ox.Quad(statement, _SUBJECT, s, g),
                ox.Quad(statement, _PREDICATE, predicate, g),
                ox.Quad(statement, _OBJECT, o, g),
                ox.Quad(statement, _DERIVED, excerpt, g),
                ox.Quad(statement, _METHOD, ox.NamedNode(f"{CONCEPT}extraction-method/{evidence.method}"), g),
            )
        )
        marker = f"{excerpt}|{g}"
        if marker not in self._excerpts:
            self._excerpts.add(marker)
            span = evidence.span
            self._quads.update(
                (
                    ox.Quad(excerpt, _RDF_TYPE, _EXCERPT, g),
                    ox.Quad(excerpt, _QUOTED, self.document(evidence.source), g),
                    ox.Quad(excerpt, _LINE_START, literal(span.start), g),
                    ox.Quad(excerpt, _LINE_END, literal(span.end), g),
                    ox.Quad(excerpt, _QUOTE, literal(span.quote), g),
                )
            )
        used = o.value if predicate == _RDF_TYPE and isinstance(o, ox.NamedNode) else predicate.value
        self.first_evidence.setdefault(used, evidence)
        self.subject_evidence.setdefault(s.value, evidence)

    def facts(self, s: Subject, pairs: Iterable[tuple[object, Term | None]], graph: str, evidence: Evidence) -> None:
        """Several facts about one subject from the same evidence; ``None`` objects are skipped."""
        for p, o in pairs:
            if o is not None:
                self.fact(s, p, o, graph, evidence)

    def extend(self, other: ProvenancedDataset) -> None:
        """Add the quads of another dataset (the network graph, made from this one)."""
        self._quads |= other._quads

    def rewrite(self, change: Callable[[Iterable[ox.Quad]], set[ox.Quad]]) -> None:
        """Replace every quad by what ``change`` makes of them (the privacy profile's pseudonyms)."""
        self._quads = change(self._quads)

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._quads)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self._quads)

    def ordered(self) -> Ordered:
        """The quads in dump order (see :class:`Ordered`)."""
        return Ordered.of(self._quads)

    def triples_in_use(self) -> tuple[set[str], set[str], set[str]]:
        """Predicates, classes and IRI objects the dataset uses (for checking against the ontology)."""
        predicates, classes, objects = set(), set(), set()
        for q in self._quads:
            predicates.add(q.predicate.value)
            if q.predicate == _RDF_TYPE and isinstance(q.object, ox.NamedNode):
                classes.add(q.object.value)
            elif isinstance(q.object, ox.NamedNode):
                objects.add(q.object.value)
        return predicates, classes, objects


def graph_of(line: bytes) -> bytes:
    """The graph name of an N-Quads line that has one (a graph IRI has no space: it is the last term)."""
    return line[line.rindex(b" ", 0, len(line) - 3) + 1 : -3]


@dataclass(frozen=True)
class Ordered:
    """Quads in dump order, with their N-Quads lines, computed once.

    Every later step reads this instead of turning 150,000 quads into text and sorting it again:
    the input hash of the network analysis, the validation, the store and each dump. The order is
    that of the N-Quads lines as bytes, which in UTF-8 is code-point order, so equal input gives
    byte-equal dumps whatever order the quads were made in. The quad objects are kept beside their
    lines because the Turtle, TriG and JSON-LD writers need objects, and parsing the text back
    into objects costs five times as much as writing it.
    """

    lines: list[bytes]
    quads: list[ox.Quad]

    @classmethod
    def of(cls, quads: Iterable[ox.Quad]) -> Ordered:
        listed = list(quads)
        # Oxigraph writes one line per quad, in the order given (a line break inside a literal is
        # escaped): four times faster than formatting each quad in Python.
        lines = ox.serialize(listed, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
        ranks = sorted(range(len(lines)), key=lines.__getitem__)
        return cls([lines[i] for i in ranks], [listed[i] for i in ranks])

    def __add__(self, other: Ordered) -> Ordered:
        """Both, in order (the two are already sorted runs, which the sort merges in one pass)."""
        lines, quads = self.lines + other.lines, self.quads + other.quads
        ranks = sorted(range(len(lines)), key=lines.__getitem__)
        return Ordered([lines[i] for i in ranks], [quads[i] for i in ranks])

    @cached_property
    def nquads(self) -> bytes:
        """The N-Quads dump."""
        return b"".join(self.lines)

    @cached_property
    def _merge(self) -> tuple[list[bytes], list[ox.Triple]]:
        # Every quad of a ProvenancedDataset is in a named graph: dropping a line's last term leaves
        # the line of its triple.
        keys = [line[: line.rindex(b" ", 0, len(line) - 3)] + b" .\n" for line in self.lines]
        # a triple in several graphs has several lines but one key: any of its quads gives the triple
        index = {key: i for i, key in enumerate(keys)}
        merged = sorted(index)
        triples = [self.quads[index[key]].triple for key in merged]
        return merged, triples

    @property
    def merged(self) -> list[bytes]:
        """The RDF merge of the named graphs as sorted N-Triples lines, each triple once."""
        return self._merge[0]

    @property
    def triples(self) -> list[ox.Triple]:
        """The triples of :attr:`merged`, in its order."""
        return self._merge[1]

    @cached_property
    def ntriples(self) -> bytes:
        return b"".join(self.merged)

    def by_graph(self) -> list[ox.Quad]:
        """The quads grouped by graph (in graph name order), in dump order within each graph."""
        ranks = sorted(range(len(self.lines)), key=lambda i: graph_of(self.lines[i]))
        return [self.quads[i] for i in ranks]
