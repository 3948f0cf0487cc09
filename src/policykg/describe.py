"""What the published data says about one resource: its triples, what links to it, and where each
fact was read, plus the sections its class's page lists (an actor's events, an action's money, ...).

Everything is read through the ``queries/pages/*.rq`` files and a store's ``select`` only, so the
same code runs on the embedded store and on a remote one. Each query has one optional parameter,
``resource``: bound, it describes one resource (the live service); unbound, it describes all of
them in one pass, which the static export groups by resource (one query per resource and page
would take minutes on the corpus, one pass takes seconds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .namespaces import FOAF, ORG, PERSON, PKG, RDF
from .queries import NamedQuery, load_queries

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]
PAGE_QUERIES = "pages"
# Sections of a class's page: the query that fills it and the classes that have it.
ACTOR_CLASSES = frozenset(str(c) for c in (ORG.Organization, ORG.OrganizationalCollaboration, ORG.Post,
                                           PERSON.Person, FOAF.Agent, FOAF.Group))  # fmt: skip
SECTIONS: dict[str, frozenset[str]] = {
    "actor-events": ACTOR_CLASSES,
    "actor-networks": ACTOR_CLASSES,
    "actor-actions": ACTOR_CLASSES,
    "actor-grants": ACTOR_CLASSES,
    "action-summary": frozenset({str(PKG.Action)}),
    "event-participants": frozenset({str(PKG.Event)}),
}
_TYPE = str(RDF.type)


class Store(Protocol):
    def select(self, text: str) -> list[Row]: ...


@dataclass
class Source:
    """The excerpt a fact was read from."""

    excerpt: str
    document: str
    title: str
    start: int
    end: int
    quote: str
    method: str


@dataclass
class Description:
    iri: str
    out: list[Row] = field(default_factory=list)
    incoming: list[Row] = field(default_factory=list)
    sources: list[Row] = field(default_factory=list)
    sections: dict[str, list[Row]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """IRI → language → label, for the resources the page links to."""

    def label(self, iri: str) -> str | None:
        found = self.labels.get(iri)
        if not found:
            return None
        return found.get("nl") or found.get("") or found.get("en") or next(iter(sorted(found.items())))[1]

    @property
    def types(self) -> list[str]:
        return sorted({r["o"].value for r in self.out if r["p"].value == _TYPE})

    def triples(self) -> list[ox.Triple]:
        """The resource's RDF: its own triples and the links to it, in a fixed order."""
        me = ox.NamedNode(self.iri)
        triples = {ox.Triple(me, r["p"], r["o"]) for r in self.out}  # type: ignore[arg-type]
        triples |= {ox.Triple(r["s"], r["p"], me) for r in self.incoming}  # type: ignore[arg-type]
        return sorted(triples, key=str)

    def sources_of(self, p: ox.NamedNode, o: object) -> list[Source]:
        found = {}
        for r in self.sources:
            if r["p"] == p and r["o"] == o:
                source = Source(
                    excerpt=r["excerpt"].value,
                    document=r["document"].value,
                    title=r["title"].value if "title" in r else r["document"].value.rsplit("/", 1)[-1],
                    start=int(r["start"].value),
                    end=int(r["end"].value),
                    quote=r["quote"].value,
                    method=r["method"].value.rsplit("/", 1)[-1] if "method" in r else "",
                )
                found[source.excerpt] = source
        return [found[k] for k in sorted(found)]


class Describer:
    """Describes resources of one store through the page queries."""

    def __init__(self, store: Store, queries_dir: Path) -> None:
        self.store = store
        self.queries: dict[str, NamedQuery] = load_queries(queries_dir / PAGE_QUERIES)

    def _rows(self, name: str, iri: str | None) -> list[Row]:
        query = self.queries[name]
        return self.store.select(query.bound({"resource": iri} if iri else {}))

    def describe(self, iri: str) -> Description | None:
        """One resource, or ``None`` if the graph says nothing about it."""
        d = Description(iri, self._rows("resource-out", iri), self._rows("resource-in", iri))
        if not d.out and not d.incoming:
            return None
        d.sources = self._rows("resource-sources", iri)
        d.labels = self.labels
        types = set(d.types)
        for name, classes in SECTIONS.items():
            if types & classes:
                d.sections[name] = self._rows(name, iri)
        return d

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Every label of the release, read once (0.2 s, 2 000 labels on the corpus).

        Asking per page for the labels of its neighbours cost 120 ms on a document that 1 500
        excerpts link to, more than the rest of the page; the release never changes under a
        describer, and the static export names its links from the same index, so both agree.
        """
        return _labels(self.store.select(self.queries["labels"].text))

    def describe_all(self, prefix: str) -> Iterator[Description]:
        """Every resource whose IRI starts with ``prefix``, in IRI order."""
        labels = self.labels
        grouped: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for name in ("resource-out", "resource-in", "resource-sources", *SECTIONS):
            for row in self._rows(name, None):
                resource = row["resource"]
                if isinstance(resource, ox.NamedNode) and resource.value.startswith(prefix):
                    grouped[resource.value][name].append(row)
        for iri in sorted(grouped):
            parts = grouped[iri]
            if not parts["resource-out"] and not parts["resource-in"]:
                continue
            d = Description(iri, parts["resource-out"], parts["resource-in"], parts["resource-sources"], labels=labels)
            types = set(d.types)
            for name, classes in SECTIONS.items():
                if types & classes:
                    # grouping keeps the query's ORDER BY within each resource
                    d.sections[name] = list(parts[name])
            yield d


def _labels(rows: list[Row]) -> dict[str, dict[str, str]]:
    """Labels by IRI and language; of several in one language the first in code point order."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (r["x"].value, r["label"].value)):
        label = row["label"]
        if isinstance(label, ox.Literal):
            out[row["x"].value].setdefault(label.language or "", label.value)
    return dict(out)
