"""Reading ``shapes/`` and validating the graph against it.

Validation covers the union of all named graphs, because cross-graph links (an action in a
document graph pointing to a post in the registry graph) must be checked together. Each
violation is reported with its focus node, path and message, plus the file and line where the
focus node was read, so the person fixing it knows where to look.

Two engines give the same results: ``turbo`` (pyshacl-turbo, a Rust engine with pySHACL's API,
reading the pyoxigraph store directly) is the default because it validates the corpus graph in
about half a second where pyshacl needs several; ``pyshacl`` is the reference implementation
and can be chosen with ``POLICYKG_SHACL_ENGINE=pyshacl``. A test runs both on the same data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .namespaces import SH

ENGINES = ("turbo", "pyshacl")


class ShapesError(Exception):
    """The shapes folder cannot be read."""


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None
    component: str
    source: str | None
    """``file:line`` where the focus node was read, when known."""

    def __str__(self) -> str:
        where = f" [{self.source}]" if self.source else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: <{self.focus}>{path}: {self.message}{value}{where}"


def load_shapes(folder: Path) -> Graph:
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ShapesError(f"{folder}: no Turtle files")
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise ShapesError(f"{path}: cannot parse Turtle: {exc}") from exc
    return graph


def default_engine() -> str:
    engine = os.environ.get("POLICYKG_SHACL_ENGINE", "turbo")
    if engine not in ENGINES:
        raise ShapesError(f"unknown SHACL engine {engine!r} (POLICYKG_SHACL_ENGINE: {', '.join(ENGINES)})")
    return engine


def _message(results: Graph, result: URIRef) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language in ("en", None)]
    chosen = english or messages
    return str(chosen[0]) if chosen else "constraint violated"


def validate_triples(
    triples: Iterable[ox.Triple],
    shapes: Graph,
    *,
    engine: str | None = None,
    locate: Callable[[str], str | None] | None = None,
) -> list[Violation]:
    """Validate the triples against the shapes; return the violations (empty if they conform)."""
    return validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), shapes, engine=engine, locate=locate)


def validate_ntriples(
    ntriples: bytes,
    shapes: Graph,
    *,
    engine: str | None = None,
    locate: Callable[[str], str | None] | None = None,
) -> list[Violation]:
    """Validate a graph given as N-Triples: the form a build already has, which Oxigraph loads
    without a Python object per triple."""
    engine = engine or default_engine()
    options = {"inference": "none", "advanced": True, "allow_warnings": True, "abort_on_first": False}
    if engine == "turbo":
        import pyshacl_turbo
        from pyshacl_turbo.rdf import Input

        # The engine reads N-Quads text (N-Triples is a part of it). Handed a store, it first dumps
        # it to that text again; handed the text, it skips both the load and the dump: a third of
        # the validation time on the corpus, the same report (tests/test_build.py holds the engines
        # against each other).
        data = Input(ntriples.decode("utf-8"), "oxigraph-nquads", None, {}, preserve_ids=True)
        conforms, results, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, **options)
    elif engine == "pyshacl":
        from pyshacl import validate

        data = Graph()
        data.parse(data=ntriples, format="nt")
        conforms, results, _ = validate(data, shacl_graph=shapes, inplace=True, **options)
    else:
        raise ShapesError(f"unknown SHACL engine {engine!r}")
    if conforms:
        return []
    assert isinstance(results, Graph)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = str(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        violations.append(
            Violation(
                focus=focus,
                path=str(path) if path is not None else None,
                message=_message(results, result),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=str(value) if value is not None else None,
                component=str(component).rsplit("#", 1)[-1] if component is not None else "",
                source=locate(focus) if locate else None,
            )
        )
    violations.sort(key=lambda v: (v.source or "", v.focus, v.path or "", v.component, v.message))
    return violations
